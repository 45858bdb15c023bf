/**
 * What a request that got no answer looks like to an adapter's `classify`: a timeout (the CRM may have
 * applied it) or a network failure (refused, reset, DNS). Adapters never see the HTTP library's own errors.
 */
export type TransportKind = 'timeout' | 'network';

export class CrmTransportError extends Error {
  constructor(readonly kind: TransportKind, message: string) {
    super(message);
    this.name = 'CrmTransportError';
  }
}

/** The breaker of this (enterprise, integration) is open: nothing is sent until it probes again. */
export class CrmBreakerOpenError extends Error {
  constructor(readonly enterprise: string, readonly integration: string, readonly retryInMs: number) {
    super(`${integration} of ${enterprise}: circuit open, next probe in ${retryInMs} ms`);
    this.name = 'CrmBreakerOpenError';
  }
}
