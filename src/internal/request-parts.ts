// Temporary re-exports while parallel branches merge; the lead removes them.

export { safeEmitter } from '../events.js';
export { checkListQuery, checkReadOptions, type ListQuery, type ReadCallOptions } from '../read-options.js';
export {
  checkDuration,
  checkFunction,
  checkInteger,
  checkOptionsObject,
  checkOrderId,
  checkUserAgent,
  shown,
} from './arguments.js';
export {
  ACCOUNT_SERVICE,
  ORDER_MASK,
  ORDER_MASK_QUERY,
  ORDER_SERVICE,
  resolveBaseUrl,
  STATUS_SERVICE,
} from './endpoint.js';
export { checkFilter, matchesFilter, orderFilterJson } from './filter.js';
export { queryString } from './query.js';
