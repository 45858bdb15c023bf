/** Asterisk Manager Interface for the project: originate (click-to-call, call-back) and redirect, bounded in time, secrets masked. */
export { AmiError, type AmiFailureKind, type AmiStep } from './errors.js';
export { amiSettingsOf, describeSettings, DEFAULT_AMI_CONTEXT, DEFAULT_AMI_PORT, type AmiSettings } from './settings.js';
export { AmiSession, type AmiMessage } from './session.js';
export { originateCall, originateFields, reasonText, ringTimeMs, type OriginateRequest, type OriginateResult, type OriginateTimeouts } from './originate.js';
export { redirectChannel, type RedirectRequest } from './redirect.js';
export { placeCall, type PlaceCallOutcome } from './placeCall.js';
export { AWAY_STATUSES, isAway, managerStatusKey, managerStatusOf, saveManagerStatus, type ManagerStatus } from './managerStatus.js';
