/** A closed-loop load run with autocannon: distinct event bodies, a fixed number of connections. */
import autocannon from 'autocannon';

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  max: number;
  total: number;
  non2xx: number;
  errors: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  durationSec: number;
  body: (i: number) => string;
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  let i = 0;
  const result = await autocannon({
    url: o.url,
    method: 'POST',
    connections: o.connections,
    duration: o.durationSec,
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: (req) => ({ ...req, body: o.body(i++) }) }],
  });
  return {
    rps: Math.round(result.requests.total / o.durationSec),
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}
