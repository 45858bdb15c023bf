export { UonSandbox, UON_SANDBOX_LIMIT, NOTIFICATION_ON_SCREEN_MS, type UonRequest } from './uonSandbox.js';
export { uonAdminRoutes, uonApiRoutes } from './routes.js';
