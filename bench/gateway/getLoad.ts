/** A closed-loop GET load with autocannon: one URL, a fixed number of connections. */
import autocannon from 'autocannon';

export interface GetResult {
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

export async function runGet(url: string, connections: number, durationSec: number): Promise<GetResult> {
  const r = await autocannon({ url, method: 'GET', connections, duration: durationSec });
  return {
    rps: Math.round(r.requests.total / durationSec), mean: r.latency.average, p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max,
    total: r.requests.total, non2xx: r.non2xx, errors: r.errors + r.timeouts,
  };
}
