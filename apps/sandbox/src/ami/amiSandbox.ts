/**
 * A stand-in for an Asterisk PBX's Manager Interface on a TCP port: the banner, Login (right or wrong
 * credentials), Originate (Async: "queued", then an OriginateResponse event naming our ActionID),
 * Redirect, Ping, Logoff. It records every action it was sent (the secret masked), and a successful
 * Originate becomes a real call: the emulated host posts its events to the ingest.
 * Modes inject the PBX's failures: slow (every answer late), refuse (every Originate and Redirect
 * fails), bad-login (every login refused).
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { GeneratedCall } from '../emulator/index.js';
import { BANNER, formatMessage, takeMessages, type AmiFields } from './protocol.js';
import { firstUniqueId, originatedCall } from './originateCall.js';

export const AMI_MODES = ['normal', 'slow', 'refuse', 'bad-login'] as const;
export type AmiMode = (typeof AMI_MODES)[number];

export interface AmiSandboxOptions {
  username: string;
  secret: string;
  /** The host Token the originated calls' events carry. */
  token: string;
  /** Posts an originated call's events (the emulated host); without it nothing is posted. */
  placeCall?: (call: GeneratedCall) => Promise<void>;
  /** How long the manager's phone "rings" before the OriginateResponse (ms); default 200. */
  answerMs?: number;
  /** Delay of every answer in slow mode (ms); default 30 s. */
  slowMs?: number;
  /** Records kept; default 500. */
  maxRecords?: number;
}

export interface AmiRecord {
  at: string;
  connection: number;
  action: string;
  /** The action's fields as received, Secret masked. */
  fields: AmiFields;
  /** What the sandbox answered (Response and Message), and the OriginateResponse / call it led to. */
  answer: string;
  uniqueId?: string;
  callPosted?: boolean;
}

const DIAL_TARGET = /^Local\/(\+?[0-9*#]+)@([A-Za-z0-9_-]+)$/i;

export class AmiSandbox {
  mode: AmiMode = 'normal';
  readonly records: AmiRecord[] = [];
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly loggedIn = new Set<Socket>();
  private connections = 0;
  private counter = Math.floor(Math.random() * 1_000_000);
  private readonly seed = Math.floor(Date.now() / 1000) % 2 ** 31;

  constructor(private readonly o: AmiSandboxOptions) {}

  get port(): number {
    const addr = this.server?.address();
    return typeof addr === 'object' && addr ? addr.port : 0;
  }

  listen(port: number, host = '127.0.0.1'): Promise<number> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve(this.port));
    });
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  setMode(mode: AmiMode): void {
    this.mode = mode;
  }

  private accept(socket: Socket): void {
    const id = (this.connections += 1);
    this.sockets.add(socket);
    socket.setEncoding('utf8');
    socket.on('error', () => undefined);
    socket.on('close', () => { this.sockets.delete(socket); this.loggedIn.delete(socket); });
    let buffer = '';
    socket.on('data', (chunk: string) => {
      const { messages, rest } = takeMessages(buffer + chunk);
      buffer = rest.length > 65_536 ? '' : rest;
      for (const m of messages) this.handle(socket, id, m);
    });
    socket.write(BANNER);
  }

  /** Writes after the mode's delay (slow mode holds every answer). */
  private send(socket: Socket, fields: Record<string, string | number>, then?: () => void): void {
    const write = () => {
      if (!socket.destroyed) socket.write(formatMessage(fields));
      then?.();
    };
    if (this.mode === 'slow') setTimeout(write, this.o.slowMs ?? 30_000).unref();
    else write();
  }

  private record(connection: number, fields: AmiFields, answer: string): AmiRecord {
    const masked = { ...fields };
    if (masked.secret !== undefined) masked.secret = '[masked]';
    const r: AmiRecord = { at: new Date().toISOString(), connection, action: fields.action ?? '', fields: masked, answer };
    this.records.push(r);
    if (this.records.length > (this.o.maxRecords ?? 500)) this.records.shift();
    return r;
  }

  private handle(socket: Socket, connection: number, m: AmiFields): void {
    const action = (m.action ?? '').toLowerCase();
    const actionId = m.actionid;
    const reply = (fields: Record<string, string | number>, then?: () => void) =>
      this.send(socket, actionId === undefined ? fields : { ...fields, ActionID: actionId }, then);
    if (action === 'login') {
      const ok = this.mode !== 'bad-login' && m.username === this.o.username && m.secret === this.o.secret;
      this.record(connection, m, ok ? 'Success: Authentication accepted' : 'Error: Authentication failed');
      if (!ok) return reply({ Response: 'Error', Message: 'Authentication failed' });
      this.loggedIn.add(socket);
      return reply({ Response: 'Success', Message: 'Authentication accepted' });
    }
    if (action === 'logoff') {
      this.record(connection, m, 'Goodbye');
      return reply({ Response: 'Goodbye', Message: 'Thanks for all the fish.' }, () => socket.end());
    }
    if (!this.loggedIn.has(socket)) {
      this.record(connection, m, 'Error: Permission denied');
      return reply({ Response: 'Error', Message: 'Permission denied' });
    }
    if (action === 'ping') {
      this.record(connection, m, 'Success: Pong');
      return reply({ Response: 'Success', Ping: 'Pong', Timestamp: (Date.now() / 1000).toFixed(6) });
    }
    if (action === 'originate') return this.originate(connection, m, reply);
    if (action === 'redirect') {
      const refused = this.mode === 'refuse' || !m.channel || !m.exten;
      this.record(connection, m, refused ? 'Error: Channel does not exist' : 'Success: Redirect successful');
      return reply(refused ? { Response: 'Error', Message: 'Channel does not exist' } : { Response: 'Success', Message: 'Redirect successful' });
    }
    this.record(connection, m, 'Error: Invalid/unknown command');
    return reply({ Response: 'Error', Message: 'Invalid/unknown command' });
  }

  private originate(connection: number, m: AmiFields, reply: (f: Record<string, string | number>) => void): void {
    const channel = DIAL_TARGET.exec(m.channel ?? '');
    const target = DIAL_TARGET.exec(m.data ?? '');
    if (!channel || (m.application ?? '').toLowerCase() !== 'dial' || !target) {
      this.record(connection, m, 'Error: Originate failed (channel or Dial target not understood)');
      return reply({ Response: 'Error', Message: 'Originate failed' });
    }
    const extension = channel[1]!;
    const phone = target[1]!;
    const rec = this.record(connection, m, 'Success: Originate successfully queued');
    reply({ Response: 'Success', Message: 'Originate successfully queued' });
    const startTime = new Date();
    this.counter += 16;
    const uniqueIdBase = 7_000_000_000_000_000 + this.counter;
    const uniqueId = firstUniqueId(startTime, uniqueIdBase);
    const refused = this.mode === 'refuse';
    setTimeout(() => {
      const event = {
        Event: 'OriginateResponse', Privilege: 'call,all', ...(m.actionid ? { ActionID: m.actionid } : {}),
        Response: refused ? 'Failure' : 'Success', Channel: `${m.channel};1`, Context: channel[2]!, Exten: extension,
        Reason: refused ? 8 : 4, Uniqueid: refused ? '<null>' : uniqueId, CallerIDNum: extension, CallerIDName: '<unknown>',
      };
      rec.answer = refused ? 'OriginateResponse: Failure (reason 8, congestion)' : `OriginateResponse: Success, Uniqueid ${uniqueId}`;
      // Every logged-in connection gets the event, as Asterisk sends it to all with the call privilege.
      for (const s of this.loggedIn) this.send(s, event);
      if (refused) return;
      rec.uniqueId = uniqueId;
      const call = originatedCall({ token: this.o.token, extension, phone, startTime, uniqueIdBase, seed: this.seed });
      if (!this.o.placeCall) return;
      this.o.placeCall(call).then(() => { rec.callPosted = true; }, () => { rec.callPosted = false; });
    }, this.o.answerMs ?? 200).unref();
  }
}
