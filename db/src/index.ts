export { migrateToLatest, ensureDatabase } from './migrator.js';
export { seedDemo, DEMO } from './demoSeed.js';
