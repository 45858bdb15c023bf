/**
 * One short AMI conversation over asterisk-ami-client: connect and log in within a hard timeout,
 * send actions (each answered by its ActionID within a hard timeout), wait for an event that names
 * one of them, log off. Every step is bounded by our own timer, since the client's connect has none
 * and a PBX that accepts the socket but never answers would otherwise hold the caller forever.
 */
import { randomUUID } from 'node:crypto';
import AmiClient from 'asterisk-ami-client';
import { AmiError, classifyConnectError, scrub, type AmiStep } from './errors.js';
import type { AmiSettings } from './settings.js';

/** One AMI message: header names as Asterisk spells them. */
export type AmiMessage = Record<string, string | undefined>;

/** Rejects with a timeout AmiError unless the promise settles first. */
export function within<T>(p: Promise<T>, ms: number, step: AmiStep, what: string, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new AmiError('timeout', `${what}: no answer from the PBX within ${ms} ms`, step));
    }, ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export function newActionId(): string {
  return `callpipe-${randomUUID()}`;
}

export class AmiSession {
  private closed = false;

  private constructor(private readonly client: AmiClient, private readonly secret: string) {
    // Socket errors after login surface here; the pending action's own timeout reports them.
    client.on('internalError', () => undefined);
  }

  /** Connects and logs in, or rejects with an AmiError (unreachable, login_failed, timeout). */
  static async open(settings: AmiSettings, timeoutMs: number): Promise<AmiSession> {
    const client = new AmiClient({ reconnect: false, keepAlive: false, emitEventsByTypes: true, dontDeleteSpecActionId: true });
    const abort = new AbortController();
    // The socket is created inside the client; the signal lets our timer destroy it.
    const connecting = client.connect(settings.username, settings.secret, { host: settings.host, port: settings.port, signal: abort.signal });
    try {
      await within(connecting, timeoutMs, 'connect', `connect and login to ${settings.host}:${settings.port}`, () => abort.abort());
    } catch (err) {
      connecting.catch(() => undefined);
      client.disconnect();
      throw classifyConnectError(err, settings.secret);
    }
    return new AmiSession(client, settings.secret);
  }

  /**
   * Sends an action and resolves with its Response message; a Response of Error rejects as `refused`
   * with the PBX's Message. The ActionID is ours (given or generated), so events can be matched to it.
   */
  async action(fields: Record<string, string>, timeoutMs: number): Promise<AmiMessage> {
    if (this.closed) throw new AmiError('protocol', 'the AMI session is closed', 'action');
    const message = { ActionID: newActionId(), ...fields };
    let answer: AmiMessage;
    try {
      answer = await within(this.client.action(message, true), timeoutMs, 'action', `${fields.Action ?? 'action'}`);
    } catch (err) {
      if (err instanceof AmiError) throw err;
      throw new AmiError('unreachable', `the PBX connection failed during ${fields.Action}: ${scrub((err as Error).message, this.secret)}`, 'action');
    }
    if ((answer.Response ?? '').toLowerCase() === 'error') {
      throw new AmiError('refused', `the PBX refused ${fields.Action}: ${scrub(answer.Message ?? 'no reason given', this.secret)}`, 'action');
    }
    return answer;
  }

  /**
   * Resolves with the first event called `name` that carries this ActionID. Start waiting before the
   * action is sent (call this first, await it after), or a fast PBX's event is missed.
   */
  eventFor(name: string, actionId: string, timeoutMs: number): { promise: Promise<AmiMessage>; cancel: () => void } {
    let listener: ((e: AmiMessage) => void) | undefined;
    const cancel = () => { if (listener) this.client.removeListener(name, listener); };
    const waiting = new Promise<AmiMessage>((resolve) => {
      listener = (e: AmiMessage) => {
        if (e.ActionID !== actionId) return;
        cancel();
        resolve(e);
      };
      this.client.on(name, listener);
    });
    return { promise: within(waiting, timeoutMs, 'result', `${name}`).finally(cancel), cancel };
  }

  /** Logs off (best effort, briefly) and closes the socket. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      if (this.client.isConnected) await this.action({ Action: 'Logoff' }, 1000);
    } catch {
      // Logging off is a courtesy: the socket is closed either way.
    }
    this.closed = true;
    this.client.disconnect();
  }
}
