/** Sustained vs offered events/s, one line per phase, as a standalone SVG (no plotting library). */

export interface Series { name: string; points: { offered: number; sustained: number; saturated: boolean }[] }

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];

export function sustainedVsOfferedSvg(series: Series[], title: string): string {
  const W = 720;
  const H = 480;
  const m = { l: 70, r: 200, t: 40, b: 60 };
  const all = series.flatMap((s) => s.points);
  const max = Math.max(100, ...all.map((p) => Math.max(p.offered, p.sustained)));
  const top = Math.ceil(max / 100) * 100;
  const x = (v: number) => m.l + (v / top) * (W - m.l - m.r);
  const y = (v: number) => H - m.b - (v / top) * (H - m.t - m.b);
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  parts.push(`<text x="${m.l}" y="22" font-size="14">${esc(title)}</text>`);
  for (let i = 0; i <= 5; i += 1) {
    const v = (top / 5) * i;
    parts.push(`<line x1="${x(0)}" y1="${y(v)}" x2="${x(top)}" y2="${y(v)}" stroke="#eee"/>`);
    parts.push(`<text x="${m.l - 8}" y="${y(v) + 4}" text-anchor="end">${Math.round(v)}</text>`);
    parts.push(`<text x="${x(v)}" y="${H - m.b + 18}" text-anchor="middle">${Math.round(v)}</text>`);
  }
  parts.push(`<line x1="${x(0)}" y1="${y(0)}" x2="${x(top)}" y2="${y(top)}" stroke="#aaa" stroke-dasharray="4 4"/>`);
  parts.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 18}" text-anchor="middle">offered events/s</text>`);
  parts.push(`<text transform="translate(18 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">sustained events/s</text>`);
  series.forEach((s, i) => {
    const c = COLORS[i % COLORS.length]!;
    const pts = [...s.points].sort((a, b) => a.offered - b.offered);
    if (pts.length) parts.push(`<polyline fill="none" stroke="${c}" stroke-width="2" points="${pts.map((p) => `${x(p.offered).toFixed(1)},${y(p.sustained).toFixed(1)}`).join(' ')}"/>`);
    for (const p of pts) {
      parts.push(p.saturated
        ? `<rect x="${x(p.offered) - 4}" y="${y(p.sustained) - 4}" width="8" height="8" fill="white" stroke="${c}" stroke-width="2"/>`
        : `<circle cx="${x(p.offered)}" cy="${y(p.sustained)}" r="4" fill="${c}"/>`);
    }
    parts.push(`<rect x="${W - m.r + 15}" y="${m.t + i * 20}" width="12" height="12" fill="${c}"/>`);
    parts.push(`<text x="${W - m.r + 32}" y="${m.t + i * 20 + 10}">${esc(s.name)}</text>`);
  });
  parts.push(`<text x="${W - m.r + 15}" y="${m.t + series.length * 20 + 20}" fill="#555">● no backlog growth</text>`);
  parts.push(`<text x="${W - m.r + 15}" y="${m.t + series.length * 20 + 38}" fill="#555">□ backlog grows</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}
