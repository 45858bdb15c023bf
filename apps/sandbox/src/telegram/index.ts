export { firstMessageIdNow, TelegramSandbox, type TelegramSandboxOptions } from './telegramSandbox.js';
export { adminRoutes } from './routes.js';
export { handleBotApi } from './botApiHttp.js';
export { SANDBOX_DEFAULT_LIMITS, type SandboxLimits } from './limits.js';
export { NO_FAULTS, type TelegramFaults } from './faults.js';
export type { CallRecord } from './state.js';
