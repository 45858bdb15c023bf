import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { maskSecret, redactPaths, scrubBotTokens } from './index.js';

function capture(obj: object): string {
  let out = '';
  const sink = new Writable({ write(chunk, _enc, cb) { out += String(chunk); cb(); } });
  pino({ redact: { paths: redactPaths(), censor: '[redacted]' } }, sink).info(obj, 'x');
  return out;
}

describe('log redaction', () => {
  it('hides bot tokens, api keys and host tokens at any of the first levels', () => {
    const line = capture({
      bot_token: '123456:AAAAsecretsecretsecret',
      enterprise: { Token: '375293332255', integrations: { retailcrm: { api_key: 'rk-secret' } } },
      headers: { 'x-api-key': 'hdr-secret', authorization: 'Basic abc' },
    });
    for (const secret of ['AAAAsecret', '375293332255', 'rk-secret', 'hdr-secret', 'Basic abc']) {
      expect(line).not.toContain(secret);
    }
    expect(line).toContain('[redacted]');
  });

  it('masks a secret to its first four characters and its length', () => {
    expect(maskSecret('375293332255')).toBe('3752…(12)');
    expect(maskSecret('abc')).toBe('…');
    expect(maskSecret(undefined)).toBe('');
  });

  it('scrubs a bot token out of a Telegram URL', () => {
    expect(scrubBotTokens('POST https://api.telegram.org/bot123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage'))
      .toBe('POST https://api.telegram.org/bot<redacted>/sendMessage');
  });
});
