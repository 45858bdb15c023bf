export type * from './schema.js';
export { createDb, createPool, type DbOptions } from './connect.js';
export { NOTIFY } from './notifyChannels.js';
export { PgListener, type ListenerOptions } from './listener.js';
export { isPgConnectionError } from './connectionErrors.js';
export { PARTITION_ANALYZE_THRESHOLD } from './callLogPartitions.js';
