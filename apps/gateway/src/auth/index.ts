export { callerAuth, secretsVisible } from './callerAuth.js';
export { decideAccess, isLoopback, type Access, type Caller, type RequestFacts } from './callerAccess.js';
