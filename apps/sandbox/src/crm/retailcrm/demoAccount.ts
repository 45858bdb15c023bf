/**
 * The demo's sandbox RetailCRM account ("june" for enterprise 0367 unless SANDBOX_RETAILCRM_DEMO says
 * otherwise): the demo's managers with their telephony codes (RetailCRM users 19, 18, 16 on 150, 151,
 * 152, as the demo seed maps them), a few customers, and click-to-call to the gateway, so the demo's
 * sandbox CRM page has "call" buttons that work before anyone registers the module. A registered
 * module's makeCallUrl takes over once there is one.
 */
import { setMakeCallFallback } from './makeCall.js';
import type { RetailCrmSandbox } from './retailCrmSandbox.js';

export function setUpDemoAccount(sandbox: RetailCrmSandbox, spec: string, makeCallUrl: string): void {
  const [account, clientId] = spec.split(':') as [string, string];
  if (sandbox.state.account(account)) return;
  const a = sandbox.setup({
    name: account, apiKey: `demo-${account}-key`, autoUsers: true,
    users: [
      { id: 19, firstName: 'Джулай', lastName: 'Джуновый', code: '150' },
      { id: 18, firstName: 'Тимур', lastName: 'Тимлидовый', code: '151' },
      { id: 16, firstName: 'Августа', lastName: 'Августовская', code: '152' },
    ],
    customers: [
      { id: 1, firstName: 'Иван', lastName: 'Петров', phones: [{ number: '+375296254071' }], managerId: 19 },
      { id: 2, firstName: 'Мария', lastName: 'Соколова', phones: [{ number: '+375291234567' }], managerId: 18 },
      { id: 3, firstName: 'Олег', lastName: 'Новиков', phones: [{ number: '+375447654321' }], managerId: 16 },
    ],
  });
  // Bound on first use: whatever key the demo's integration sends becomes the account's key.
  a.apiKey = null;
  setMakeCallFallback(a, { url: makeCallUrl, clientId, module: 'demo' });
}
