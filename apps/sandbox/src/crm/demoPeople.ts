/**
 * The demo's managers and customers as every sandbox CRM knows them. The managers are the emulated
 * host's extensions 150–169 (host/managerPool.ts), with the user ids the demo seed maps them to
 * (db/src/demoIntegrations.ts): RetailCRM 19, 18, 16 for 150–152 (the old system's example) and 20–36
 * after them; U-ON and Bitrix24 1–20. 150–152 have the names the demo seed gives them.
 */
export interface DemoManager {
  ext: string;
  firstName: string;
  lastName: string;
  retailcrmId: number;
  /** The U-ON manager id and the Bitrix24 user id. */
  crmId: number;
}

const NAMED: readonly [string, string][] = [['Джулай', 'Джуновый'], ['Тимур', 'Тимлидовый'], ['Августа', 'Августовская']];

export const DEMO_MANAGERS: readonly DemoManager[] = Array.from({ length: 20 }, (_, i) => ({
  ext: String(150 + i),
  firstName: NAMED[i]?.[0] ?? 'Менеджер',
  lastName: NAMED[i]?.[1] ?? String(150 + i),
  retailcrmId: [19, 18, 16][i] ?? 17 + i,
  crmId: i + 1,
}));

export interface DemoCustomer { firstName: string; lastName: string; phone: string; managerExt: string }

export const DEMO_CUSTOMERS: readonly DemoCustomer[] = [
  { firstName: 'Иван', lastName: 'Петров', phone: '+375296254071', managerExt: '150' },
  { firstName: 'Мария', lastName: 'Соколова', phone: '+375291234567', managerExt: '151' },
  { firstName: 'Олег', lastName: 'Новиков', phone: '+375447654321', managerExt: '152' },
];

export const managerByExt = (ext: string): DemoManager => DEMO_MANAGERS.find((m) => m.ext === ext)!;
