/**
 * What the hosts of one drill posted and what the ingest answered: counts by status, the event keys
 * of acked events (computed as the ingest computes them: the same validator, the same key), and the
 * answers the rules forbid (500, 403 to a valid event, a body that is not JSON).
 */
import { ACK_BODY, eventKey, isEventType, validateEvent } from '@callpipe/events';

export interface Answer {
  /** HTTP status; 0 when there was none (refused, reset, timed out, cut short on purpose). */
  status: number;
  text: string;
  /** Why there was no status ("ECONNREFUSED", "timeout"). */
  error?: string;
}

export class Ledger {
  posted = 0;
  acked = 0;
  answers5xx = 0;
  answers500 = 0;
  validAnswered403 = 0;
  nonJsonAnswers = 0;
  /** Acked bodies the harness could not key (should not happen; reported). */
  unkeyed = 0;
  readonly ackedKeys = new Set<string>();
  readonly byStatus = new Map<string, number>();
  /** A few answers of each 5xx status, to say what went wrong. */
  readonly samples5xx = new Map<number, string[]>();
  readonly samplesNonJson: string[] = [];

  constructor(private readonly activeTokens: ReadonlySet<string>) {}

  /** `path` is "/dial" or "/recovery/dial"; `body` the bytes sent. The acked event's key, if any. */
  record(path: string, body: Buffer | string, answer: Answer): string | undefined {
    this.posted += 1;
    const key = answer.status === 0 ? (answer.error ?? 'no answer') : String(answer.status);
    this.byStatus.set(key, (this.byStatus.get(key) ?? 0) + 1);
    if (answer.status >= 500) this.answers5xx += 1;
    if (answer.status === 500) this.answers500 += 1;
    if (answer.status >= 500) {
      const samples = this.samples5xx.get(answer.status) ?? [];
      if (samples.length < 2) samples.push(`${path.slice(0, 40)}: ${answer.text.slice(0, 160).replace(/\s+/g, ' ')}`);
      this.samples5xx.set(answer.status, samples);
    }
    if (answer.status !== 0 && !isJson(answer.text)) {
      this.nonJsonAnswers += 1;
      if (answer.status !== 500 && this.samplesNonJson.length < 3) this.samplesNonJson.push(`${answer.status} ${path.slice(0, 40)}: ${answer.text.slice(0, 100).replace(/\s+/g, ' ')}`);
    }
    const acked = answer.status === 200 && isAck(answer.text);
    if (!acked && answer.status !== 403) return undefined;
    const event = validEvent(path, body, this.activeTokens);
    if (answer.status === 403) {
      if (event) this.validAnswered403 += 1;
      return undefined;
    }
    this.acked += 1;
    if (!event) {
      this.unkeyed += 1;
      return undefined;
    }
    this.ackedKeys.add(event.key);
    return event.key;
  }

  statusSummary(): string {
    return [...this.byStatus].sort((a, b) => b[1] - a[1]).map(([s, c]) => `${s}×${c}`).join(', ');
  }
}

/** The body parses as JSON (every ingest answer must). */
export function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function isAck(text: string): boolean {
  try {
    const v = JSON.parse(text) as { status?: unknown; message?: unknown } | null;
    return v?.status === ACK_BODY.status && v?.message === ACK_BODY.message;
  } catch {
    return false;
  }
}

/** The event's key when the body passes the ingest's own schema and carries an active token. */
function validEvent(path: string, body: Buffer | string, activeTokens: ReadonlySet<string>): { key: string } | null {
  const type = path.split('/').filter(Boolean).at(-1) ?? '';
  if (!isEventType(type)) return null;
  try {
    const parsed: unknown = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
    const result = validateEvent(type, parsed);
    if (!result.ok || !activeTokens.has(String(result.event.Token))) return null;
    return { key: eventKey(type, result.event) };
  } catch {
    return null;
  }
}
