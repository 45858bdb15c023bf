export {
  CrmRequestError,
  type CrmAccount, type CrmAction, type CrmAdapter, type CrmCallState, type CrmContext, type CrmCustomer,
  type CrmHttp, type CrmRequest, type CrmResponse, type CrmVerdict,
} from './adapter.js';
