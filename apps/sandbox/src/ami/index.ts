/** The sandbox's Asterisk Manager Interface stand-in. */
export { AmiSandbox, AMI_MODES, type AmiMode, type AmiRecord, type AmiSandboxOptions } from './amiSandbox.js';
export { amiRoutes } from './routes.js';
export { originatedCall, firstUniqueId } from './originateCall.js';
