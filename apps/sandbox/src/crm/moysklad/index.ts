export { MoyskladSandbox, MS_SANDBOX_LIMIT, type MsRequest } from './moyskladSandbox.js';
export { moyskladAdminRoutes, moyskladApiRoutes } from './routes.js';
