/**
 * Every CRM the dispatch knows, in one list. Adding a CRM: its folder under libs/crm/src/<name>/
 * exporting one CrmAdapter, an import here and its name in CRM_ADAPTERS. Nothing else names a CRM.
 */
import type { CrmAdapter } from './adapter.js';
import { bitrix24Adapter } from './bitrix24/index.js';
import { moyskladAdapter } from './moysklad/index.js';
import { retailCrmAdapter } from './retailcrm/index.js';
import { uonAdapter } from './uon/index.js';

export const CRM_ADAPTERS: readonly CrmAdapter[] = [
  retailCrmAdapter,
  moyskladAdapter,
  uonAdapter,
  bitrix24Adapter,
];

const byType = new Map<string, CrmAdapter>(CRM_ADAPTERS.map((a) => [a.type, a]));

/** The adapter for an integrations_config key (retailcrm, ms, uon, bitrix24), or undefined. */
export function adapterFor(type: string): CrmAdapter | undefined {
  return byType.get(type);
}

/** The integrations_config keys that have an adapter. */
export function crmTypes(): string[] {
  return [...byType.keys()];
}
