/**
 * A small TCP proxy for fault injection (PostgreSQL, Redis, any TCP service): forwards to a target,
 * and on demand cuts every open connection, refuses new ones (the port stops listening, so clients
 * get ECONNREFUSED as from a stopped server), holds new ones (accepted, nothing forwarded: a server
 * that hangs), or delays every chunk in both directions. Only node:net, so tests and drills share it.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export type ProxyMode = 'forward' | 'refuse' | 'hold';

export interface ProxyTarget {
  host: string;
  port: number;
}

export class TcpProxy {
  port = 0;
  /** Added to every chunk in each direction, in order. */
  latencyMs = 0;
  /** Connections accepted since start (forwarded or held). */
  accepted = 0;
  private mode: ProxyMode = 'forward';
  private server: Server | null = null;
  private readonly open = new Set<Socket>();
  private held: Socket[] = [];

  constructor(private readonly target: ProxyTarget) {}

  /** Listens on 127.0.0.1 (`port` 0 picks a free one) and returns the port. */
  async start(port = 0): Promise<number> {
    await this.listen(port);
    return this.port;
  }

  get connections(): number {
    return this.open.size;
  }

  get currentMode(): ProxyMode {
    return this.mode;
  }

  /** Destroys every open and held connection; both ends see a reset. */
  cutAll(): void {
    for (const s of this.open) s.destroy();
    this.open.clear();
    for (const s of this.held) s.destroy();
    this.held = [];
  }

  async setMode(mode: ProxyMode): Promise<void> {
    if (mode === this.mode) return;
    const wasRefusing = this.mode === 'refuse';
    this.mode = mode;
    if (mode === 'refuse') {
      // Stop listening: new connections are refused by the kernel. Open ones stay until cutAll().
      const s = this.server;
      this.server = null;
      s?.close();
      for (const h of this.held) h.destroy();
      this.held = [];
      return;
    }
    if (wasRefusing) await this.listen(this.port);
    if (mode === 'forward') {
      const waiting = this.held;
      this.held = [];
      for (const client of waiting) if (!client.destroyed) this.forward(client);
    }
  }

  async close(): Promise<void> {
    this.cutAll();
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private async listen(port: number): Promise<void> {
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', () => undefined);
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  private accept(client: Socket): void {
    this.accepted += 1;
    client.on('error', () => undefined);
    this.open.add(client);
    client.once('close', () => this.open.delete(client));
    if (this.mode === 'hold') this.held.push(client);
    else if (this.mode === 'refuse') client.destroy();
    else this.forward(client);
  }

  private forward(client: Socket): void {
    const upstream = connect(this.target.port, this.target.host);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    this.open.add(upstream);
    upstream.once('close', () => { this.open.delete(upstream); client.destroy(); });
    client.once('close', () => upstream.destroy());
    this.pipe(client, upstream);
    this.pipe(upstream, client);
  }

  /** Copies chunks from one socket to the other, each after the current latency (order kept). */
  private pipe(from: Socket, to: Socket): void {
    // One queue and one timer per direction, so that delayed chunks are written in arrival order.
    const queue: { at: number; chunk: Buffer | null }[] = [];
    let timer: NodeJS.Timeout | null = null;
    const drain = () => {
      timer = null;
      while (queue.length && queue[0]!.at <= Date.now()) {
        const { chunk } = queue.shift()!;
        if (to.destroyed) return;
        if (chunk) to.write(chunk);
        else to.end();
      }
      if (queue.length) timer = setTimeout(drain, queue[0]!.at - Date.now());
    };
    const push = (chunk: Buffer | null) => {
      if (this.latencyMs <= 0 && queue.length === 0) {
        if (chunk) to.write(chunk);
        else to.end();
        return;
      }
      queue.push({ at: Date.now() + this.latencyMs, chunk });
      if (!timer) timer = setTimeout(drain, Math.max(0, queue[0]!.at - Date.now()));
    };
    from.on('data', (chunk: Buffer) => push(chunk));
    from.once('end', () => push(null));
    from.once('close', () => { if (timer) clearTimeout(timer); });
  }
}
