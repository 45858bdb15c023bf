/**
 * What a run achieved, read back from the call log once every queue drained: per step, the offered
 * and sustained events/s, the ingest's ack latency, the backlog's growth, and per call the time from
 * the host's ack to its record being complete (the last of its events applied) and to the final
 * Telegram message (the last send to each recipient chat). Timestamps: call_trace_entries.created_at
 * (the applying transaction's start) and a Telegram entry's `at` (stamped right after the send);
 * acks by the bench's wall clock on the same machine.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '@callpipe/db';
import type { HostRun } from './hosts.js';
import type { Sample } from './sampler.js';

export interface Pcts { n: number; p50: number; p99: number }

export interface StepResult {
  step: number;
  callsPerSec: number;
  /** [from, to] ms since the run start: the step's steady part, where rates are measured. */
  window: [number, number];
  offeredEventsPerSec: number;
  sustainedEventsPerSec: number;
  ackMs: Pcts;
  ackErrors: number;
  /** Backlog (all queues) at the window's start and end, and its growth a second. */
  backlogStart: number;
  backlogEnd: number;
  backlogGrowthPerSec: number;
  /** The backlog grew by more than 5 % of the offered rate, or ended above 5 s of it. */
  saturated: boolean;
  recordCompleteMs: Pcts;
  finalTelegramMs: Pcts | null;
  /** Mean share of one core per process group over the window. */
  cpu: Record<string, number>;
  /** Mean share of one core in the kernel per process group over the window (part of `cpu`). */
  kernel: Record<string, number>;
  /** Mean write system calls a second per process group over the window. */
  writes: Record<string, number>;
  /** Mean context switches a second per process group over the window. */
  switches: Record<string, number>;
  /** Mean cores the hypervisor stole over the window. */
  steal: number;
  /** Largest resident memory seen per process group in the window, MiB. */
  rssMiB: Record<string, number>;
  /** Calls started but not past their last event at the window's end. */
  callsInFlight: number;
}

export function pcts(values: number[]): Pcts {
  if (values.length === 0) return { n: 0, p50: NaN, p99: NaN };
  const s = [...values].sort((a, b) => a - b);
  const q = (p: number) => Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))]! * 10) / 10;
  return { n: s.length, p50: q(0.5), p99: q(0.99) };
}

interface EntryRow { entry_key: string; call_id: string; created_ms: string; event_type: string; at_ms: string }
interface SendRow { call_id: string; chat_id: string; last_ms: string }

export interface CallTimes {
  /** Per placed call (same order as run.calls): record complete − last ack (ms), or null if incomplete. */
  record: (number | null)[];
  /** Final Telegram message − last hangup ack (ms), or null without recipients or a missing send. */
  telegram: (number | null)[];
  /** Calls whose events landed in more records than the emulator says the call makes (must be 0). */
  split: number;
  /** The first split calls, event by event: type, the record it is in, its time (ms after the call's first) and its ack latency. */
  splitExamples: string[];
  /** Records holding events of more than one expected record (false merges; must be 0). */
  merged: number;
  /** Event entries applied, by second since the run start. */
  appliedPerSecond: Map<number, number>;
}

export async function callTimes(db: Kysely<Database>, run: HostRun, chatsPerEnterprise: (enterprise: string) => number): Promise<CallTimes> {
  const entries = await sql<EntryRow>`
    SELECT entry_key, call_id, (extract(epoch FROM created_at) * 1000)::bigint::text AS created_ms,
      event_type, (extract(epoch FROM at) * 1000)::bigint::text AS at_ms
    FROM call_trace_entries WHERE kind = 'event'`.execute(db);
  const byKey = new Map(entries.rows.map((r) => [r.entry_key, r]));
  const sends = await sql<SendRow>`
    SELECT call_id, chat_id::text AS chat_id, (extract(epoch FROM max(at)) * 1000)::bigint::text AS last_ms
    FROM call_trace_entries WHERE kind = 'telegram' AND data ->> 'action' = 'send' GROUP BY call_id, chat_id`.execute(db);
  const lastSends = new Map<string, number[]>();
  for (const s of sends.rows) lastSends.set(s.call_id, [...(lastSends.get(s.call_id) ?? []), Number(s.last_ms)]);
  const appliedPerSecond = new Map<number, number>();
  for (const r of entries.rows) {
    const sec = Math.floor((Number(r.created_ms) - run.startedAt) / 1000);
    appliedPerSecond.set(sec, (appliedPerSecond.get(sec) ?? 0) + 1);
  }
  const out: CallTimes = { record: [], telegram: [], split: 0, merged: 0, appliedPerSecond, splitExamples: [] };
  const claimed = new Map<string, string>();
  for (const call of run.calls) {
    const rows = call.keys.map((k) => byKey.get(k));
    const acks = call.keys.map((k) => run.acks.get(k)?.at ?? 0);
    const complete = rows.every((r) => r !== undefined) && acks.every((a) => a > 0);
    const records = new Set(rows.filter((r) => r !== undefined).map((r) => r.call_id));
    if (records.size > call.records) {
      out.split += 1;
      if (out.splitExamples.length < 3) {
        const ids = [...records];
        const t0 = Math.min(...rows.filter((r) => r !== undefined).map((r) => Number(r.at_ms)));
        out.splitExamples.push(rows.map((r, k) => (r ? `${r.event_type}@${ids.indexOf(r.call_id)}/${call.recordOf[k]} +${Number(r.at_ms) - t0}ms ack ${Math.round(run.acks.get(call.keys[k]!)?.latencyMs ?? -1)}` : 'missing')).join(', '));
      }
    }
    rows.forEach((r, k) => {
      if (!r) return;
      const mine = `${call.keys[0]}#${call.recordOf[k]}`;
      const owner = claimed.get(r.call_id);
      if (owner === undefined) claimed.set(r.call_id, mine);
      else if (owner !== mine) { out.merged += 1; claimed.set(r.call_id, mine); }
    });
    out.record.push(complete ? Math.max(...rows.map((r) => Number(r!.created_ms))) - Math.max(...acks) : null);
    const chats = chatsPerEnterprise(call.enterprise);
    const finals = [...records].flatMap((id) => lastSends.get(id) ?? []);
    const hangupAck = Math.max(0, ...call.hangups.map((k) => run.acks.get(k)?.at ?? 0));
    out.telegram.push(chats > 0 && complete && finals.length >= chats && hangupAck > 0 ? Math.max(...finals) - hangupAck : null);
  }
  return out;
}

const total = (d: Record<string, number>) => Object.values(d).reduce((a, b) => a + b, 0);

/** `samplerT0`: the performance.now() the samples' times count from. */
export function stepResults(run: HostRun, steps: { callsPerSec: number; seconds: number }[], times: CallTimes, samples: Sample[], samplerT0: number): StepResult[] {
  const out: StepResult[] = [];
  const shift = run.t0 - samplerT0;
  // A call's latencies count from its last event (the hangup), so they belong to the load at that
  // moment: calls started late in a step end in the next one, and were measured under its load.
  const sentAt = new Map(run.sent.map((e) => [e.key, e.atMs]));
  const lastSentAt = run.calls.map((c) => sentAt.get(c.keys[c.keys.length - 1]!) ?? NaN);
  for (let s = 0; s + 1 < run.stepStarts.length; s += 1) {
    const from = run.stepStarts[s]!;
    const to = run.stepStarts[s + 1]!;
    // Skip the ramp: the first half of the step, at most 15 s.
    const w0 = from + Math.min((to - from) / 2, 15_000);
    const secs = (to - w0) / 1000;
    const sentIn = run.sent.filter((e) => e.atMs >= w0 && e.atMs < to);
    let applied = 0;
    for (let sec = Math.ceil(w0 / 1000); sec < Math.floor(to / 1000); sec += 1) applied += times.appliedPerSecond.get(sec) ?? 0;
    const appliedSecs = Math.max(1, Math.floor(to / 1000) - Math.ceil(w0 / 1000));
    const inWindow = samples.filter((x) => x.t - shift >= w0 && x.t - shift <= to);
    const first = inWindow[0];
    const last = inWindow[inWindow.length - 1];
    const backlogStart = first ? total(first.depth) : 0;
    const backlogEnd = last ? total(last.depth) : 0;
    const span = first && last && last.t > first.t ? (last.t - first.t) / 1000 : 1;
    const offered = sentIn.length / secs;
    const growth = (backlogEnd - backlogStart) / span;
    /** The mean over the window of a per-group figure. */
    const meanOf = (pick: (x: Sample) => Record<string, number>): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const x of inWindow) for (const [k, v] of Object.entries(pick(x))) out[k] = (out[k] ?? 0) + v / inWindow.length;
      return out;
    };
    const cpu = meanOf((x) => x.cpu);
    const kernel = meanOf((x) => x.kernel);
    const writes = meanOf((x) => x.writes);
    const switches = meanOf((x) => x.switches);
    const rounded = (r: Record<string, number>, scale: number) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Math.round(v * scale) / scale]));
    const rss: Record<string, number> = {};
    let steal = 0;
    for (const x of inWindow) {
      steal += x.steal / inWindow.length;
      for (const [k, v] of Object.entries(x.rssMiB)) rss[k] = Math.max(rss[k] ?? 0, v);
    }
    const stepCalls = run.calls.map((c, i) => ({ c, i })).filter(({ i }) => lastSentAt[i]! >= w0 && lastSentAt[i]! < to);
    const sentBefore = new Set(run.sent.filter((e) => e.atMs < to).map((e) => e.key));
    const inFlight = run.calls.filter((c) => sentBefore.has(c.keys[0]!) && !sentBefore.has(c.keys[c.keys.length - 1]!)).length;
    const tg = stepCalls.map(({ i }) => times.telegram[i]).filter((v): v is number => v !== null && v !== undefined);
    out.push({
      step: s, callsPerSec: steps[s]!.callsPerSec, window: [Math.round(w0), Math.round(to)],
      offeredEventsPerSec: Math.round(offered), sustainedEventsPerSec: Math.round(applied / appliedSecs),
      ackMs: pcts(sentIn.map((e) => run.acks.get(e.key)?.latencyMs ?? NaN).filter((v) => !Number.isNaN(v))),
      ackErrors: sentIn.filter((e) => (run.acks.get(e.key)?.at ?? 0) === 0).length,
      backlogStart, backlogEnd, backlogGrowthPerSec: Math.round(growth * 10) / 10,
      saturated: growth > 0.05 * offered || backlogEnd > 5 * offered,
      recordCompleteMs: pcts(stepCalls.map(({ i }) => times.record[i]).filter((v): v is number => v !== null && v !== undefined)),
      finalTelegramMs: tg.length ? pcts(tg.map((v) => Math.max(0, v))) : null,
      cpu: rounded(cpu, 100), kernel: rounded(kernel, 100), steal: Math.round(steal * 100) / 100, rssMiB: rss,
      writes: rounded(writes, 1), switches: rounded(switches, 1),
      callsInFlight: inFlight,
    });
  }
  return out;
}
