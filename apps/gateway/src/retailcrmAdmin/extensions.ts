/**
 * The rules of `integrations_config.retailcrm.user_extensions` ({ RetailCRM user id: extension | null },
 * the form libs/crm's readSettings reads): one extension per manager, one manager per extension,
 * reassigning a number frees its old owner, local data wins over RetailCRM's, and codes that exist
 * only in RetailCRM are imported. Pure.
 */

/** RetailCRM user id → internal extension; null = explicitly unassigned (not re-imported from RetailCRM). */
export type UserExtensions = Readonly<Record<string, string | null>>;

export interface AdditionalCode {
  userId: number;
  code: string;
}

export interface Freed {
  extension: string;
  /** The manager who lost it. */
  userId: string;
  /** The manager who took it. */
  to: string;
}

export type SavePlan =
  | { ok: true; next: Record<string, string | null>; changed: { userId: string; extension: string | null }[]; freed: Freed[] }
  | { ok: false; errors: string[] };

const USER_ID = /^\d{1,12}$/;
const EXTENSION = /^\d{1,15}$/;

const valueOf = (m: UserExtensions, id: string): string => m[id] ?? '';

/**
 * A save of the managers form onto the stored mapping. `submitted` holds every manager shown
 * (user id → chosen extension, '' for none); only rows that differ from what is stored are changes.
 * A changed row must pick an enterprise number (`allowed`) or none; two changed rows may not pick the
 * same number; a number a change picks is taken from whoever held it (an unchanged row, or a manager
 * not shown), who is then unassigned (null).
 */
export function planSave(stored: UserExtensions, submitted: Readonly<Record<string, string>>, allowed: ReadonlySet<string>): SavePlan {
  const errors: string[] = [];
  const changes: { userId: string; extension: string }[] = [];
  for (const [rawId, rawExt] of Object.entries(submitted)) {
    const userId = rawId.trim();
    const extension = rawExt.trim();
    if (!USER_ID.test(userId)) {
      errors.push(`"${userId}" is not a RetailCRM user id`);
      continue;
    }
    if (extension === valueOf(stored, userId)) continue;
    if (extension !== '' && !EXTENSION.test(extension)) errors.push(`"${extension}" (manager ${userId}) is not an extension`);
    else if (extension !== '' && !allowed.has(extension)) errors.push(`${extension} (manager ${userId}) is not one of the enterprise's internal numbers`);
    else changes.push({ userId, extension });
  }
  const byExtension = new Map<string, string[]>();
  for (const c of changes) if (c.extension) byExtension.set(c.extension, [...(byExtension.get(c.extension) ?? []), c.userId]);
  for (const [ext, ids] of byExtension) if (ids.length > 1) errors.push(`${ext} is chosen for ${ids.length} managers (${ids.join(', ')}): one number belongs to one manager`);
  if (errors.length) return { ok: false, errors };

  const next: Record<string, string | null> = { ...stored };
  const changedIds = new Set(changes.map((c) => c.userId));
  const freed: Freed[] = [];
  for (const c of changes) {
    if (c.extension) {
      for (const [other, ext] of Object.entries(next)) {
        if (other !== c.userId && ext === c.extension && !changedIds.has(other)) {
          next[other] = null;
          freed.push({ extension: c.extension, userId: other, to: c.userId });
        }
      }
    }
    next[c.userId] = c.extension || null;
  }
  return { ok: true, next, changed: changes.map((c) => ({ userId: c.userId, extension: c.extension || null })), freed };
}

/**
 * Codes RetailCRM knows (its module's additionalCodes) that we do not: a user with no local entry
 * at all (an explicit null means "unassigned here" and wins) whose code no local manager holds.
 */
export function importable(stored: UserExtensions, remote: readonly AdditionalCode[]): AdditionalCode[] {
  const taken = new Set(Object.values(stored).filter((v): v is string => typeof v === 'string' && v !== ''));
  const seenUsers = new Set<string>();
  const out: AdditionalCode[] = [];
  for (const r of remote) {
    const id = String(r.userId);
    if (!USER_ID.test(id) || !EXTENSION.test(r.code) || Object.hasOwn(stored, id) || seenUsers.has(id) || taken.has(r.code)) continue;
    seenUsers.add(id);
    taken.add(r.code);
    out.push({ userId: r.userId, code: r.code });
  }
  return out;
}

export function withImported(stored: UserExtensions, codes: readonly AdditionalCode[]): Record<string, string | null> {
  const next: Record<string, string | null> = { ...stored };
  for (const c of codes) next[String(c.userId)] = c.code;
  return next;
}

/** additionalCodes from an integration module as RetailCRM returns it (inside integrations.telephony, or at the root in old registrations). */
export function additionalCodesOf(module: unknown): AdditionalCode[] {
  const m = asRecord(module);
  const telephony = asRecord(asRecord(m.integrations).telephony);
  const list = Array.isArray(telephony.additionalCodes) ? telephony.additionalCodes : Array.isArray(m.additionalCodes) ? m.additionalCodes : [];
  const out: AdditionalCode[] = [];
  for (const item of list) {
    const r = asRecord(item);
    const userId = Number(r.userId);
    const code = typeof r.code === 'number' ? String(r.code) : r.code;
    if (Number.isSafeInteger(userId) && userId > 0 && typeof code === 'string' && code !== '') out.push({ userId, code });
  }
  return out;
}

function asRecord(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Record<string, unknown> : {};
}

/** The stored mapping, read defensively: numeric user ids, string-or-null extensions. */
export function readUserExtensions(raw: unknown): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [id, ext] of Object.entries(asRecord(raw))) {
    if (!USER_ID.test(id)) continue;
    if (ext === null || ext === '') out[id] = null;
    else if (typeof ext === 'string' && EXTENSION.test(ext.trim())) out[id] = ext.trim();
    else if (typeof ext === 'number' && Number.isSafeInteger(ext)) out[id] = String(ext);
  }
  return out;
}
