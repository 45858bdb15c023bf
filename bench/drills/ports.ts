/** Free loopback ports and waiting for a process's HTTP endpoint to answer. */
export { freePort } from '../support/servers.js';

/** The HTTP status of GET url, or 0 when nothing answered within `timeoutMs`. */
export async function httpStatus(url: string, timeoutMs = 2_000): Promise<{ status: number; text: string }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, text: await res.text() };
  } catch {
    return { status: 0, text: '' };
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls until `probe` is truthy or `timeoutMs` passes; the last value either way. */
export async function until<T>(probe: () => Promise<T>, timeoutMs: number, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!last && Date.now() < deadline) {
    await sleep(everyMs);
    last = await probe();
  }
  return last;
}
