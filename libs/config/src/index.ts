export { loadConfig, type Config } from './load.js';
export { ConfigError, vars, LOG_LEVELS } from './spec.js';
export { configTable } from './doc.js';
