/** One POST of an event body to the ingest service, classified as acked or as an error key. */
import { ACK_BODY } from '@callpipe/events';

export type FetchFn = typeof fetch;

export type PostOutcome = { acked: true } | { acked: false; error: string };

/** `base` may carry a path prefix ("http://host/api"); the event path is appended to it. */
export function eventUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

function isAckBody(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return false;
    const { status, message } = value as Record<string, unknown>;
    return status === ACK_BODY.status && message === ACK_BODY.message;
  } catch {
    return false;
  }
}

function networkError(err: unknown): string {
  if (err instanceof Error && err.name === 'TimeoutError') return 'timeout';
  const cause = err instanceof Error ? (err.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' ? `network ${cause.code}` : 'network';
}

/**
 * Error keys: the HTTP status ("500", "403"), "200 not ACK" for a 200 whose body is not ACK_BODY,
 * "timeout", or "network <code>".
 */
export async function postEvent(fetchFn: FetchFn, url: string, body: string, timeoutMs: number): Promise<PostOutcome> {
  try {
    const res = await fetchFn(url, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    if (res.status !== 200) return { acked: false, error: String(res.status) };
    return isAckBody(text) ? { acked: true } : { acked: false, error: '200 not ACK' };
  } catch (err) {
    return { acked: false, error: networkError(err) };
  }
}
