import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.js';

describe('loadConfig', () => {
  it('gives every setting its default on an empty environment', () => {
    const c = loadConfig({});
    expect(c.ingestPort).toBe(8000);
    expect(c.gatewayPort).toBe(8020);
    expect(c.queuePrefix).toBe('{callpipe}');
    expect(c.telegramApiBase).toBe('https://api.telegram.org');
    expect(c.adminUser).toBeUndefined();
  });

  it('parses numbers and strips a trailing slash from URLs', () => {
    const c = loadConfig({ INGEST_PORT: '9001', TELEGRAM_API_BASE: 'http://127.0.0.1:8090/' });
    expect(c.ingestPort).toBe(9001);
    expect(c.telegramApiBase).toBe('http://127.0.0.1:8090');
  });

  it.each([
    ['INGEST_PORT', 'eighty', /INGEST_PORT must be a whole number/],
    ['INGEST_PORT', '70000', /INGEST_PORT must be between 1 and 65535/],
    ['REDIS_URL', 'localhost:6379', /REDIS_URL must/],
    ['DATABASE_URL', 'mysql://x/y', /DATABASE_URL must use postgres: or postgresql:/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be one of/],
  ])('names the bad variable %s=%s', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });
});
