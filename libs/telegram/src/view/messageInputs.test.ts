import { describe, expect, it } from 'vitest';
import type { CallFacts } from '@callpipe/call-facts';
import { messageInputsChanged, messageInputsOf } from './messageInputs.js';

const ringing: CallFacts = {
  callRef: '1759230684.16', direction: 'in', stage: 'ringing', outcome: null, customerPhone: '375296254070', line: '0001363',
  rung: ['150', '151'], talked: [], servedBy: [], manager: null, caller: null, callees: [], start: null, end: null, durationSec: null,
  timeSource: 'host', recordUrl: null, hostCallType: 0, dialSeen: true, hangupSeen: false, rooted: true,
  uniqueIds: ['1759230684.16'], bridgeUniqueIds: [], eventCount: 2,
};

describe('messageInputsChanged (does an event need a Telegram sync?)', () => {
  it('facts that differ only in what no message shows (ids, counts, time source) need none', () => {
    const more: CallFacts = { ...ringing, uniqueIds: [...ringing.uniqueIds, '1759230684.17'], bridgeUniqueIds: ['b1'], eventCount: 5, timeSource: 'received' };
    expect(messageInputsChanged(ringing, more)).toBe(false);
    expect(messageInputsOf(ringing)).toBe(messageInputsOf({ ...ringing }));
  });

  it('an extension the message does not name (a leg that joined while another talks) needs none', () => {
    const talking: CallFacts = { ...ringing, stage: 'talking', talked: ['151'], servedBy: ['151'], manager: '151' };
    expect(messageInputsChanged(talking, { ...talking, talked: ['151', '152'], callees: ['152'] })).toBe(false);
    expect(messageInputsChanged(talking, { ...talking, manager: '152', talked: ['151', '152'], servedBy: ['151', '152'] })).toBe(true);
  });

  it('a stage change, another extension rung, the line or the call ref each need one', () => {
    expect(messageInputsChanged(ringing, { ...ringing, stage: 'talking', talked: ['151'], servedBy: ['151'], manager: '151' })).toBe(true);
    expect(messageInputsChanged(ringing, { ...ringing, rung: ['150', '151', '152'] })).toBe(true);
    expect(messageInputsChanged(ringing, { ...ringing, line: '0001364' })).toBe(true);
    expect(messageInputsChanged(ringing, { ...ringing, callRef: '1759230684.15' })).toBe(true);
  });

  it('the final message changes with the duration and the record link', () => {
    const ended: CallFacts = { ...ringing, stage: 'ended', outcome: 'missed', hangupSeen: true, durationSec: 12 };
    expect(messageInputsChanged(ringing, ended)).toBe(true);
    expect(messageInputsChanged(ended, { ...ended, durationSec: 13 })).toBe(true);
    expect(messageInputsChanged(ended, { ...ended, recordUrl: 'https://records.example/1.mp3' })).toBe(true);
  });

  it('nothing shown before (no facts, or no direction yet) and something shown now needs one; nothing to nothing needs none', () => {
    expect(messageInputsChanged(null, ringing)).toBe(true);
    expect(messageInputsChanged({ ...ringing, direction: null }, ringing)).toBe(true);
    expect(messageInputsChanged(null, { ...ringing, direction: null })).toBe(false);
  });
});
