export type * from './schema.js';
export { createDb, createPool, type DbOptions } from './connect.js';
export { NOTIFY } from './notifyChannels.js';
