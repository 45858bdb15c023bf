export { retailCrmAdapter } from './adapter.js';
