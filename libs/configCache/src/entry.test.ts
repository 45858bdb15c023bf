import { describe, expect, it } from 'vitest';
import { buildEntry, entryMatches } from './entry.js';

const row = (integrations_config: unknown) => ({ number: '0367', name: 'june', name2: '375293332255', integrations_config });

describe('building a cache entry from integrations_config', () => {
  it('turns the settings into the on/off matrix, keeping each valid integration\'s settings and the primary', () => {
    const e = buildEntry(row({
      retailcrm: { enabled: true, domain: 'https://example.retailcrm.ru', api_key: 'k-123456', user_extensions: { 19: '150', 22: null } },
      ms: { enabled: false },
      uon: { enabled: true, api_key: 'u-1' },
      smart: { primary: 'retailcrm' },
    }), 1_000, 90_000);
    expect(e.integrations).toEqual({ retailcrm: true, ms: false, uon: true, smart: false });
    expect(e.configs.retailcrm).toMatchObject({ api_key: 'k-123456' });
    expect(e.primary).toBe('retailcrm');
    expect(e.invalid).toEqual([]);
    expect([e.loadedAt, e.expiresAt]).toEqual([1_000, 91_000]);
  });

  it('treats an integration whose settings fail the schema as disabled and says why', () => {
    const e = buildEntry(row({
      retailcrm: { enabled: true, domain: 'https://x.retailcrm.ru' },
      ms: 'yes',
      uon: { enabled: 'true', api_key: 'u' },
      // A type without a schema of its own is opaque: any object with a boolean `enabled` passes.
      planfix: { enabled: true, webhook: 'w' },
    }), 0, 90_000);
    expect(e.integrations).toEqual({ retailcrm: false, ms: false, uon: false, planfix: true });
    expect(e.configs).toEqual({ planfix: { enabled: true, webhook: 'w' } });
    expect(e.invalid).toEqual([
      { integration: 'retailcrm', error: 'api_key is required when enabled' },
      { integration: 'ms', error: '(config) must be object' },
      { integration: 'uon', error: 'enabled must be boolean' },
    ]);
  });

  it('accepts a half-filled integration while it is disabled', () => {
    const e = buildEntry(row({ retailcrm: { enabled: false, domain: '' } }), 0, 1);
    expect(e.invalid).toEqual([{ integration: 'retailcrm', error: 'domain must match pattern "^https?://[^\\s/]+"' }]);
    expect(buildEntry(row({ retailcrm: { enabled: false } }), 0, 1).invalid).toEqual([]);
  });

  it('reads settings stored as a JSON string (as the old system sometimes wrote them) and reports a broken one', () => {
    expect(buildEntry(row(JSON.stringify({ uon: { enabled: true, api_key: 'k' } })), 0, 1).integrations).toEqual({ uon: true });
    const broken = buildEntry(row('{"uon": '), 0, 1);
    expect(broken.integrations).toEqual({});
    expect(broken.invalid).toEqual([{ integration: '(all)', error: 'integrations_config is a string that is not JSON' }]);
    expect(buildEntry(row([1, 2]), 0, 1).invalid[0]?.integration).toBe('(all)');
    expect(buildEntry(row(null), 0, 1)).toMatchObject({ integrations: {}, invalid: [], primary: null });
  });

  it('is named by its number, its host token, or its name in any case', () => {
    const e = buildEntry(row({}), 0, 1);
    expect(['0367', '375293332255', 'june', 'JUNE'].map((id) => entryMatches(e, id))).toEqual([true, true, true, true]);
    expect(entryMatches(e, '0368')).toBe(false);
  });
});
