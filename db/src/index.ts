export { migrateToLatest, ensureDatabase } from './migrator.js';
export { seedDemo, DEMO, DEMO_AMI, type DemoAmi } from './demoSeed.js';
