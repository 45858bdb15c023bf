import { describe, expect, it } from 'vitest';
import type { Enrichment, InternalCallView, RecipientRole } from './callView.js';
import { renderCallMessage } from './render.js';

const names: Enrichment = { managerNames: { 150: 'Джуновый Джулай', 151: 'Тимлидовый Тимур' } };

interface Row { name: string; view: InternalCallView; enrichment: Enrichment; role: RecipientRole; text: string }

const rows: Row[] = [
  { name: 'ringing, full', view: { scope: 'internal', kind: 'dial', caller: '150', callees: ['151'] }, enrichment: names, role: 'full',
    text: '🛎️ Внутренний звонок\nДжуновый Джулай (доб. 150) → Тимлидовый Тимур (доб. 151)' },
  { name: 'ringing, brief', view: { scope: 'internal', kind: 'start', caller: '150', callees: ['151'] }, enrichment: names, role: 'brief',
    text: '🛎️ Внутренний звонок\nДжуновый Джулай → Тимлидовый Тимур' },
  { name: 'ringing several, names unknown', view: { scope: 'internal', kind: 'dial', caller: '150', callees: ['151', '152'] }, enrichment: {}, role: 'full',
    text: '🛎️ Внутренний звонок\nдоб. 150 → доб. 151, доб. 152' },
  { name: 'talking', view: { scope: 'internal', kind: 'bridge', caller: '150', callee: '151' }, enrichment: names, role: 'full',
    text: '🔗 Разговор (внутр.): Джуновый Джулай (доб. 150) ↔ Тимлидовый Тимур (доб. 151)' },
  { name: 'answered hangup with recording', view: { scope: 'internal', kind: 'hangup', caller: '150', callees: ['151'], outcome: 'answered', durationSeconds: 42, recordUrl: 'https://rec.example/i/1' },
    enrichment: names, role: 'brief',
    text: '✅ Завершен (внутр.): Джуновый Джулай ↔ Тимлидовый Тимур, 0:42\n🎧 Запись: https://rec.example/i/1' },
  { name: 'answered hangup, full', view: { scope: 'internal', kind: 'hangup', caller: '151', callees: ['150'], outcome: 'answered', durationSeconds: 600 },
    enrichment: names, role: 'full',
    text: '✅ Завершен (внутр.): Тимлидовый Тимур (доб. 151) ↔ Джуновый Джулай (доб. 150), 10:00' },
  { name: 'not answered', view: { scope: 'internal', kind: 'hangup', caller: '150', callees: ['151', '152'], outcome: 'missed', durationSeconds: 0 },
    enrichment: names, role: 'full',
    text: '❌ Не отвечен (внутр.): Джуновый Джулай (доб. 150) → Тимлидовый Тимур (доб. 151), доб. 152' },
  { name: 'busy', view: { scope: 'internal', kind: 'hangup', caller: '150', callees: ['151'], outcome: 'busy', durationSeconds: 0 },
    enrichment: names, role: 'brief',
    text: '⛔ Занято (внутр.): Джуновый Джулай → Тимлидовый Тимур' },
];

describe('internal call texts', () => {
  it.each(rows)('$name', ({ view, enrichment, role, text }) => {
    expect(renderCallMessage(view, enrichment, role)).toBe(text);
  });
});
