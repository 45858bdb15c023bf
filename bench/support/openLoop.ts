/**
 * An open-loop load: requests are scheduled at exact times (rate per second) whatever the server
 * does, and latency is measured from the scheduled time, so a slow server cannot hide its queueing
 * (no coordinated omission). autocannon's fixed-rate mode sends each second's share in a burst,
 * which measures burst handling rather than latency at a rate.
 */
import { Agent, request } from 'node:http';
import type { LoadResult } from './load.js';

export interface OpenLoopOptions {
  url: string;
  rate: number;
  durationSec: number;
  maxSockets: number;
  body: (i: number) => string;
}

export async function runOpenLoop(o: OpenLoopOptions): Promise<LoadResult> {
  const target = new URL(o.url);
  const agent = new Agent({ keepAlive: true, maxSockets: o.maxSockets, noDelay: true } as ConstructorParameters<typeof Agent>[0]);
  const total = o.rate * o.durationSec;
  const latencies = new Float64Array(total);
  let done = 0;
  let non2xx = 0;
  let errors = 0;
  const start = performance.now();
  const intervalMs = 1000 / o.rate;

  await new Promise<void>((resolve) => {
    let sent = 0;
    const send = (i: number, scheduledAt: number) => {
      const payload = o.body(i);
      const req = request({
        agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies[i] = performance.now() - scheduledAt;
          if ((res.statusCode ?? 0) >= 300) non2xx += 1;
          if (++done === total) resolve();
        });
      });
      req.on('error', () => {
        errors += 1;
        latencies[i] = performance.now() - scheduledAt;
        if (++done === total) resolve();
      });
      req.end(payload);
    };
    // A 1 ms tick sends every request whose scheduled time has come, stamped with that time.
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * intervalMs <= now) {
        send(sent, start + sent * intervalMs);
        sent += 1;
      }
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
  agent.destroy();
  const sorted = Array.from(latencies).sort((a, b) => a - b);
  const pct = (p: number) => Number(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(2));
  const elapsed = (performance.now() - start) / 1000;
  const mean = Number((sorted.reduce((a, b) => a + b, 0) / sorted.length).toFixed(2));
  return { rps: Math.round(total / elapsed), mean, p50: pct(50), p99: pct(99), max: pct(100), total, non2xx, errors };
}
