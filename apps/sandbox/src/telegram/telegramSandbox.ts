/**
 * The sandbox's Telegram Bot API: state, flood limits and faults put together behind one `call`,
 * which answers a Bot API request as Telegram would and records it.
 */
import { botIdOf, isBotTokenShape } from '@callpipe/telegram';
import { drawFault, NO_FAULTS, type TelegramFaults } from './faults.js';
import { FloodLimits, SANDBOX_DEFAULT_LIMITS, type SandboxLimits } from './limits.js';
import { fail, methodNamed, tooMany, type MethodAnswer, type Params } from './methods.js';
import { TelegramState, toBotApiMessage } from './state.js';
import { UpdateHub, type CallbackRecord } from './updates.js';

export interface PressRequest {
  chatId: number;
  messageId: number;
  botId?: string;
  fromId?: number;
  fromFirstName?: string;
  fromLastName?: string;
  data?: string;
}

export interface TelegramSandboxOptions {
  limits?: SandboxLimits;
  /** Tokens accepted; empty or unset accepts every token shaped "<digits>:<secret>". */
  tokens?: readonly string[];
  /** message_id of each chat's first message (default 1); see firstMessageIdNow. */
  firstMessageId?: number;
}

/**
 * A first message_id above any a previous sandbox process on this machine gave out: seconds since
 * 2025, as a chat takes about one message a second at most (the flood limit). A restarted demo keeps
 * its database and Redis, whose traces and call messages name chats' message ids.
 */
export function firstMessageIdNow(nowMs = Date.now()): number {
  return Math.max(1, Math.floor((nowMs - Date.UTC(2025, 0, 1)) / 1000));
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class TelegramSandbox {
  readonly state: TelegramState;
  /** Button presses, webhooks and getUpdates. */
  readonly updates = new UpdateHub();
  readonly flood: FloodLimits;
  faults: TelegramFaults = { ...NO_FAULTS, blockedChats: [] };
  private readonly tokens: ReadonlySet<string>;
  private readonly initialLimits: SandboxLimits;

  constructor(options: TelegramSandboxOptions = {}) {
    this.initialLimits = options.limits ?? SANDBOX_DEFAULT_LIMITS;
    this.flood = new FloodLimits({ ...this.initialLimits });
    this.tokens = new Set(options.tokens ?? []);
    this.state = new TelegramState(options.firstMessageId);
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
      else answer = await method.run({ state: this.state, flood: this.flood, blockedChats: this.faults.blockedChats, botId: botId!, updates: this.updates }, params);
    }
    this.state.record({
      botId, method: method?.name ?? methodName, status: answer.status, ok: answer.body.ok,
      ...(answer.body.ok ? {} : { description: answer.body.description }),
      ...detailOf(params), ...answer.detail,
    });
    return answer;
  }

  /**
   * A person presses an inline button under a message (the chat page, or a test): the message's bot
   * gets a callback_query update. `data` picks the button (default: the first callback button); the
   * presser is `fromId` (in a private chat, the chat's own user). A string names what was wrong.
   */
  async press(p: PressRequest): Promise<CallbackRecord | string> {
    const candidates = this.state.messages(p.chatId, p.botId).filter((m) => m.messageId === p.messageId);
    if (candidates.length === 0) return 'no such message in that chat';
    if (candidates.length > 1) return 'two bots have a message with that id in this chat: give bot_id';
    const m = candidates[0]!;
    const buttons = (m.replyMarkup?.inline_keyboard ?? []).flat().filter((b) => b.callback_data !== undefined);
    const button = p.data === undefined ? buttons[0] : buttons.find((b) => b.callback_data === p.data);
    if (!button) return 'the message has no such callback button';
    const fromId = p.fromId ?? (p.chatId > 0 ? p.chatId : undefined);
    if (fromId === undefined || fromId <= 0) return 'in a group, say who presses (from_id)';
    const from = { id: fromId, is_bot: false, first_name: p.fromFirstName ?? `User ${fromId}`, ...(p.fromLastName ? { last_name: p.fromLastName } : {}) };
    return this.updates.press(m.botId, { botId: m.botId, chatId: p.chatId, messageId: m.messageId, fromId, data: button.callback_data! }, toBotApiMessage(m), from);
  }

  /** Back to a clean Telegram: no messages, no calls, no faults, the real clock, the configured limits. */
  reset(): void {
    this.state.reset();
    this.updates.reset();
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
