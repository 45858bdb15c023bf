export { uonAdapter } from './adapter.js';
