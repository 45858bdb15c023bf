/**
 * What to do about a Bot API answer, decided from its values alone (a pure function, tabled in tests).
 * Callers branch on the action, never on the error text: the text is read here, once.
 */

/** One Bot API call's result as seen on the wire (the client maps the library's errors to this). */
export type BotApiAnswer =
  | { kind: 'ok' }
  | { kind: 'api'; errorCode: number; description: string; retryAfterSeconds?: number }
  /** DNS, refused, reset: the request may or may not have reached Telegram. */
  | { kind: 'network'; description: string }
  /** Our client timeout: same as network, the request may have been applied. */
  | { kind: 'timeout'; description: string }
  /** A body that is not the JSON envelope (a proxy's HTML page). */
  | { kind: 'bad-response'; description: string };

export type BotApiAction =
  | { action: 'ok' }
  /** editMessageText with the text already shown: the chat is as wanted. */
  | { action: 'not-modified' }
  /** A delete of a message that is gone or too old (48 h): nothing to do, not an error. */
  | { action: 'skip'; reason: string }
  | { action: 'retry-after'; seconds: number; reason: string }
  /** 5xx, network, timeout, garbage: transient, retry with exponential backoff. */
  | { action: 'retry-backoff'; reason: string }
  /** 403: the user blocked the bot or the bot left the group; retrying cannot help. */
  | { action: 'deactivate-recipient'; reason: string }
  /** Any other refusal (bad token, chat not found, bad request): log it with the call id and stop. */
  | { action: 'give-up'; reason: string };

const NOT_MODIFIED = /message is not modified/i;
const DELETE_GONE = /message to delete not found|message can'?t be deleted/i;
const RETRY_AFTER_TEXT = /retry after (\d+)/i;

/** Seconds to wait on a 429: parameters.retry_after, else the number in the text, else 1. */
function retryAfterOf(answer: { description: string; retryAfterSeconds?: number }): number {
  if (answer.retryAfterSeconds !== undefined && answer.retryAfterSeconds >= 0) return answer.retryAfterSeconds;
  const m = RETRY_AFTER_TEXT.exec(answer.description);
  return m ? Number(m[1]) : 1;
}

/** A failed call's answer is always a failure's action: the overload says so to the compiler. */
export function classifyAnswer(answer: Exclude<BotApiAnswer, { kind: 'ok' }>): Exclude<BotApiAction, { action: 'ok' }>;
export function classifyAnswer(answer: BotApiAnswer): BotApiAction;
export function classifyAnswer(answer: BotApiAnswer): BotApiAction {
  switch (answer.kind) {
    case 'ok':
      return { action: 'ok' };
    case 'network':
    case 'timeout':
    case 'bad-response':
      return { action: 'retry-backoff', reason: `${answer.kind}: ${answer.description}` };
    case 'api':
      break;
  }
  const { errorCode: code, description } = answer;
  if (code === 429) return { action: 'retry-after', seconds: retryAfterOf(answer), reason: description };
  if (code >= 500) return { action: 'retry-backoff', reason: `${code} ${description}` };
  if (code === 403) return { action: 'deactivate-recipient', reason: description };
  if (code === 400 && NOT_MODIFIED.test(description)) return { action: 'not-modified' };
  if (code === 400 && DELETE_GONE.test(description)) return { action: 'skip', reason: description };
  return { action: 'give-up', reason: `${code} ${description}` };
}

/** The `result` label of callpipe_telegram_requests_total: ok, not_modified, 400, 403, 429, 5xx, network, … */
export function metricResult(answer: BotApiAnswer): string {
  switch (answer.kind) {
    case 'ok': return 'ok';
    case 'network': return 'network';
    case 'timeout': return 'timeout';
    case 'bad-response': return 'bad_response';
    case 'api':
      if (answer.errorCode >= 500) return '5xx';
      if (answer.errorCode === 400 && NOT_MODIFIED.test(answer.description)) return 'not_modified';
      return String(answer.errorCode);
  }
}
