/** Races a promise against a deadline; the loser is not cancelled, only no longer awaited. */
export class TimeoutError extends Error {
  constructor(ms: number, what: string) {
    super(`${what} took longer than ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(ms, what)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
