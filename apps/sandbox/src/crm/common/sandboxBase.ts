/**
 * What every sandbox CRM of MoySklad, U-ON and Bitrix24 has: faults per account ("*" for all), the
 * CRM's own limit per key, the request record, and the order a request is answered in — the delay,
 * an injected fault (in the CRM's own envelope), then the CRM's own checks.
 */
import type { SandboxAnswer } from './answer.js';
import { sleep } from './answer.js';
import { drawFault, NO_FAULTS, type CrmFaults, type Injected } from './faults.js';
import { KeyedLimiter, type LimitRule } from './limiter.js';
import { RequestLog } from './requestLog.js';
import type { AccountScreens } from './screens.js';

export abstract class CrmSandboxBase {
  readonly log = new RequestLog();
  readonly faults = new Map<string, CrmFaults>();
  readonly limiter: KeyedLimiter;

  constructor(readonly slug: string, private readonly initialRule: LimitRule) {
    this.limiter = new KeyedLimiter({ ...initialRule });
  }

  faultsFor(account: string): CrmFaults {
    return this.faults.get(account) ?? this.faults.get('*') ?? { ...NO_FAULTS };
  }

  /** The delay, then the injected fault this request gets (null: answer it normally). */
  protected async injected(account: string): Promise<Injected> {
    const f = this.faultsFor(account);
    if (f.delayMs > 0) await sleep(f.delayMs);
    return drawFault(f);
  }

  abstract setup(body: Record<string, unknown>): unknown;
  abstract accounts(): unknown[];
  abstract screens(account?: string): AccountScreens[];
  protected abstract clearState(): void;

  reset(): void {
    this.clearState();
    this.log.reset();
    this.faults.clear();
    this.limiter.reset({ ...this.initialRule });
  }
}

export type { SandboxAnswer };
