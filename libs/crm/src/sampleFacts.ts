/**
 * CallFacts literals for the adapters' tests: an inbound call rung on 150 and 151, answered by 151,
 * 95 s by the host's clock, recorded. Tests override what they are about.
 */
import type { CallFacts } from '@callpipe/call-facts';

export function sampleFacts(over: Partial<CallFacts> = {}): CallFacts {
  return {
    callRef: '1741165200.101',
    direction: 'in',
    stage: 'ended',
    outcome: 'answered',
    customerPhone: '375291234567',
    line: '0001363',
    rung: ['150', '151'],
    talked: ['151'],
    servedBy: ['151'],
    manager: '151',
    caller: null,
    callees: [],
    start: { at: new Date('2026-03-05T08:00:00Z'), local: '2026-03-05 11:00:00' },
    end: { at: new Date('2026-03-05T08:01:35Z'), local: '2026-03-05 11:01:35' },
    durationSec: 95,
    timeSource: 'host',
    recordUrl: 'https://records.example/1741165200.101.mp3',
    hostCallType: 0,
    dialSeen: true,
    hangupSeen: true,
    rooted: true,
    uniqueIds: ['1741165200.101', '1741165200.102', '1741165200.103'],
    bridgeUniqueIds: ['b-1'],
    eventCount: 9,
    ...over,
  };
}

/** The same call while it rings: nothing ended yet. */
export function ringingFacts(over: Partial<CallFacts> = {}): CallFacts {
  return sampleFacts({ stage: 'ringing', outcome: null, talked: [], servedBy: [], manager: null, end: null, durationSec: null, recordUrl: null, hangupSeen: false, ...over });
}
