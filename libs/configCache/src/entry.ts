/**
 * One cached enterprise: who it is (number, name, host token) and its integrations — the on/off
 * matrix and each valid integration's settings — with the time it was read from PostgreSQL.
 * The same JSON is held in Redis and in each process.
 */
import { integrationError } from './integrationSchemas.js';

export interface InvalidIntegration {
  integration: string;
  error: string;
}

export interface EnterpriseEntry {
  number: string;
  name: string;
  /** The host Token (enterprises.name2). */
  token: string | null;
  /** { retailcrm: true, ms: false, … }: true only for a valid integration with enabled: true. */
  integrations: Record<string, boolean>;
  /** Settings of every integration that passed its schema. */
  configs: Record<string, Record<string, unknown>>;
  /** smart.primary: the integration customer lookups go through (null: none). */
  primary: string | null;
  /** Integrations whose settings fail their schema: treated as disabled. */
  invalid: InvalidIntegration[];
  /** Epoch ms when read from PostgreSQL, and when it stops being served. */
  loadedAt: number;
  expiresAt: number;
}

/** A row of enterprises as the loader reads it. */
export interface EnterpriseRow {
  number: string;
  name: string;
  name2: string | null;
  integrations_config: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The old system sometimes stored integrations_config as a JSON string inside the JSONB column;
 * both forms are read. Anything that is not an object (after that) is one invalid "(all)" entry.
 */
function settingsObject(raw: unknown): { settings: Record<string, unknown>; invalid: InvalidIntegration[] } {
  if (raw === null || raw === undefined) return { settings: {}, invalid: [] };
  let value: unknown = raw;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      return { settings: {}, invalid: [{ integration: '(all)', error: 'integrations_config is a string that is not JSON' }] };
    }
  }
  if (!isObject(value)) return { settings: {}, invalid: [{ integration: '(all)', error: 'integrations_config must be a JSON object' }] };
  return { settings: value, invalid: [] };
}

const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function buildEntry(row: EnterpriseRow, now: number, ttlMs: number): EnterpriseEntry {
  const { settings, invalid } = settingsObject(row.integrations_config);
  const integrations: Record<string, boolean> = {};
  const configs: Record<string, Record<string, unknown>> = {};
  for (const [type, value] of Object.entries(settings)) {
    // A key JSON may hold but an object must not get: assigning it would replace the prototype.
    if (PROTOTYPE_KEYS.has(type)) {
      invalid.push({ integration: type, error: 'is not an integration type' });
      continue;
    }
    const error = integrationError(type, value);
    if (error || !isObject(value)) {
      invalid.push({ integration: type, error: error ?? 'must be an object' });
      integrations[type] = false;
      continue;
    }
    configs[type] = value;
    integrations[type] = value.enabled === true;
  }
  const primary = typeof configs.smart?.primary === 'string' ? configs.smart.primary : null;
  return {
    number: row.number, name: row.name, token: row.name2 || null,
    integrations, configs, primary, invalid,
    loadedAt: now, expiresAt: now + ttlMs,
  };
}

/** Whether an identifier names this entry: its number, its host token, or its name (any case). */
export function entryMatches(entry: EnterpriseEntry, id: string): boolean {
  return entry.number === id || (entry.token !== null && entry.token === id) || entry.name.toLowerCase() === id.toLowerCase();
}
