export { RetailCrmSandbox, type AccountSetup, type RetailCrmRequest } from './retailCrmSandbox.js';
export { retailCrmAdminRoutes, retailCrmApiRoutes } from './routes.js';
export { RETAILCRM_SANDBOX_LIMITS, type RetailCrmLimits } from './limits.js';
export { NO_FAULTS as RETAILCRM_NO_FAULTS, type CrmFaults as RetailCrmFaults } from '../common/faults.js';
export { clickToCall, clickToCallsOf, makeCallTarget, setMakeCallFallback, type ClickToCall, type MakeCallTarget } from './makeCall.js';
