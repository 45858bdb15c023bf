/**
 * The sandbox AMI spoken to by the project's AMI client (libs/ami over asterisk-ami-client): login,
 * originate with its OriginateResponse, redirect, and each failure a caller must tell apart.
 */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AmiError, originateCall, redirectChannel, type AmiSettings } from '@callpipe/ami';
import type { GeneratedCall } from '../emulator/index.js';
import { AmiSandbox } from './amiSandbox.js';

const SECRET = 'very-secret-ami-password';
const timeouts = { connectMs: 1500, resultMs: 3000 };
let sandbox: AmiSandbox | null = null;

async function start(placed: GeneratedCall[] = []): Promise<{ ami: AmiSandbox; settings: AmiSettings }> {
  const ami = new AmiSandbox({ username: 'crm', secret: SECRET, token: 'tok-1', answerMs: 50, slowMs: 5000, placeCall: async (c) => { placed.push(c); } });
  sandbox = ami;
  const port = await ami.listen(0);
  return { ami, settings: { host: '127.0.0.1', port, username: 'crm', secret: SECRET, context: 'inoffice' } };
}

async function failure(p: Promise<unknown>): Promise<AmiError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(AmiError);
  return err as AmiError;
}

afterEach(async () => {
  await sandbox?.close();
  sandbox = null;
});

describe('sandbox AMI with the AMI client', () => {
  it('originates: Local channel to the extension, Dial to the customer, OriginateResponse with our ActionID and a Uniqueid the posted call starts with', async () => {
    const placed: GeneratedCall[] = [];
    const { ami, settings } = await start(placed);
    const result = await originateCall(settings, { extension: '150', phone: '+375296254070', variables: { CALLPIPE_ORIGIN: 'retailcrm' } }, timeouts);
    expect(result.uniqueId).toMatch(/^\d+\.\d+$/);
    expect(result.response.ActionID).toBe(result.actionId);
    const originate = ami.records.find((r) => r.action.toLowerCase() === 'originate')!;
    expect(originate.fields).toMatchObject({
      channel: 'Local/150@inoffice', application: 'Dial', data: 'Local/+375296254070@inoffice', async: 'true', actionid: result.actionId,
      variable: 'CALLPIPE_ORIGIN=retailcrm',
    });
    expect(ami.records.map((r) => r.action.toLowerCase())).toEqual(['login', 'originate', 'logoff']);
    await expect.poll(() => placed.length).toBe(1);
    const call = placed[0]!;
    expect(call.expected.uniqueIds[0]).toBe(result.uniqueId);
    expect(call.expected.direction).toBe('out');
    expect(call.expected.externalPhones).toEqual(['375296254070']);
    const dial = call.events.find((e) => e.type === 'dial')!.body as { Extensions: string[]; Token: string };
    expect(dial.Extensions).toEqual(['150']);
    expect(dial.Token).toBe('tok-1');
  });

  it('never records or echoes the secret', async () => {
    const { ami, settings } = await start();
    await originateCall(settings, { extension: '151', phone: '+375291112233' }, timeouts);
    const login = ami.records.find((r) => r.action.toLowerCase() === 'login')!;
    expect(login.fields.secret).toBe('[masked]');
    expect(JSON.stringify(ami.records)).not.toContain(SECRET);
  });

  it('a wrong secret is a login failure with the PBX\'s message, and nothing is originated', async () => {
    const { ami, settings } = await start();
    const err = await failure(originateCall({ ...settings, secret: 'wrong-secret' }, { extension: '150', phone: '+375296254070' }, timeouts));
    expect(err.kind).toBe('login_failed');
    expect(err.message).toContain('Authentication failed');
    expect(err.message).not.toContain('wrong-secret');
    expect(ami.records.some((r) => r.action.toLowerCase() === 'originate')).toBe(false);
  });

  it('bad-login mode refuses even the right credentials', async () => {
    const { ami, settings } = await start();
    ami.setMode('bad-login');
    expect((await failure(originateCall(settings, { extension: '150', phone: '+375296254070' }, timeouts))).kind).toBe('login_failed');
  });

  it('refuse mode: the PBX queues the Originate, then reports a failure with its reason', async () => {
    const placed: GeneratedCall[] = [];
    const { ami, settings } = await start(placed);
    ami.setMode('refuse');
    const err = await failure(originateCall(settings, { extension: '150', phone: '+375296254070' }, timeouts));
    expect(err.kind).toBe('refused');
    expect(err.message).toContain('congestion (reason 8)');
    expect(placed).toHaveLength(0);
  });

  it('slow mode: no answer within the connect timeout is a timeout, reported in time', async () => {
    const { ami, settings } = await start();
    ami.setMode('slow');
    const t0 = Date.now();
    const err = await failure(originateCall(settings, { extension: '150', phone: '+375296254070' }, { connectMs: 400, resultMs: 1000 }));
    expect(err.kind).toBe('timeout');
    expect(Date.now() - t0).toBeLessThan(1500);
  });

  it('a closed port is unreachable', async () => {
    const probe = createServer();
    const port = await new Promise<number>((r) => probe.listen(0, '127.0.0.1', () => r((probe.address() as { port: number }).port)));
    await new Promise((r) => probe.close(r));
    const err = await failure(originateCall({ host: '127.0.0.1', port, username: 'x', secret: SECRET, context: 'inoffice' }, { extension: '150', phone: '+375296254070' }, timeouts));
    expect(err.kind).toBe('unreachable');
    expect(err.message).toContain('ECONNREFUSED');
  });

  it('redirects a channel, and a refused redirect carries the PBX\'s message', async () => {
    const { ami, settings } = await start();
    const sent = await redirectChannel(settings, { channel: 'SIP/0001363-00000001', extension: '152' }, 2000);
    expect(sent).toMatchObject({ Action: 'Redirect', Exten: '152', Context: 'inoffice' });
    expect(ami.records.find((r) => r.action.toLowerCase() === 'redirect')!.answer).toContain('Success');
    ami.setMode('refuse');
    const err = await failure(redirectChannel(settings, { channel: 'SIP/x', extension: '152' }, 2000));
    expect(err.kind).toBe('refused');
    expect(err.message).toContain('Channel does not exist');
  });
});
