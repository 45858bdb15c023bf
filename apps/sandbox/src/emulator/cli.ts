#!/usr/bin/env node
/** Entry point of the call emulator: `patterns`, `send` and `replay` (see USAGE in cliArgs.ts). */
import { readFile } from 'node:fs/promises';
import { CliError, parseCli, USAGE, type CliCommand } from './cliArgs.js';
import { parseFailureLog } from './failureLog.js';
import { generateCall } from './generateCall.js';
import { patternTable } from './patternTable.js';
import { replayFailureLog } from './replay.js';
import { errorCount, sendCalls } from './sender.js';
import type { GeneratedCall } from './types.js';

type SendCommand = Extract<CliCommand, { kind: 'send' }>;
type ReplayCommand = Extract<CliCommand, { kind: 'replay' }>;

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const err = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

async function send(cmd: SendCommand): Promise<number> {
  // Without --seed, runs differ (so a second run is not all duplicates); the seed is printed to rerun it.
  const seed = cmd.seed ?? Math.floor(Date.now() / 1000) % 10_000;
  const t0 = Date.now();
  const calls: GeneratedCall[] = [];
  for (let i = 0; i < cmd.calls; i += 1) {
    calls.push(generateCall(cmd.patterns[i % cmd.patterns.length]!, {
      token: cmd.token, seed, callIndex: i, startTime: new Date(t0 + (i * 1000) / cmd.rate), includeLinkedid: cmd.linkedid,
    }));
  }
  const planned = calls.reduce((n, c) => n + c.events.length, 0);
  err(`[emulate] ${cmd.calls} calls, ${planned} events, patterns ${cmd.patterns.join(',')}, seed ${seed}, `
    + `rate ${cmd.rate}/s, concurrency ${cmd.concurrency}, speed ${cmd.speed}x -> ${cmd.url}`);
  const s = await sendCalls(calls, {
    baseUrl: cmd.url, rate: cmd.rate, concurrency: cmd.concurrency, speed: cmd.speed,
    maxDurationMs: cmd.maxSeconds * 1000, requestTimeoutMs: cmd.timeoutMs,
  });
  out(`calls:      ${s.callsCompleted} completed of ${s.calls} (${s.callsStarted} started)`);
  out(`events:     ${s.sent} sent of ${s.eventsPlanned}, ${s.acked} acked, ${errorCount(s)} errors, ${s.notSent} not sent`);
  for (const [key, n] of Object.entries(s.errors)) out(`  error ${key}: ${n}`);
  out(`rate:       ${s.eventsPerSec} events/s over ${(s.elapsedMs / 1000).toFixed(1)} s${s.timedOut ? ' (stopped by --max-seconds)' : ''}`);
  out(`seed:       ${seed}`);
  return s.acked === s.eventsPlanned ? 0 : 1;
}

async function replay(cmd: ReplayCommand): Promise<number> {
  let text: string;
  try {
    text = await readFile(cmd.file, 'utf8');
  } catch (e) {
    err(`emulate: cannot read ${cmd.file}: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
  const entries = parseFailureLog(text);
  err(`[emulate] ${entries.length} lines, ${entries.filter((e) => e.kind === 'replayable').length} to replay -> ${cmd.url}/recovery/{event}`);
  const r = await replayFailureLog(entries, { baseUrl: cmd.url, requestTimeoutMs: cmd.timeoutMs });
  out(`replayed: ${r.replayed}`);
  out(`skipped:  ${r.skipped}`);
  for (const [reason, n] of Object.entries(r.skippedByReason)) out(`  ${reason}: ${n}`);
  for (const e of entries) if (e.kind === 'invalid') out(`  line ${e.lineNo}: ${e.reason}`);
  out(`failed:   ${r.failed}`);
  for (const f of r.failures) out(`  line ${f.lineNo} ${f.event} ${f.uniqueId}: ${f.error}`);
  return r.failed === 0 ? 0 : 1;
}

async function main(argv: readonly string[]): Promise<number> {
  let cmd: CliCommand;
  try {
    cmd = parseCli(argv);
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    err(`emulate: ${e.message}\nRun "emulate --help" for usage.`);
    return 2;
  }
  switch (cmd.kind) {
    case 'help':
      out(USAGE);
      return 0;
    case 'patterns':
      patternTable().forEach(out);
      return 0;
    case 'send':
      return send(cmd);
    case 'replay':
      return replay(cmd);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    err(`emulate: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    process.exitCode = 1;
  },
);
