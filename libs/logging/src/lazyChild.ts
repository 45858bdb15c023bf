/**
 * A child logger made when it first writes. pino serializes and redacts a child's bindings when the
 * child is made; the workers made one (or two) per job, and most jobs write no line at all: that was
 * ~2.5 % of a busy workers process (bench/pipeline profile: @pinojs/redact and pino's asChindings).
 * Until a line at an enabled level is written, `child()` only merges bindings and level checks ask the
 * parent (a lazy child has its parent's level: nothing here sets a level on a child; setting one on the
 * lazy child would set its parent's).
 */
import type { Bindings, Logger } from 'pino';

const LEVEL_METHODS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);
const noop = (): void => undefined;

export function lazyChild(parent: Logger, bindings: Bindings): Logger {
  let real: Logger | undefined;
  const made = (): Logger => (real ??= parent.child(bindings));
  return new Proxy(parent, {
    get(_target, prop) {
      const from = real ?? (() => {
        if (prop === 'child') {
          return { child: (more: Bindings, options?: object) => (options ? made().child(more, options) : lazyChild(parent, { ...bindings, ...more })) };
        }
        if (prop === 'isLevelEnabled' || prop === 'level' || prop === 'levelVal') return parent;
        if (typeof prop === 'string' && LEVEL_METHODS.has(prop) && !parent.isLevelEnabled(prop)) return { [prop]: noop };
        return made();
      })();
      const value: unknown = Reflect.get(from, prop);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(from) : value;
    },
  });
}
