import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { lazyChild } from './lazyChild.js';
import { redactPaths } from './redaction.js';

function sink(level: string): { log: Logger; lines: () => Record<string, unknown>[] } {
  let out = '';
  const stream = new Writable({ write(chunk, _enc, cb) { out += String(chunk); cb(); } });
  const log = pino({ level, redact: { paths: redactPaths(), censor: '[redacted]' } }, stream);
  return { log, lines: () => out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('lazyChild (a job\'s logger, made when it first writes)', () => {
  it('makes no pino child while nothing is written, nor for lines below the level', () => {
    const { log, lines } = sink('info');
    const child = vi.spyOn(log, 'child');
    const job = lazyChild(log, { callId: 'c1', enterprise: '0367' }).child({ chatId: '42' });
    job.debug('not written');
    expect(job.isLevelEnabled('debug')).toBe(false);
    expect(job.isLevelEnabled('warn')).toBe(true);
    expect(child).not.toHaveBeenCalled();
    expect(lines()).toEqual([]);
  });

  it('writes with every binding of the chain, once made, and redacts secrets in them', () => {
    const { log, lines } = sink('info');
    const child = vi.spyOn(log, 'child');
    const job = lazyChild(log, { callId: 'c1', enterprise: '0367', token: '123456:AAAAsecretsecretsecret' }).child({ chatId: '42' });
    job.warn({ waitMs: 5 }, 'first');
    job.info('second');
    expect(child).toHaveBeenCalledTimes(1);
    const [first, second] = lines();
    expect(first).toMatchObject({ callId: 'c1', enterprise: '0367', chatId: '42', waitMs: 5, msg: 'first', token: '[redacted]' });
    expect(second).toMatchObject({ callId: 'c1', chatId: '42', msg: 'second' });
    expect(JSON.stringify(lines())).not.toContain('AAAAsecret');
  });

  it('a child of a made child is a pino child of it', () => {
    const { log, lines } = sink('debug');
    const job = lazyChild(log, { callId: 'c2' });
    job.debug('made');
    job.child({ step: 'crm' }).info('from the step');
    expect(lines().at(-1)).toMatchObject({ callId: 'c2', step: 'crm', msg: 'from the step' });
  });
});
