/** During an outage: does a process's /health answer within a bound and name what is down? */
import { httpStatus } from '../ports.js';
import type { DrillCheck } from '../report.js';

export async function healthNames(name: string, url: string, dependency: RegExp, boundMs = 3_000): Promise<DrillCheck> {
  const t0 = Date.now();
  const { status, text } = await httpStatus(url, boundMs);
  const ms = Date.now() - t0;
  if (status === 0) return { name: `${name} /health during the outage`, ok: false, detail: `no answer within ${boundMs} ms` };
  const ok = status !== 200 && dependency.test(text);
  return { name: `${name} /health during the outage`, ok, detail: ok ? undefined : `${status} in ${ms} ms: ${text.slice(0, 160)}` };
}
