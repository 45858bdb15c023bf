/**
 * The demo's sandbox RetailCRM account ("june" for enterprise 0367 unless SANDBOX_RETAILCRM_DEMO says
 * otherwise): the demo's managers with their telephony codes (RetailCRM users 19, 18, 16 on 150, 151,
 * 152 and 20–36 on 153–169, as the demo seed maps them), a few customers, and click-to-call to the
 * gateway, so the demo's sandbox CRM page has "call" buttons that work before anyone registers the
 * module. A registered module's makeCallUrl takes over once there is one.
 */
import { DEMO_CUSTOMERS, DEMO_MANAGERS, managerByExt } from '../demoPeople.js';
import { setMakeCallFallback } from './makeCall.js';
import type { RetailCrmSandbox } from './retailCrmSandbox.js';

export function setUpDemoAccount(sandbox: RetailCrmSandbox, spec: string, makeCallUrl: string): void {
  const [account, clientId] = spec.split(':') as [string, string];
  if (sandbox.state.account(account)) return;
  const a = sandbox.setup({
    name: account, apiKey: `demo-${account}-key`, autoUsers: true,
    users: DEMO_MANAGERS.map((m) => ({ id: m.retailcrmId, firstName: m.firstName, lastName: m.lastName, code: m.ext })),
    customers: DEMO_CUSTOMERS.map((k, i) => ({
      id: i + 1, firstName: k.firstName, lastName: k.lastName, phones: [{ number: k.phone }], managerId: managerByExt(k.managerExt).retailcrmId,
    })),
  });
  // Bound on first use: whatever key the demo's integration sends becomes the account's key.
  a.apiKey = null;
  setMakeCallFallback(a, { url: makeCallUrl, clientId, module: 'demo' });
}
