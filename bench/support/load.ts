/** A closed-loop load run with autocannon: a fixed number of connections; POSTs distinct bodies, or GETs one URL. */
import autocannon from 'autocannon';

export interface LoadResult {
  rps: number;
  /** Mean latency, ms with decimals (the percentiles are whole ms). */
  mean: number;
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
  /** POST a new body per request; without it, GET the URL. */
  body?: (i: number) => string;
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  let i = 0;
  const body = o.body;
  const result = await autocannon({
    url: o.url,
    connections: o.connections,
    duration: o.durationSec,
    ...(body
      ? { method: 'POST' as const, headers: { 'content-type': 'application/json' }, requests: [{ setupRequest: (req: object) => ({ ...req, body: body(i++) }) }] }
      : { method: 'GET' as const }),
  });
  return {
    rps: Math.round(result.requests.total / o.durationSec),
    mean: result.latency.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}
