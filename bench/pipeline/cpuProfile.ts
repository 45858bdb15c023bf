/**
 * A V8 .cpuprofile (node --cpu-prof) summed up: self time by package (bullmq, ioredis, pg, kysely,
 * ajv, pino, our apps and libs, node internals, GC, idle) and the functions with the most self time.
 */
import { readFileSync } from 'node:fs';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }
interface Profile { nodes: Node[]; samples?: number[]; timeDeltas?: number[]; startTime: number; endTime: number }

export interface ProfileSummary {
  file: string;
  seconds: number;
  /** Share of the profile's wall time by area, idle included. */
  byArea: Record<string, number>;
  topFunctions: { fn: string; share: number }[];
}

function areaOf(url: string, fn: string): string {
  if (fn === '(idle)') return 'idle';
  if (fn === '(garbage collector)') return 'gc';
  if (fn === '(program)') return 'program (native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  const own = /\/(apps\/[^/]+|libs\/[^/]+|db)\//.exec(url)?.[1];
  if (own) return own;
  if (url.startsWith('node:') || url === '') return 'node internals';
  return 'other';
}

export function summarizeProfile(file: string): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i += 1) selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + (deltas[i] ?? 0));
  const total = Math.max(1, p.endTime - p.startTime);
  const area: Record<string, number> = {};
  const fns = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const n = byId.get(id);
    if (!n) continue;
    const a = areaOf(n.callFrame.url, n.callFrame.functionName);
    area[a] = (area[a] ?? 0) + us;
    const name = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(node_modules|apps|libs)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
    fns.set(name, (fns.get(name) ?? 0) + us);
  }
  const share = (us: number) => Math.round((us / total) * 1000) / 1000;
  return {
    file, seconds: Math.round(total / 1e5) / 10,
    byArea: Object.fromEntries(Object.entries(area).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, share(v)])),
    topFunctions: [...fns].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([fn, us]) => ({ fn, share: share(us) })),
  };
}
