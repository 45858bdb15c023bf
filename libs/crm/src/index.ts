export {
  CrmRequestError,
  type CrmAccount, type CrmAction, type CrmAdapter, type CrmCallState, type CrmContext, type CrmCustomer,
  type CrmHttp, type CrmRequest, type CrmResponse, type CrmVerdict,
} from './adapter.js';
export { CRM_ADAPTERS, adapterFor, crmTypes } from './registry.js';
export { createCrmHttp, type CrmHttpDeps, type CrmHttpScope } from './http/executor.js';
export { classifyHttp, retryAfterMs, DEFAULT_RATE_LIMIT_WAIT_MS, MAX_RETRY_AFTER_MS } from './http/classifyHttp.js';
export { CrmTransportError, CrmBreakerOpenError, type TransportKind } from './http/transportError.js';
export { maskRequest, secretValuesOf, type LoggedRequest } from './http/maskRequest.js';
export { attemptSink, type AttemptSink, type CrmAttempt, type AttemptStatus } from './http/attemptSink.js';
export { CrmBreaker, readBreakers, type BreakerSettings, type BreakerState, type BreakerStatus, type BreakerDecision } from './breaker/breaker.js';
export { RedisCallState, callStateKey, CALL_STATE_TTL_SECONDS } from './state/callState.js';
export { CrmLookups, type CrmLookupsOptions, type LookupAnswer, type LookupEnterprise } from './lookup/crmLookups.js';
export { integrationModuleRequest, type ModuleSpec } from './retailcrm/integrationModule.js';
export { readSettings as readRetailCrmSettings, type RetailCrmSettings } from './retailcrm/settings.js';
