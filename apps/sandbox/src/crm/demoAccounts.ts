/**
 * The demo's accounts in the MoySklad, U-ON and Bitrix24 stand-ins (the RetailCRM one is
 * retailcrm/demoAccount.ts): the demo's managers with their extensions and names, and its customers,
 * so their pages name who is called. Each binds whatever key the demo's integration sends first.
 */
import { DEMO_CUSTOMERS, DEMO_MANAGERS, managerByExt } from './demoPeople.js';
import type { MoreCrms } from './moreCrms.js';

export function setUpDemoAccounts(c: MoreCrms, account: string): void {
  const name = (m: { firstName: string; lastName: string }) => `${m.firstName} ${m.lastName}`;
  if (!c.moysklad.accountsByName.has(account)) {
    c.moysklad.setup({
      name: account,
      employees: DEMO_MANAGERS.map((m) => ({ name: name(m), extension: m.ext })),
      counterparties: DEMO_CUSTOMERS.map((k) => ({ name: `${k.lastName} ${k.firstName}`, phone: k.phone, ownerExtension: k.managerExt })),
    });
  }
  if (!c.uon.accountsByName.has(account)) {
    c.uon.setup({
      name: account,
      managers: DEMO_MANAGERS.map((m) => ({ id: String(m.crmId), name: name(m), extension: m.ext })),
      clients: DEMO_CUSTOMERS.map((k) => ({ surname: k.lastName, name: k.firstName, phone: k.phone, managerId: String(managerByExt(k.managerExt).crmId) })),
    });
  }
  if (!c.bitrix24.portals.has(account)) {
    c.bitrix24.setup({
      name: account,
      users: DEMO_MANAGERS.map((m) => ({ id: m.crmId, name: name(m), innerPhone: m.ext })),
      entities: DEMO_CUSTOMERS.map((k) => ({ type: 'CONTACT', name: `${k.firstName} ${k.lastName}`, phone: k.phone, assignedId: managerByExt(k.managerExt).crmId })),
    });
  }
}
