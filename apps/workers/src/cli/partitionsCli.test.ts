import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createDb, createPool, PARTITION_ANALYZE_THRESHOLD } from '@callpipe/db';
import { emulatedCall } from '../../../../test/callLog/emulatedCalls.js';
import { configEnv, testConfig, uniqueEnterprise } from '../../../../test/support/testEnv.js';
import { applyEntry } from '../callLog/applyEntry.js';
import { entryInput } from '../callLog/entryInput.js';
import { CallLogPartitions } from '../callLog/partitions.js';
import { formatBytes, runPartitionsCli, type CliIo } from './partitionsCli.js';

const config = testConfig();
const db = createDb(createPool({ connectionString: config.databaseUrl, max: 3, applicationName: 'partitions-cli-test' }));
afterAll(async () => {
  await db.destroy();
});

function io(answers: string[] = [], interactive = false): CliIo & { lines: string[]; errors: string[]; asked: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  const asked: string[] = [];
  return {
    lines, errors, asked, interactive,
    out: (l) => lines.push(l), err: (l) => errors.push(l),
    ask: async (q) => { asked.push(q); return answers.shift() ?? ''; },
  };
}

async function feed(enterprise: string, patternId: string, start: Date, callIndex: number): Promise<void> {
  const partitions = new CallLogPartitions();
  for (const job of emulatedCall(patternId, { seed: 9, callIndex, startTime: start, ownParties: true }).jobs(enterprise)) {
    await applyEntry(db, partitions, entryInput(job));
  }
}

const calls = async (enterprise: string) => Number((await db.selectFrom('call_traces').select((eb) => eb.fn.countAll<string>().as('n'))
  .where('enterprise_number', '=', enterprise).executeTakeFirstOrThrow()).n);

describe('partitions CLI', () => {
  it('adds an enterprise\'s partitions once and lists them with counts and sizes', async () => {
    const e = uniqueEnterprise().number;
    const first = io();
    expect(await runPartitionsCli(['add', e], db, first)).toBe(0);
    expect(first.lines[0]).toBe(`created call_traces_${e}, call_trace_entries_${e}`);
    const again = io();
    expect(await runPartitionsCli(['add', e], db, again)).toBe(0);
    expect(again.lines[0]).toBe(`enterprise ${e} already has its partitions`);
    // Made with autovacuum's ANALYZE held off until PARTITION_ANALYZE_THRESHOLD rows changed (libs/db/src/callLogPartitions.ts).
    const { rows } = await sql<{ name: string; options: string[] | null }>`
      SELECT relname AS name, reloptions AS options FROM pg_class WHERE relname = SOME(${[`call_traces_${e}`, `call_trace_entries_${e}`]}::text[]) ORDER BY 1`.execute(db);
    expect(rows).toEqual([`call_trace_entries_${e}`, `call_traces_${e}`].map((name) => ({ name, options: [`autovacuum_analyze_threshold=${PARTITION_ANALYZE_THRESHOLD}`] })));
    await feed(e, '1-1', new Date('2026-03-07T10:00:00Z'), 0);
    const list = io();
    expect(await runPartitionsCli(['list'], db, list)).toBe(0);
    expect(list.lines[0]).toMatch(/^enterprise\s+calls\s+entries\s+size$/);
    expect(list.lines.find((l) => l.startsWith(`${e} `))).toMatch(new RegExp(`^${e}\\s+1\\s+9\\s+\\d+(\\.\\d)? kB$`));
  });

  it('shows one enterprise\'s statistics', async () => {
    const e = uniqueEnterprise().number;
    await feed(e, '1-1', new Date('2026-03-07T10:00:00Z'), 0);
    await feed(e, '1-4', new Date('2026-03-07T11:00:00Z'), 1);
    const out = io();
    expect(await runPartitionsCli(['stats', e], db, out)).toBe(0);
    const text = out.lines.join('\n');
    expect(text).toMatch(/calls\s+2\n/);
    expect(text).toMatch(/by status\s+answered 1, missed 1/);
    expect(text).toMatch(/by direction\s+in 1, out 1/);
    expect(text).toMatch(/events per call\s+6\.5/);
    expect(text).toMatch(/first call\s+2026-03-07 10:00:00/);
    expect(text).toMatch(/entries\s+event 13/);
  });

  it('empties one enterprise only after confirmation, and refuses without a terminal unless --yes', async () => {
    const e = uniqueEnterprise().number;
    const other = uniqueEnterprise().number;
    await feed(e, '1-3', new Date('2026-03-07T10:00:00Z'), 0);
    await feed(other, '1-3', new Date('2026-03-07T10:00:00Z'), 1);

    const batch = io();
    expect(await runPartitionsCli(['cleanup', e], db, batch)).toBe(2);
    expect(batch.errors[0]).toMatch(/^refused: delete all 1 calls and 10 timeline entries of enterprise .*add --yes/);
    const wrong = io(['no'], true);
    expect(await runPartitionsCli(['cleanup', e], db, wrong)).toBe(2);
    expect(wrong.asked[0]).toContain(`Type ${e} to confirm`);
    expect(await calls(e)).toBe(1);

    const person = io([e], true);
    const lookups = async (ent: string) => {
      const ids = await db.selectFrom('call_ids').select(db.fn.countAll<string>().as('n')).where('enterprise_number', '=', ent).executeTakeFirstOrThrow();
      const facts = await db.selectFrom('call_link_facts').select(db.fn.countAll<string>().as('n')).where('enterprise_number', '=', ent).executeTakeFirstOrThrow();
      return Number(ids.n) + Number(facts.n);
    };
    expect(await lookups(e)).toBeGreaterThan(0);
    expect(await runPartitionsCli(['cleanup', e], db, person)).toBe(0);
    expect(await calls(e)).toBe(0);
    // The lookup tables are shared by every enterprise (migration 0009): its rows go, the other's stay.
    expect(await lookups(e)).toBe(0);
    expect(await calls(other)).toBe(1);
    expect(await lookups(other)).toBeGreaterThan(0);
    await feed(e, '1-3', new Date('2026-03-07T12:00:00Z'), 2);
    expect(await runPartitionsCli(['cleanup', e, '--yes'], db, io())).toBe(0);
    expect(await calls(e)).toBe(0);
  });

  it('deletes calls older than the retention and keeps newer ones', async () => {
    const e = uniqueEnterprise().number;
    await feed(e, '2-4', new Date('2001-05-01T10:00:00Z'), 0);
    await feed(e, '1-1', new Date('2026-03-07T10:00:00Z'), 1);
    // A cutoff in 2010: far behind every other test's calls (they run in 2025-2026).
    const days = String(Math.floor((Date.now() - Date.parse('2010-01-01T00:00:00Z')) / 86_400_000));
    const refused = io();
    expect(await runPartitionsCli(['retention', days], db, refused)).toBe(2);
    expect(await calls(e)).toBe(2);
    const done = io();
    expect(await runPartitionsCli(['retention', days, '--yes'], db, done)).toBe(0);
    expect(done.lines[0]).toMatch(/^deleted 1 calls, 20 entries, \d+ ids, \d+ link facts older than/);
    expect(await calls(e)).toBe(1);
    const left = await db.selectFrom('call_traces').select('start_time').where('enterprise_number', '=', e).executeTakeFirstOrThrow();
    expect(left.start_time?.toISOString()).toBe('2026-03-07T10:00:00.000Z');
  });

  it('answers a mistyped command or enterprise with the usage and exit code 2', async () => {
    const out = io();
    expect(await runPartitionsCli(['stats', 'bad name'], db, out)).toBe(2);
    expect(out.errors.join('\n')).toContain('usage: npm run partitions');
    expect(await runPartitionsCli(['drop-everything'], db, io())).toBe(2);
    expect(await runPartitionsCli(['retention', 'ten'], db, io())).toBe(2);
    expect(formatBytes(24_576)).toBe('24 kB');
  });

  it('runs as a command: refuses a cleanup without a terminal and --yes', async () => {
    const script = fileURLToPath(new URL('../../dist/cli/partitions.js', import.meta.url));
    const env = { ...configEnv(config), PATH: process.env.PATH ?? '' };
    const run = promisify(execFile);
    const list = await run(process.execPath, [script, 'list'], { env });
    expect(list.stdout).toMatch(/^enterprise\s+calls/);
    const e = uniqueEnterprise().number;
    await expect(run(process.execPath, [script, 'cleanup', e], { env })).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/^refused: /) });
  });
});
