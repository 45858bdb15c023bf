/** The whole sandbox server for the CRM stand-ins' tests, with an idle emulated host. */
import { listen } from '../../../../../test/support/listen.js';
import { testLogger } from '../../../../../test/support/testEnv.js';
import { EmulatedHost } from '../../host/emulatedHost.js';
import { createSandbox } from '../../sandbox.js';
import { TelegramSandbox } from '../../telegram/index.js';
import { newMoreCrms, type MoreCrms } from '../moreCrms.js';

export async function startCrmSandbox(): Promise<{ base: string; crms: MoreCrms; close: () => Promise<void> }> {
  const crms = newMoreCrms();
  const host = new EmulatedHost({ ingestUrl: 'http://127.0.0.1:9', token: 't', callsPerMinute: 0, speed: 1, log: testLogger() });
  const { base, close } = await listen(createSandbox({ host, telegram: new TelegramSandbox(), moreCrms: crms }));
  return { base, crms, close };
}
