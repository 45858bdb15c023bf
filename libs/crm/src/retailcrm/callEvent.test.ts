/** telephony/call/event mapping, with seed 002's rules as cases. */
import { describe, expect, it } from 'vitest';
import { sampleFacts } from '../sampleFacts.js';
import { callEventForm, hangupEvent, hangupStatusOf, popupEvent, shownExtensions, userIdFallback, type CallEvent } from './callEvent.js';
import { callTypeOf, isSkip } from './callType.js';
import { readSettings, userByExtension } from './settings.js';

// Seed 002's example: user 19 → 150, 18 → 151, 22 unassigned.
const MAP = userByExtension({ 19: '150', 18: '151', 22: null });

const event = (v: CallEvent | { skip: string }): CallEvent => {
  if (isSkip(v)) throw new Error(`skipped: ${v.skip}`);
  return v;
};

describe('RetailCRM settings', () => {
  it('reads user_extensions {userId: extension} as extension → user id, null meaning unassigned', () => {
    expect([...MAP]).toEqual([['151', 18], ['150', 19]]);
  });

  it('an extension named twice keeps the lowest user id, whatever the key order', () => {
    expect(userByExtension({ 30: '160', 7: '160' }).get('160')).toBe(7);
  });

  it('takes the domain without a trailing slash and says what is missing', () => {
    expect(readSettings({ domain: 'https://shop.retailcrm.ru/', api_key: 'k' })).toMatchObject({ baseUrl: 'https://shop.retailcrm.ru', apiKey: 'k' });
    expect(readSettings({ api_key: 'k' })).toBe('retailcrm.domain is missing or not a URL');
    expect(readSettings({ domain: 'https://shop.retailcrm.ru', api_key: ' ' })).toBe('retailcrm.api_key is missing');
  });
});

describe('RetailCRM call type (seed: CallType 0→in, 1→out, 2→skip; heuristics when missing)', () => {
  it('CallType decides when the host sent one, even against the derived direction', () => {
    expect(callTypeOf({ hostCallType: 0, direction: 'out' })).toBe('in');
    expect(callTypeOf({ hostCallType: 1, direction: 'in' })).toBe('out');
    expect(callTypeOf({ hostCallType: 2, direction: 'in' })).toBeNull();
  });

  it('without CallType, the direction callFacts derived from the numbers', () => {
    expect(callTypeOf({ hostCallType: null, direction: 'in' })).toBe('in');
    expect(callTypeOf({ hostCallType: null, direction: 'out' })).toBe('out');
    expect(callTypeOf({ hostCallType: null, direction: 'internal' })).toBeNull();
    expect(callTypeOf({ hostCallType: null, direction: null })).toBeNull();
  });
});

describe('RetailCRM popup (type in|out)', () => {
  it('an inbound call rings 150 and 151: one event, phone in E.164, both codes, callExternalId = first UniqueId, the line', () => {
    expect(event(popupEvent(sampleFacts({ stage: 'ringing', outcome: null }), ['150', '151'], MAP))).toEqual({
      phone: '+375291234567', type: 'in', codes: ['150', '151'], callExternalId: '1741165200.101', externalPhone: '0001363',
    });
  });

  it('an outbound call pops up for the manager who dialled, type out', () => {
    const facts = sampleFacts({ hostCallType: 1, direction: 'out', caller: '150', rung: [], talked: [], manager: null, stage: 'ringing' });
    expect(event(popupEvent(facts, ['150'], MAP))).toMatchObject({ type: 'out', codes: ['150'], phone: '+375291234567' });
  });

  it('codes are only the mapped extensions rung, each once; unmapped ones are left out', () => {
    expect(event(popupEvent(sampleFacts(), ['150', '199', '150'], MAP)).codes).toEqual(['150']);
  });

  it('no mapped extension rung: nothing is sent, and the reason names them', () => {
    const r = popupEvent(sampleFacts(), ['198', '199'], MAP);
    expect(r).toEqual({ skip: 'no manager to show: extensions 198, 199 are not in user_extensions' });
  });

  it('codes first: userIds are not sent while codes are', () => {
    expect(event(popupEvent(sampleFacts(), ['150'], MAP)).userIds).toBeUndefined();
  });

  it('an internal call (CallType 2) sends nothing', () => {
    expect(popupEvent(sampleFacts({ hostCallType: 2, direction: 'internal', customerPhone: null }), ['150'], MAP)).toMatchObject({ skip: expect.stringContaining('internal') });
  });

  it('no customer number sends nothing', () => {
    expect(popupEvent(sampleFacts({ customerPhone: null }), ['150'], MAP)).toEqual({ skip: 'no customer number' });
  });

  it('no line: externalPhone is left out rather than sent empty', () => {
    expect(event(popupEvent(sampleFacts({ line: null }), ['150'], MAP))).not.toHaveProperty('externalPhone');
  });
});

describe('RetailCRM hangup', () => {
  it('closes the popup of every mapped manager rung or talking, with hangupStatus', () => {
    expect(event(hangupEvent(sampleFacts(), MAP))).toEqual({
      phone: '+375291234567', type: 'hangup', codes: ['150', '151'], callExternalId: '1741165200.101', externalPhone: '0001363', hangupStatus: 'answered',
    });
  });

  it('a transfer target that talked is closed too', () => {
    const facts = sampleFacts({ rung: ['150'], talked: ['150', '151'], manager: '151' });
    expect(shownExtensions(facts)).toEqual(['150', '151']);
    expect(event(hangupEvent(facts, MAP)).codes).toEqual(['150', '151']);
  });

  it('hangupStatus in RetailCRM\'s enum: answered, busy, no answered; failed when the outcome is unknown', () => {
    expect(hangupStatusOf('answered')).toBe('answered');
    expect(hangupStatusOf('busy')).toBe('busy');
    expect(hangupStatusOf('missed')).toBe('no answered');
    expect(hangupStatusOf(null)).toBe('failed');
    expect(event(hangupEvent(sampleFacts({ outcome: 'missed', talked: [], manager: null }), MAP)).hangupStatus).toBe('no answered');
  });

  it('an internal call gets no hangup', () => {
    expect(isSkip(hangupEvent(sampleFacts({ hostCallType: 2 }), MAP))).toBe(true);
  });
});

describe('RetailCRM userIds fallback (codes RetailCRM does not know)', () => {
  const popup = event(popupEvent(sampleFacts(), ['150', '151'], MAP));

  it('the codes RetailCRM answered as notExistCodes go again as userIds', () => {
    expect(userIdFallback(popup, ['151'], MAP)).toEqual({
      phone: '+375291234567', type: 'in', userIds: [18], callExternalId: '1741165200.101', externalPhone: '0001363',
    });
    expect(userIdFallback(popup, ['150', '151'], MAP)?.userIds).toEqual([19, 18]);
  });

  it('codes the event did not carry are ignored; none left → no second request', () => {
    expect(userIdFallback(popup, ['777'], MAP)).toBeNull();
  });
});

describe('RetailCRM call/event form', () => {
  it('clientId is the enterprise number and event one JSON string', () => {
    const form = callEventForm('0367', event(popupEvent(sampleFacts(), ['150'], MAP)));
    expect(Object.keys(form)).toEqual(['clientId', 'event']);
    expect(form.clientId).toBe('0367');
    expect(JSON.parse(form.event!)).toEqual({ phone: '+375291234567', type: 'in', codes: ['150'], callExternalId: '1741165200.101', externalPhone: '0001363' });
  });
});
