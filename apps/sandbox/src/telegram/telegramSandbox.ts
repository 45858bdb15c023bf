/**
 * The sandbox's Telegram Bot API: state, flood limits and faults put together behind one `call`,
 * which answers a Bot API request as Telegram would and records it.
 */
import { botIdOf, isBotTokenShape } from '@callpipe/telegram';
import { drawFault, NO_FAULTS, type TelegramFaults } from './faults.js';
import { FloodLimits, SANDBOX_DEFAULT_LIMITS, type SandboxLimits } from './limits.js';
import { fail, methodNamed, tooMany, type MethodAnswer, type Params } from './methods.js';
import { TelegramState } from './state.js';

export interface TelegramSandboxOptions {
  limits?: SandboxLimits;
  /** Tokens accepted; empty or unset accepts every token shaped "<digits>:<secret>". */
  tokens?: readonly string[];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class TelegramSandbox {
  readonly state = new TelegramState();
  readonly flood: FloodLimits;
  faults: TelegramFaults = { ...NO_FAULTS, blockedChats: [] };
  private readonly tokens: ReadonlySet<string>;
  private readonly initialLimits: SandboxLimits;

  constructor(options: TelegramSandboxOptions = {}) {
    this.initialLimits = options.limits ?? SANDBOX_DEFAULT_LIMITS;
    this.flood = new FloodLimits({ ...this.initialLimits });
    this.tokens = new Set(options.tokens ?? []);
  }

  private knows(token: string): boolean {
    if (!isBotTokenShape(token)) return false;
    return this.tokens.size === 0 || this.tokens.has(token);
  }

  /** One Bot API request: token, method, faults, then the method itself; every call is recorded. */
  async call(token: string, methodName: string, params: Params): Promise<MethodAnswer> {
    const known = this.knows(token);
    const botId = known ? botIdOf(token) : null;
    const method = methodNamed(methodName);
    if (this.faults.delayMs > 0) await sleep(this.faults.delayMs);
    let answer: MethodAnswer;
    if (!known) answer = fail(401, 'Unauthorized');
    else if (!method) answer = fail(404, 'Not Found');
    else {
      const injected = drawFault(this.faults);
      if (injected?.kind === '5xx') answer = fail(500, 'Internal Server Error');
      else if (injected?.kind === '429') answer = tooMany(injected.retryAfter, {});
      else answer = method.run({ state: this.state, flood: this.flood, blockedChats: this.faults.blockedChats, botId: botId! }, params);
    }
    this.state.record({
      botId, method: method?.name ?? methodName, status: answer.status, ok: answer.body.ok,
      ...(answer.body.ok ? {} : { description: answer.body.description }),
      ...detailOf(params), ...answer.detail,
    });
    return answer;
  }

  /** Back to a clean Telegram: no messages, no calls, no faults, the real clock, the configured limits. */
  reset(): void {
    this.state.reset();
    this.faults = { ...NO_FAULTS, blockedChats: [] };
    this.flood.reset({ ...this.initialLimits });
  }
}

/** Chat and message ids of a call that failed before its method read them (faults, 401). */
function detailOf(p: Params): { chatId?: number; messageId?: number } {
  const chatId = Number(p.chat_id);
  const messageId = Number(p.message_id);
  return {
    ...(p.chat_id !== undefined && Number.isSafeInteger(chatId) ? { chatId } : {}),
    ...(p.message_id !== undefined && Number.isSafeInteger(messageId) ? { messageId } : {}),
  };
}
