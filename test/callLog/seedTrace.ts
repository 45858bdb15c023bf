/**
 * A transferred call with everything a trace shows, applied to the call log as the workers would:
 * its events in a shuffled order, two Telegram recipients (full and brief) each ending with one
 * message, two lookups, and a CRM attempt that timed out before one that worked.
 */
import type { Kysely } from 'kysely';
import type { Database } from '@callpipe/db';
import type { CallLogJob } from '@callpipe/queues';
import { applyEntry } from '../../apps/workers/src/callLog/applyEntry.js';
import { entryInput } from '../../apps/workers/src/callLog/entryInput.js';
import { CallLogPartitions } from '../../apps/workers/src/callLog/partitions.js';
import { emulatedCall, seededRandom, shuffled, type EmulatedCall } from './emulatedCalls.js';

export interface SeededTrace {
  call: EmulatedCall;
  extras: CallLogJob[];
  chats: [string, string];
}

export async function seedTransferredCall(db: Kysely<Database>, enterprise: string, start: Date, callIndex = 0): Promise<SeededTrace> {
  const call = emulatedCall('2-8', { seed: 42, callIndex, startTime: start, ownParties: true });
  const x = call.call.expected;
  const t = (s: number) => new Date(start.getTime() + s * 1000).toISOString();
  const [first, second] = [x.uniqueIds[0]!, x.uniqueIds[1]!];
  const chats: [string, string] = ['7055556176', '374573193'];
  const phone = x.externalPhones[0]!;
  const extras: CallLogJob[] = [
    { kind: 'sql', enterprise, callRef: first, at: t(0.2), query: 'SELECT line_name FROM gsm_lines WHERE enterprise_number = $1 AND line_id = $2', parameters: [enterprise, '0001363'], result: { line_name: 'MTS main office' }, durationMs: 1.8 },
    { kind: 'http', enterprise, callRef: first, at: t(0.3), method: 'GET', url: `http://127.0.0.1:8020/customer-name/${enterprise}/${phone}`, statusCode: 200, responseData: { name: 'Ivan Petrov' }, durationMs: 3.4 },
    { kind: 'telegram', enterprise, callRef: first, at: t(0.5), chatId: chats[0], action: 'send', messageType: 'dial', messageId: 501, text: `☎ Incoming call\n+${phone} Ivan Petrov\nline: MTS main office` },
    { kind: 'telegram', enterprise, callRef: first, at: t(0.6), chatId: chats[1], action: 'send', messageType: 'dial', messageId: 502, text: '☎ Incoming call' },
    { kind: 'integration', enterprise, callRef: first, at: t(0.7), integration: 'retailcrm', operation: 'call_event', status: 'timeout', error: 'no answer within 3000 ms', durationMs: 3000, attempt: 1, request: { url: 'https://demo.retailcrm.ru/api/v5/telephony/call/event?apiKey=Sup3rS3cretKey', event: { phone, type: 'in' } } },
    { kind: 'integration', enterprise, callRef: second, at: t(4), integration: 'retailcrm', operation: 'call_event', status: 'success', httpStatus: 200, durationMs: 180, attempt: 2, response: { success: true } },
    // A replacement is one entry: the send, naming the message it deleted.
    { kind: 'telegram', enterprise, callRef: first, at: t(x.durationSec + 0.1), chatId: chats[0], action: 'send', messageType: 'hangup', messageId: 503, replaced: 501, text: `✅ Answered call\n+${phone} Ivan Petrov\ntalked ${x.talkSec} s` },
    { kind: 'telegram', enterprise, callRef: first, at: t(x.durationSec + 0.2), chatId: chats[1], action: 'edit', messageType: 'hangup', messageId: 502, text: '✅ Answered call' },
  ];
  const partitions = new CallLogPartitions();
  for (const job of shuffled([...call.jobs(enterprise), ...extras], seededRandom(callIndex + 3))) {
    await applyEntry(db, partitions, entryInput(job));
  }
  return { call, extras, chats };
}
