/**
 * reply_markup as the sandbox Telegram reads it: inline keyboards only (what bots put under a
 * message), given as an object (JSON body) or a JSON string (form, query). Buttons are checked the
 * way Telegram checks them: callback_data 1–64 bytes, a text on every button.
 */
export interface InlineButton {
  text: string;
  callback_data?: string;
  url?: string;
}

export interface InlineMarkup {
  inline_keyboard: InlineButton[][];
}

/** undefined: no markup given; a string: Telegram's error description. */
export function readInlineMarkup(raw: unknown): InlineMarkup | undefined | string {
  if (raw === undefined || raw === null || raw === '') return undefined;
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return "Bad Request: can't parse reply keyboard markup JSON object";
    }
  }
  const rows = (value as { inline_keyboard?: unknown } | null)?.inline_keyboard;
  // Reply keyboards and force_reply are accepted by Telegram but show nothing under the message.
  if (rows === undefined) return undefined;
  if (!Array.isArray(rows) || !rows.every(Array.isArray)) return 'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays';
  const out: InlineButton[][] = [];
  for (const row of rows as unknown[][]) {
    const buttons: InlineButton[] = [];
    for (const b of row) {
      const button = b as { text?: unknown; callback_data?: unknown; url?: unknown } | null;
      if (!button || typeof button.text !== 'string' || button.text === '') return 'Bad Request: text buttons are unallowed in the inline keyboard';
      if (button.callback_data !== undefined) {
        if (typeof button.callback_data !== 'string') return 'Bad Request: BUTTON_DATA_INVALID';
        const bytes = Buffer.byteLength(button.callback_data, 'utf8');
        if (bytes < 1 || bytes > 64) return 'Bad Request: BUTTON_DATA_INVALID';
        buttons.push({ text: button.text, callback_data: button.callback_data });
      } else if (typeof button.url === 'string') {
        buttons.push({ text: button.text, url: button.url });
      } else {
        return 'Bad Request: text buttons are unallowed in the inline keyboard';
      }
    }
    if (buttons.length) out.push(buttons);
  }
  return { inline_keyboard: out };
}

export function sameMarkup(a: InlineMarkup | undefined, b: InlineMarkup | undefined): boolean {
  return JSON.stringify(a?.inline_keyboard ?? []) === JSON.stringify(b?.inline_keyboard ?? []);
}
