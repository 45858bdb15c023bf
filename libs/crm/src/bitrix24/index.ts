export { bitrix24Adapter } from './adapter.js';
