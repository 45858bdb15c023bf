/**
 * The workers' own counters of what the Telegram syncs came to (GET /metrics on each workers process):
 * chats synced by outcome, syncs deferred to a chat's send slot, and Bot API calls by method (and,
 * apart, the ones that did not answer ok: a 429 the limiter should have spared), summed over the
 * processes. A phase's figures are the difference of two snapshots.
 */
export type Counts = Record<string, number>;

const WANTED: [metric: string, label: string | null, prefix: string][] = [
  ['callpipe_telegram_chat_syncs_total', 'outcome', 'sync:'],
  ['callpipe_telegram_syncs_deferred_total', null, 'sync:deferred'],
  ['callpipe_telegram_requests_total', 'method', 'api:'],
];

const labelOf = (line: string, label: string): string | undefined => new RegExp(`${label}="([^"]*)"`).exec(line)?.[1];

/** Sums the wanted counters by their label (prefixed `sync:` or `api:`) from Prometheus text. */
export function countsOf(text: string): Counts {
  const out: Counts = {};
  const add = (k: string, v: number) => { out[k] = (out[k] ?? 0) + v; };
  for (const line of text.split('\n')) {
    for (const [metric, label, prefix] of WANTED) {
      if (!line.startsWith(`${metric}{`) && !line.startsWith(`${metric} `)) continue;
      const value = Number(line.slice(line.lastIndexOf(' ') + 1));
      if (!Number.isFinite(value)) continue;
      if (label === null) {
        add(prefix, value);
        continue;
      }
      const name = labelOf(line, label);
      if (!name) continue;
      add(prefix + name, value);
      const result = labelOf(line, 'result');
      if (result && result !== 'ok') add(`${prefix}${name}:${result}`, value);
    }
  }
  return out;
}

export async function workerCounts(ports: readonly number[]): Promise<Counts> {
  const all: Counts = {};
  for (const port of ports) {
    const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text()).catch(() => '');
    for (const [k, v] of Object.entries(countsOf(text))) all[k] = (all[k] ?? 0) + v;
  }
  return all;
}

export function countsBetween(before: Counts, after: Counts): Counts {
  return Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]).filter(([, v]) => (v as number) > 0));
}
