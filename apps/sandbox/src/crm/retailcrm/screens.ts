/** What each manager of an account would see now: the popups on their screen, and the account's call history (pure view of the state). */
import { userName } from './methods.js';
import type { Account, ClosedPopup, HistoryRow, Popup } from './state.js';

export interface ManagerScreen {
  userId: number;
  name: string;
  code: string | null;
  popups: Popup[];
  /** The last popups a hangup closed on this screen, newest first. */
  recentlyClosed: ClosedPopup[];
}

export interface AccountScreens {
  account: string;
  managers: ManagerScreen[];
  /** Newest first. */
  history: HistoryRow[];
}

export function screensOf(a: Account, historyLimit = 100): AccountScreens {
  const ids = new Set<number>([...a.users.keys(), ...a.codes.values(), ...a.popups.keys()]);
  const codeOf = new Map<number, string>();
  for (const [code, id] of a.codes) if (!codeOf.has(id)) codeOf.set(id, code);
  const managers = [...ids].sort((x, y) => x - y).map((id): ManagerScreen => {
    const u = a.users.get(id);
    return {
      userId: id,
      name: u ? userName(u) : `user ${id}`,
      code: codeOf.get(id) ?? null,
      popups: [...(a.popups.get(id)?.values() ?? [])].sort((p, q) => p.openedAtMs - q.openedAtMs),
      recentlyClosed: a.closed.filter((c) => c.userId === id).slice(-5).reverse(),
    };
  });
  return { account: a.name, managers, history: [...a.history.values()].reverse().slice(0, historyLimit) };
}
