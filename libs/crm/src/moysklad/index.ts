export { moyskladAdapter, employeeIdByExtension } from './adapter.js';
