/**
 * The drills' Asterisk hosts: real calls from the emulator (generateCall, every pattern in turn,
 * posted by its sender as hosts post them), each answer written to a Ledger; and raw requests for the
 * fuzz drill (any bytes, any content type, a body cut short).
 */
import { request } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Emulator from '../../apps/sandbox/src/emulator/index.js';
import type { GeneratedCall } from '../../apps/sandbox/src/emulator/index.js';
import type { Ledger } from './ledger.js';

// The emulator is an app's module, not a lib: loaded from its build, typed from its declarations.
export async function loadEmulator(root: string): Promise<typeof Emulator> {
  return (await import(pathToFileURL(join(root, 'apps/sandbox/dist/emulator/index.js')).href)) as typeof Emulator;
}

/** `count` calls of the emulator's patterns in turn, from a fixed seed and start time (same bytes every run). */
export function emulatedCalls(emu: typeof Emulator, token: string, seed: number, count: number): GeneratedCall[] {
  const start = Date.UTC(2026, 0, 12, 9);
  return Array.from({ length: count }, (_, i) => emu.generateCall(emu.PATTERN_IDS[i % emu.PATTERN_IDS.length]!, {
    token, seed, callIndex: i, startTime: new Date(start + i * 2000),
  }));
}

export interface PostCallsOptions {
  baseUrl: string;
  /** New calls a second. */
  rate: number;
  /** Time compression of each call's own timeline. */
  speed: number;
  concurrency?: number;
  maxDurationMs: number;
}

/** Posts the calls through the emulator's sender; every answer lands in the ledger. */
export async function postCalls(emu: typeof Emulator, calls: readonly GeneratedCall[], ledger: Ledger, o: PostCallsOptions): Promise<void> {
  const recording: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    const body = String(init?.body ?? '');
    try {
      const res = await fetch(input, init);
      const text = await res.text();
      ledger.record(url.pathname, body, { status: res.status, text });
      return new Response(text, { status: res.status, headers: res.headers });
    } catch (err) {
      ledger.record(url.pathname, body, { status: 0, text: '', error: errorName(err) });
      throw err;
    }
  };
  await emu.sendCalls(calls, {
    baseUrl: o.baseUrl, rate: o.rate, speed: o.speed, concurrency: o.concurrency ?? 32,
    maxDurationMs: o.maxDurationMs, requestTimeoutMs: 5_000, fetch: recording, onProgress: () => undefined,
  });
}

function errorName(err: unknown): string {
  if (err instanceof Error && err.name === 'TimeoutError') return 'timeout';
  const code = err instanceof Error ? (err.cause as { code?: unknown } | undefined)?.code : undefined;
  return typeof code === 'string' ? code : 'network error';
}

export interface RawRequest {
  path: string;
  contentType: string | undefined;
  body: Buffer;
  /** Declare the full length, send half, then close. */
  cutShort: boolean;
}

/** One POST with exactly these bytes; answers within `timeoutMs` or counts as a timeout. */
export function postRaw(port: number, r: RawRequest, timeoutMs = 5_000): Promise<{ status: number; text: string; error?: string }> {
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = { 'content-length': r.body.length };
    if (r.contentType !== undefined) headers['content-type'] = r.contentType;
    let settled = false;
    const done = (v: { status: number; text: string; error?: string }) => { if (!settled) { settled = true; resolve(v); } };
    const req = request({ host: '127.0.0.1', port, path: r.path, method: 'POST', headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => done({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => { req.destroy(); done({ status: 0, text: '', error: 'timeout' }); });
    req.on('error', (err: NodeJS.ErrnoException) => done({ status: 0, text: '', error: r.cutShort ? 'cut short' : (err.code ?? 'network error') }));
    if (r.cutShort) {
      req.write(r.body.subarray(0, Math.floor(r.body.length / 2)));
      setTimeout(() => { req.destroy(); done({ status: 0, text: '', error: 'cut short' }); }, 20);
      return;
    }
    req.end(r.body);
  });
}
