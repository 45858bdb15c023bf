/** Posts many distinct events at a bounded concurrency and records which were acked. */
import { ACK_BODY } from '@callpipe/events';
import { postJson } from './httpClient.js';

export interface StreamResult {
  acked: string[];
  failed: { uid: string; status: number }[];
}

export function dialEvents(token: string, count: number, tag: string): { uid: string; body: Record<string, unknown> }[] {
  return Array.from({ length: count }, (_, i) => {
    const uid = `${tag}.${i}`;
    return { uid, body: { Token: token, UniqueId: uid, Phone: `37529${String(1000000 + i)}`, CallType: 0, Extensions: ['150'] } };
  });
}

/** onEach runs after every reply, with the number answered so far (to inject faults mid-stream). */
export async function postStream(
  base: string,
  events: { uid: string; body: Record<string, unknown> }[],
  concurrency: number,
  onEach: (answered: number) => Promise<void> | void = () => undefined,
): Promise<StreamResult> {
  const result: StreamResult = { acked: [], failed: [] };
  let next = 0;
  let answered = 0;
  const lane = async () => {
    while (next < events.length) {
      const e = events[next++]!;
      const reply = await postJson(base, '/dial', e.body).catch(() => ({ status: 0, body: {} as Record<string, unknown> }));
      if (reply.status === 200 && reply.body.message === ACK_BODY.message) result.acked.push(e.uid);
      else result.failed.push({ uid: e.uid, status: reply.status });
      answered += 1;
      await onEach(answered);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return result;
}
