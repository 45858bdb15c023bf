export { Bitrix24Sandbox, B24_SANDBOX_LIMIT, type B24Request } from './bitrix24Sandbox.js';
export { bitrix24AdminRoutes, bitrix24ApiRoutes } from './routes.js';
