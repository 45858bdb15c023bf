/**
 * Why an AMI operation failed, in the few kinds a caller answers differently: the PBX could not be
 * reached, it refused the login, it did not answer in time, it refused the action, or it spoke
 * something that is not AMI. Messages never carry the secret.
 */
export type AmiFailureKind = 'unreachable' | 'login_failed' | 'timeout' | 'refused' | 'protocol';

export class AmiError extends Error {
  constructor(readonly kind: AmiFailureKind, message: string, readonly step: AmiStep) {
    super(message);
    this.name = 'AmiError';
  }
}

/** Where the operation was when it failed. */
export type AmiStep = 'connect' | 'login' | 'action' | 'result';

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EPIPE', 'EADDRNOTAVAIL']);

/** The failure a connect/login error stands for (the client rejects with socket errors or an AmiAuthError). */
export function classifyConnectError(err: unknown, secret: string): AmiError {
  if (err instanceof AmiError) return err;
  const e = err as { name?: unknown; code?: string; message?: string } | undefined;
  const text = scrub(e?.message ?? String(err), secret);
  // The connector's AmiAuthError sets `name` to its class rather than a string: match the class's name.
  if ((err as object | undefined)?.constructor?.name === 'AmiAuthError') return new AmiError('login_failed', `the PBX refused the login: ${text.replace(/^AMI message:\s*/, '')}`, 'login');
  if (e?.code && UNREACHABLE_CODES.has(e.code)) return new AmiError('unreachable', `the PBX could not be reached: ${e.code}`, 'connect');
  if (e?.name === 'AbortError') return new AmiError('timeout', 'the PBX did not answer in time', 'connect');
  // The connector rejects with the socket's close flag (a boolean) when the PBX hangs up before the login answer.
  if (typeof err === 'boolean') return new AmiError('unreachable', 'the PBX closed the connection before the login answer', 'login');
  return new AmiError('unreachable', `the PBX could not be reached: ${text}`, 'connect');
}

/** Removes the secret from a text that might echo it (an error message, a protocol line). */
export function scrub(text: string, secret: string): string {
  return secret.length > 0 ? text.split(secret).join('[masked]') : text;
}
