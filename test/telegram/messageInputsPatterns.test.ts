/**
 * The "does this event need a Telegram sync?" key against the renderer, over every emulator pattern:
 * whenever an event changes a chat's text (either role, with every name known), it changes the key. The
 * key may change more often than the text, never less, or a chat would keep a stale message.
 */
import { describe, expect, it } from 'vitest';
import { callFacts, type CallFacts } from '@callpipe/call-facts';
import { extensionsOfCall, messageInputsChanged, renderCallMessage, viewOfCall, type Enrichment } from '@callpipe/telegram';
import { emulatedCall, PATTERN_IDS, seededRandom, shuffled } from '../callLog/emulatedCalls.js';

const startTime = new Date('2026-03-02T10:00:00Z');
const tz = { timeZone: 'Europe/Minsk' };

/** Every text a chat could show for these facts: both roles, every extension of the call named. */
function texts(f: CallFacts | null): string {
  const shown = f && viewOfCall(f);
  if (!f || !shown) return 'none';
  const enrichment: Enrichment = {
    customerName: 'Иванов Иван', lineName: `Линия ${f.line ?? ''}`,
    managerNames: Object.fromEntries(extensionsOfCall(f).map((x) => [x, `Менеджер ${x}`])),
  };
  return `${renderCallMessage(shown.view, enrichment, 'full')}\n--\n${renderCallMessage(shown.view, enrichment, 'brief')}`;
}

describe('messageInputsChanged covers every text change', () => {
  for (const id of PATTERN_IDS) {
    it(`pattern ${id}: each event, in order and shuffled, that changes a text changes the key`, () => {
      const { records } = emulatedCall(id, { seed: 11, callIndex: 0, startTime });
      const random = seededRandom(5);
      let textChanges = 0;
      for (const { events } of records) {
        for (const order of [events, shuffled(events, random), shuffled(events, random)]) {
          let before: CallFacts | null = null;
          for (let n = 1; n <= order.length; n += 1) {
            const after = callFacts(order.slice(0, n), tz);
            if (texts(before) !== texts(after)) {
              textChanges += 1;
              expect(messageInputsChanged(before, after), `${order[n - 1]!.type} #${n} changed the text`).toBe(true);
            }
            before = after;
          }
        }
      }
      expect(textChanges).toBeGreaterThan(0);
    });
  }
});
