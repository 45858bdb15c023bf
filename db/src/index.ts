export { migrateToLatest, ensureDatabase } from './migrator.js';
export { seedDemo, DEMO, DEMO_SANDBOX } from './demoSeed.js';
export { demoIntegrations, mergeDemoIntegrations, type DemoSandbox } from './demoIntegrations.js';
