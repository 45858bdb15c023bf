/**
 * `npm run partitions -- <command>`: the call log's partitions by hand.
 *
 *   list                         every enterprise's partitions: calls, entries, size
 *   add <enterprise>             create an enterprise's partitions now (the worker does it on first use)
 *   stats <enterprise>           calls by status and direction, events per call, first/last call, size
 *   cleanup <enterprise> [--yes] delete all of one enterprise's call log
 *   retention <days> [--yes]     delete calls whose last event is older than <days> days
 *
 * The two deleting commands show what they would delete and ask; without a terminal they refuse
 * unless --yes is given. Exit codes: 0 done, 1 failed, 2 usage or refused.
 */
import type { Kysely } from 'kysely';
import type { Database } from '@callpipe/db';
import { cleanupEnterprise, countOlderThan, deleteOlderThan, enterpriseStats, listPartitions } from '../callLog/maintenance.js';
import { checkEnterprise, createPartitions, PartitionNameError } from '../callLog/partitions.js';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Whether a person is at a terminal to answer a question. */
  interactive: boolean;
  ask(question: string): Promise<string>;
}

export const USAGE = `usage: npm run partitions -- <command>
  list                          partitions of every enterprise: calls, entries, size
  add <enterprise>              create an enterprise's partitions
  stats <enterprise>            one enterprise's calls, events per call, first and last call, size
  cleanup <enterprise> [--yes]  delete all call-log data of one enterprise
  retention <days> [--yes]      delete calls whose last event is older than <days> days`;

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** Left-aligned columns, the header underlined. */
export function formatTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

const day = (d: Date | null) => (d ? d.toISOString().replace('T', ' ').slice(0, 19) : '—');
const tally = (o: Record<string, number>) => Object.entries(o).sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} ${n}`).join(', ') || '—';

class Usage extends Error {}

async function confirm(io: CliIo, yes: boolean, what: string, answer: string): Promise<boolean> {
  if (yes) return true;
  if (!io.interactive) {
    io.err(`refused: ${what}. Not at a terminal, so nobody can confirm; add --yes to do it anyway.`);
    return false;
  }
  const reply = (await io.ask(`${what}. Type ${answer} to confirm: `)).trim();
  if (reply !== answer) io.err('not confirmed; nothing deleted');
  return reply === answer;
}

export async function runPartitionsCli(argv: readonly string[], db: Kysely<Database>, io: CliIo): Promise<number> {
  const yes = argv.includes('--yes');
  const [command, arg, ...rest] = argv.filter((a) => a !== '--yes');
  try {
    if (rest.length > 0) throw new Usage(`unexpected arguments: ${rest.join(' ')}`);
    switch (command) {
      case 'list': {
        const rows = await listPartitions(db);
        if (rows.length === 0) {
          io.out('no call-log partitions yet (the call-log worker creates an enterprise\'s on its first call)');
          return 0;
        }
        for (const l of formatTable(['enterprise', 'calls', 'entries', 'size'], rows.map((r) => [r.enterprise, String(r.calls), String(r.entries), formatBytes(r.bytes)]))) io.out(l);
        return 0;
      }
      case 'add': {
        const created = await createPartitions(db, checkEnterprise(arg ?? ''));
        io.out(created.length ? `created ${created.join(', ')}` : `enterprise ${arg} already has its partitions`);
        return 0;
      }
      case 'stats': {
        const s = await enterpriseStats(db, checkEnterprise(arg ?? ''));
        io.out(`enterprise ${s.enterprise}`);
        for (const l of formatTable(['', ''], [
          ['calls', String(s.calls)], ['by status', tally(s.byStatus)], ['by direction', tally(s.byDirection)],
          ['events per call', String(s.avgEventsPerCall)], ['first call', day(s.firstCall)], ['last call', day(s.lastCall)],
          ['entries', tally(s.entriesByKind)], ['size', formatBytes(s.bytes)],
        ]).slice(2)) io.out(l);
        return 0;
      }
      case 'cleanup': {
        const enterprise = checkEnterprise(arg ?? '');
        const s = await enterpriseStats(db, enterprise);
        const total = Object.values(s.entriesByKind).reduce((a, b) => a + b, 0);
        if (!(await confirm(io, yes, `delete all ${s.calls} calls and ${total} timeline entries of enterprise ${enterprise}`, enterprise))) return 2;
        await cleanupEnterprise(db, enterprise);
        io.out(`enterprise ${enterprise}: call log emptied (${s.calls} calls, ${total} entries deleted)`);
        return 0;
      }
      case 'retention': {
        if (!arg || !/^\d+$/.test(arg) || Number(arg) < 1) throw new Usage('retention needs a whole number of days (1 or more)');
        const cutoff = new Date(Date.now() - Number(arg) * 86_400_000);
        const n = await countOlderThan(db, cutoff);
        if (n.calls === 0 && n.facts === 0) {
          io.out(`nothing older than ${arg} days (before ${day(cutoff)} UTC)`);
          return 0;
        }
        if (!(await confirm(io, yes, `delete ${n.calls} calls (${n.entries} entries) older than ${arg} days, before ${day(cutoff)} UTC`, 'yes'))) return 2;
        const done = await deleteOlderThan(db, cutoff);
        io.out(`deleted ${done.calls} calls, ${done.entries} entries, ${done.ids} ids, ${done.facts} link facts older than ${arg} days`);
        return 0;
      }
      default:
        throw new Usage(command ? `unknown command: ${command}` : 'no command given');
    }
  } catch (err) {
    if (err instanceof Usage || err instanceof PartitionNameError) {
      io.err(err.message);
      io.err(USAGE);
      return 2;
    }
    io.err(`failed: ${(err as Error).message}`);
    return 1;
  }
}
