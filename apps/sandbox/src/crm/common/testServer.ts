/** The whole sandbox server for the CRM stand-ins' tests, with an idle emulated host. */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { serveSandbox } from '../../../../../test/support/sandboxServer.js';
import { newMoreCrms, type MoreCrms } from '../moreCrms.js';

export async function startCrmSandbox(): Promise<{ base: string; crms: MoreCrms; close: () => Promise<void> }> {
  const crms = newMoreCrms();
  const { base, close } = await serveSandbox({ moreCrms: crms });
  return { base, crms, close };
}

/**
 * For one CRM's test file: the sandbox served before its tests (`started` gets it) and closed after
 * them; before each test that CRM is reset and given one account, made afresh by `account`.
 */
export function serveCrmSandbox(started: (s: { base: string; crms: MoreCrms }) => void, crm: keyof MoreCrms, account: () => Record<string, unknown>): void {
  let close = async (): Promise<void> => {};
  let crms: MoreCrms | undefined;
  beforeAll(async () => {
    const s = await startCrmSandbox();
    ({ close, crms } = s);
    started(s);
  });
  afterAll(async () => close());
  beforeEach(() => {
    crms![crm].reset();
    crms![crm].setup(account());
  });
}

export type Body = Record<string, unknown>;
/** got options for reading every answer as JSON, errors included, without retries. */
export const opts = { throwHttpErrors: false, responseType: 'json' as const, retry: { limit: 0 } };
