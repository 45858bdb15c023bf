import { describe, expect, it } from 'vitest';
import type { Enrichment, ExternalCallView, RecipientRole } from './callView.js';
import { renderCallMessage } from './render.js';

const known: Enrichment = {
  customerName: 'Иван Петров',
  managerNames: { 150: 'Джуновый Джулай', 151: 'Тимлидовый Тимур', 152: 'Августовская Августа' },
  lineName: 'МТС Главный офис',
};
const nothing: Enrichment = {};
const phone = '375296254070';

interface Row { name: string; view: ExternalCallView; enrichment: Enrichment; role: RecipientRole; text: string }

const rows: Row[] = [
  // Inbound: start, then ringing one or several extensions.
  { name: 'inbound start, full', view: { scope: 'external', kind: 'start', direction: 'in', phone, extensions: [] }, enrichment: known, role: 'full',
    text: '📞 Звонок от +375 (29) 625-40-70\n💬 Клиент: Иван Петров\n📱 Линия: МТС Главный офис' },
  { name: 'inbound start, brief', view: { scope: 'external', kind: 'start', direction: 'in', phone, extensions: [] }, enrichment: known, role: 'brief',
    text: '📞 Звонок от +375 (29) 625-40-70' },
  { name: 'inbound dial to one extension, full', view: { scope: 'external', kind: 'dial', direction: 'in', phone, extensions: ['150'] }, enrichment: known, role: 'full',
    text: '📞 Дозвон от +375 (29) 625-40-70\n💬 Клиент: Иван Петров\n☎️ Звонит: Джуновый Джулай (доб. 150)\n📱 Линия: МТС Главный офис' },
  { name: 'inbound dial to several extensions, full', view: { scope: 'external', kind: 'dial', direction: 'in', phone, extensions: ['150', '151', '152'] }, enrichment: known, role: 'full',
    text: '📞 Дозвон от +375 (29) 625-40-70\n💬 Клиент: Иван Петров\n☎️ Звонит: Джуновый Джулай (доб. 150), Тимлидовый Тимур (доб. 151), Августовская Августа (доб. 152)\n📱 Линия: МТС Главный офис' },
  { name: 'inbound dial to several extensions, brief', view: { scope: 'external', kind: 'dial', direction: 'in', phone, extensions: ['150', '151'] }, enrichment: known, role: 'brief',
    text: '📞 Дозвон от +375 (29) 625-40-70\n☎️ Звонит: Джуновый Джулай, Тимлидовый Тимур' },
  { name: 'inbound dial, every lookup failed', view: { scope: 'external', kind: 'dial', direction: 'in', phone, extensions: ['150', '151'] }, enrichment: nothing, role: 'full',
    text: '📞 Дозвон от +375 (29) 625-40-70\n☎️ Звонит: доб. 150, доб. 151' },
  { name: 'inbound dial, one manager unknown', view: { scope: 'external', kind: 'dial', direction: 'in', phone, extensions: ['150', '199'] }, enrichment: known, role: 'brief',
    text: '📞 Дозвон от +375 (29) 625-40-70\n☎️ Звонит: Джуновый Джулай, доб. 199' },
  // Outbound: the manager dials the customer.
  { name: 'outbound dial, full', view: { scope: 'external', kind: 'dial', direction: 'out', phone, extensions: ['151'] }, enrichment: { ...known, customerName: undefined }, role: 'full',
    text: '📞 Исходящий вызов на +375 (29) 625-40-70\n👤 Менеджер: Тимлидовый Тимур (доб. 151)\n📱 Линия: МТС Главный офис' },
  { name: 'outbound dial, brief', view: { scope: 'external', kind: 'dial', direction: 'out', phone, extensions: ['151'] }, enrichment: known, role: 'brief',
    text: '📞 Исходящий вызов на +375 (29) 625-40-70\n👤 Менеджер: Тимлидовый Тимур' },
  { name: 'outbound start, full', view: { scope: 'external', kind: 'start', direction: 'out', phone, extensions: ['151'] }, enrichment: known, role: 'full',
    text: '📞 Исходящий вызов на +375 (29) 625-40-70\n💬 Клиент: Иван Петров\n👤 Менеджер: Тимлидовый Тимур (доб. 151)\n📱 Линия: МТС Главный офис' },
  // Talking, and after a transfer.
  { name: 'inbound bridge, full', view: { scope: 'external', kind: 'bridge', direction: 'in', phone, extension: '150' }, enrichment: known, role: 'full',
    text: '🔗 Разговор: +375 (29) 625-40-70\n💬 Клиент: Иван Петров\n👤 Менеджер: Джуновый Джулай (доб. 150)\n📱 Линия: МТС Главный офис' },
  { name: 'inbound bridge, brief', view: { scope: 'external', kind: 'bridge', direction: 'in', phone, extension: '150' }, enrichment: known, role: 'brief',
    text: '🔗 Разговор: +375 (29) 625-40-70\n👤 Менеджер: Джуновый Джулай' },
  { name: 'outbound bridge, full', view: { scope: 'external', kind: 'bridge', direction: 'out', phone, extension: '151' }, enrichment: known, role: 'full',
    text: '🔗 Разговор (исх.): +375 (29) 625-40-70\n💬 Клиент: Иван Петров\n👤 Менеджер: Тимлидовый Тимур (доб. 151)\n📱 Линия: МТС Главный офис' },
  { name: 'bridge after a transfer, full', view: { scope: 'external', kind: 'bridge', direction: 'in', phone, extension: '151', transferredFrom: '150' }, enrichment: known, role: 'full',
    text: '🔀 Переведен: +375 (29) 625-40-70\n💬 Клиент: Иван Петров\n👤 Менеджер: Тимлидовый Тимур (доб. 151)\n↪️ Перевел: Джуновый Джулай (доб. 150)\n📱 Линия: МТС Главный офис' },
  { name: 'bridge after a transfer, brief', view: { scope: 'external', kind: 'bridge', direction: 'in', phone, extension: '151', transferredFrom: '150' }, enrichment: known, role: 'brief',
    text: '🔀 Переведен: +375 (29) 625-40-70\n👤 Менеджер: Тимлидовый Тимур\n↪️ Перевел: Джуновый Джулай' },
  // Hangups: answered (duration, recording), missed, busy; both directions; transfers.
  { name: 'inbound answered hangup with recording, full',
    view: { scope: 'external', kind: 'hangup', direction: 'in', phone, outcome: 'answered', extensions: ['150'], durationSeconds: 125, recordUrl: 'https://rec.example/r/abc' },
    enrichment: known, role: 'full',
    text: '✅ Завершен входящий: +375 (29) 625-40-70, 2:05\n💬 Клиент: Иван Петров\n👤 Менеджер: Джуновый Джулай (доб. 150)\n📱 Линия: МТС Главный офис\n🎧 Запись: https://rec.example/r/abc' },
  { name: 'inbound answered hangup with recording, brief',
    view: { scope: 'external', kind: 'hangup', direction: 'in', phone, outcome: 'answered', extensions: ['150'], durationSeconds: 125, recordUrl: 'https://rec.example/r/abc' },
    enrichment: known, role: 'brief',
    text: '✅ Завершен входящий: +375 (29) 625-40-70, 2:05\n👤 Менеджер: Джуновый Джулай\n🎧 Запись: https://rec.example/r/abc' },
  { name: 'outbound answered hangup without recording',
    view: { scope: 'external', kind: 'hangup', direction: 'out', phone, outcome: 'answered', extensions: ['151'], durationSeconds: 7 },
    enrichment: known, role: 'full',
    text: '✅ Завершен исходящий: +375 (29) 625-40-70, 0:07\n💬 Клиент: Иван Петров\n👤 Менеджер: Тимлидовый Тимур (доб. 151)\n📱 Линия: МТС Главный офис' },
  { name: 'inbound missed hangup: no duration, no recording even if sent',
    view: { scope: 'external', kind: 'hangup', direction: 'in', phone, outcome: 'missed', extensions: ['150', '151'], durationSeconds: 0, recordUrl: 'https://rec.example/r/x' },
    enrichment: known, role: 'full',
    text: '❌ Пропущенный звонок от +375 (29) 625-40-70\n💬 Клиент: Иван Петров\n☎️ Звонил: Джуновый Джулай (доб. 150), Тимлидовый Тимур (доб. 151)\n📱 Линия: МТС Главный офис' },
  { name: 'inbound missed hangup, brief',
    view: { scope: 'external', kind: 'hangup', direction: 'in', phone, outcome: 'missed', extensions: ['150'], durationSeconds: 0 },
    enrichment: known, role: 'brief',
    text: '❌ Пропущенный звонок от +375 (29) 625-40-70\n☎️ Звонил: Джуновый Джулай' },
  { name: 'outbound not answered',
    view: { scope: 'external', kind: 'hangup', direction: 'out', phone, outcome: 'missed', extensions: ['152'], durationSeconds: 0 },
    enrichment: known, role: 'brief',
    text: '❌ Не дозвонились: +375 (29) 625-40-70\n👤 Менеджер: Августовская Августа' },
  { name: 'inbound busy',
    view: { scope: 'external', kind: 'hangup', direction: 'in', phone, outcome: 'busy', extensions: ['150'], durationSeconds: 0 },
    enrichment: nothing, role: 'full',
    text: '⛔ Занято: звонок от +375 (29) 625-40-70\n☎️ Звонил: доб. 150' },
  { name: 'outbound busy',
    view: { scope: 'external', kind: 'hangup', direction: 'out', phone, outcome: 'busy', extensions: ['150'], durationSeconds: 0 },
    enrichment: known, role: 'brief',
    text: '⛔ Занято: +375 (29) 625-40-70\n👤 Менеджер: Джуновый Джулай' },
  { name: 'answered hangup after transfers, full',
    view: { scope: 'external', kind: 'hangup', direction: 'in', phone, outcome: 'answered', extensions: ['152'], durationSeconds: 301, transfers: ['150', '151', '152'], recordUrl: 'https://rec.example/r/t' },
    enrichment: known, role: 'full',
    text: '✅ Завершен входящий: +375 (29) 625-40-70, 5:01\n💬 Клиент: Иван Петров\n👤 Менеджер: Августовская Августа (доб. 152)\n🔀 Переводы: Джуновый Джулай (доб. 150) → Тимлидовый Тимур (доб. 151) → Августовская Августа (доб. 152)\n📱 Линия: МТС Главный офис\n🎧 Запись: https://rec.example/r/t' },
  { name: 'answered hangup after transfers, brief',
    view: { scope: 'external', kind: 'hangup', direction: 'in', phone, outcome: 'answered', extensions: ['151'], durationSeconds: 61, transfers: ['150', '151'] },
    enrichment: known, role: 'brief',
    text: '✅ Завершен входящий: +375 (29) 625-40-70, 1:01\n👤 Менеджер: Тимлидовый Тимур\n🔀 Переводы: Джуновый Джулай → Тимлидовый Тимур' },
];

describe('external call texts', () => {
  it.each(rows)('$name', ({ view, enrichment, role, text }) => {
    expect(renderCallMessage(view, enrichment, role)).toBe(text);
  });

  it('never shows the customer name or the line to a brief recipient, whatever the event', () => {
    for (const { view } of rows) {
      const text = renderCallMessage(view, known, 'brief');
      expect(text, view.kind).not.toContain('Иван Петров');
      expect(text, view.kind).not.toContain('МТС Главный офис');
      expect(text, view.kind).not.toContain('доб. 15');
    }
  });

  it('cuts a text longer than Telegram allows to 4096 characters', () => {
    const many = Array.from({ length: 800 }, (_, i) => String(1000 + i));
    const text = renderCallMessage({ scope: 'external', kind: 'dial', direction: 'in', phone, extensions: many }, nothing, 'full');
    expect(text.length).toBe(4096);
    expect(text.endsWith('…')).toBe(true);
  });
});
