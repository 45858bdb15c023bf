/**
 * Hostile bodies posted to the ingest from a fixed seed (see fuzzBodies.ts), 8 at a time. No answer
 * may be a 500 or anything but JSON, none may hang; the bodies the schema accepts are acked and stored
 * once. A log line per rejected request is allowed, a stack trace per request is not.
 */
import { fuzzCases, FUZZ_KINDS, type FuzzBase } from '../fuzzBodies.js';
import { emulatedCalls, postRaw } from '../hosts.js';
import { tally, type Drill } from '../kit.js';
import { isJson, Ledger } from '../ledger.js';
import { httpStatus } from '../ports.js';

const CONCURRENCY = 8;

export const fuzz: Drill = {
  name: 'fuzzed bodies',
  async run(ctx, stack) {
    await stack.startAll();
    const bases: FuzzBase[] = emulatedCalls(ctx.emu, ctx.enterprise.token, ctx.seed, 12)
      .flatMap((c, i) => c.events.map((e) => ({
        type: e.type,
        body: { ...e.body, ...(i % 4 === 3 ? { Token: 'not-a-host-token' } : {}) } as Record<string, unknown>,
      })));
    const cases = fuzzCases(ctx.seed, ctx.form.fuzzBodies, bases);
    const ledger = new Ledger(new Set([ctx.enterprise.token]));
    const labels = new Map<string, string>();
    const failedKinds: string[] = [];
    let next = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < cases.length) {
        const c = cases[next++]!;
        const answer = await postRaw(stack.ports.ingest, c);
        const key = ledger.record(c.path, c.body, answer);
        if (key) labels.set(key, c.kind);
        if (answer.status >= 500 || (answer.status !== 0 && !isJson(answer.text))) failedKinds.push(`${c.kind} ${answer.status}`);
      }
    }));
    const timeouts = ledger.byStatus.get('timeout') ?? 0;
    const after = await httpStatus(`${stack.ingestUrl}/health`);
    return {
      fault: `${cases.length.toLocaleString('en-US')} bodies, ${FUZZ_KINDS.length} kinds, seed ${ctx.seed}`,
      ledger, outages: 0, extraLogBudget: cases.length, labels,
      notes: failedKinds.length ? [`5xx or not JSON, by kind: ${tally(failedKinds)}`] : [],
      checks: [
        { name: 'every answer is JSON', ok: ledger.nonJsonAnswers === 0, detail: `${ledger.nonJsonAnswers} answers not JSON` },
        { name: 'every request answered within 5 s', ok: timeouts === 0, detail: `${timeouts} timed out` },
        { name: 'ingest healthy afterwards', ok: after.status === 200, detail: `/health ${after.status}` },
      ],
    };
  },
};
