import { describe, expect, it } from 'vitest';
import { userByExtension } from '../../../../libs/crm/src/retailcrm/settings.js';
import { additionalCodesOf, importable, planSave, readUserExtensions, withImported } from './extensions.js';

const PHONES = new Set(['150', '151', '152', '153']);

describe('extension assignment rules (user_extensions)', () => {
  it('assigns a free number to a manager and leaves the others alone', () => {
    const plan = planSave({ 19: '150' }, { 19: '150', 18: '151' }, PHONES);
    expect(plan).toEqual({ ok: true, next: { 19: '150', 18: '151' }, changed: [{ userId: '18', extension: '151' }], freed: [] });
  });

  it('reassigning a taken number frees its old owner (who is then explicitly unassigned)', () => {
    // The form still shows 19 with 150 (no script ran): the change of 18 wins, 19 loses it.
    const plan = planSave({ 19: '150', 18: '151' }, { 19: '150', 18: '150' }, PHONES);
    expect(plan).toEqual({ ok: true, next: { 19: null, 18: '150' }, changed: [{ userId: '18', extension: '150' }], freed: [{ extension: '150', userId: '19', to: '18' }] });
  });

  it('takes a number from a manager who is not on the page too', () => {
    const plan = planSave({ 77: '152' }, { 18: '152' }, PHONES);
    expect(plan.ok && plan.next).toEqual({ 77: null, 18: '152' });
  });

  it('lets two managers swap their numbers in one save', () => {
    const plan = planSave({ 19: '150', 18: '151' }, { 19: '151', 18: '150' }, PHONES);
    expect(plan.ok && plan.next).toEqual({ 19: '151', 18: '150' });
    expect(plan.ok && plan.freed).toEqual([]);
  });

  it('refuses one number chosen for two managers in the same save', () => {
    const plan = planSave({}, { 19: '150', 18: '150' }, PHONES);
    expect(plan).toEqual({ ok: false, errors: ['150 is chosen for 2 managers (18, 19): one number belongs to one manager'] });
  });

  it('refuses a number that is not one of the enterprise\'s internal numbers, and a malformed id', () => {
    const plan = planSave({}, { 19: '999', abc: '150', 18: '15x' }, PHONES);
    expect(plan.ok).toBe(false);
    expect(!plan.ok && plan.errors).toEqual([
      '"15x" (manager 18) is not an extension',
      '999 (manager 19) is not one of the enterprise\'s internal numbers',
      '"abc" is not a RetailCRM user id',
    ]);
  });

  it('keeps an unchanged number that is no longer an internal number (only changes are checked)', () => {
    const plan = planSave({ 19: '700' }, { 19: '700', 18: '150' }, PHONES);
    expect(plan.ok && plan.next).toEqual({ 19: '700', 18: '150' });
  });

  it('unassigning stores null, so the number is not re-imported from RetailCRM later', () => {
    const plan = planSave({ 19: '150' }, { 19: '' }, PHONES);
    expect(plan.ok && plan.next).toEqual({ 19: null });
    expect(importable(plan.ok ? plan.next : {}, [{ userId: 19, code: '150' }])).toEqual([]);
  });

  it('whatever is saved, libs/crm reads one user per extension from it', () => {
    const plan = planSave({ 19: '150', 18: '151', 22: null }, { 19: '151', 18: '151', 22: '150' }, PHONES);
    // 19 takes 151 from 18 (unchanged on the form, so freed); 22 takes 150, which 19 gave up.
    expect(plan.ok && plan.next).toEqual({ 19: '151', 18: null, 22: '150' });
    expect([...userByExtension(plan.ok ? plan.next : {})]).toEqual([['151', 19], ['150', 22]]);
  });
});

describe('codes that exist only in RetailCRM', () => {
  it('imports a code whose user has no local entry and whose number nobody holds here', () => {
    const stored = { 19: '150', 22: null };
    const remote = [{ userId: 19, code: '155' }, { userId: 22, code: '152' }, { userId: 18, code: '151' }, { userId: 30, code: '150' }, { userId: 31, code: '151' }];
    // 19: ours wins; 22: unassigned here on purpose; 18 → 151 imported; 30: 150 is ours; 31: 151 just imported for 18.
    expect(importable(stored, remote)).toEqual([{ userId: 18, code: '151' }]);
    expect(withImported(stored, [{ userId: 18, code: '151' }])).toEqual({ 19: '150', 22: null, 18: '151' });
  });

  it('reads additionalCodes from integrations.telephony, or from the root of an old registration', () => {
    expect(additionalCodesOf({ integrations: { telephony: { additionalCodes: [{ userId: '19', code: 150 }, { userId: 18, code: '151' }, { code: '9' }] } } }))
      .toEqual([{ userId: 19, code: '150' }, { userId: 18, code: '151' }]);
    expect(additionalCodesOf({ additionalCodes: [{ userId: 16, code: '152' }] })).toEqual([{ userId: 16, code: '152' }]);
    expect(additionalCodesOf(undefined)).toEqual([]);
  });

  it('reads a stored mapping defensively', () => {
    expect(readUserExtensions({ 19: '150', 18: 151, 22: null, 23: '', x: '1', 24: 'abc' })).toEqual({ 19: '150', 18: '151', 22: null, 23: null });
  });
});
