/**
 * What injected faults answer: before the request is processed (the server does not act) or after it.
 *
 * @module
 */
import { type CoreResponse, INTERNAL_ERROR, json, rateLimitMessage, SL, slError } from './respond.js';
import type { EmulatorState } from './state.js';
import type { FaultSpec } from './types.js';

const HTML_502 = '<html><body><h1>502 Bad Gateway</h1></body></html>';
const noResponse = (action: 'reset' | 'hang'): CoreResponse => ({ action, status: 0, headers: {}, body: '' });

/** Faults that answer without processing the request; `null` for those that process it. */
export function preProcessFault(fault: Readonly<FaultSpec>, state: EmulatorState): CoreResponse | null {
  const retryAfter: Record<string, string> =
    fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter };
  switch (fault.kind) {
    case 'rate-limit': {
      const body = { error: rateLimitMessage(state.limiter?.requestsPerSecond ?? 50), code: SL.rateLimit };
      return json(fault.status ?? 500, body, retryAfter);
    }
    case 'server-error':
      return json(fault.status ?? 500, INTERNAL_ERROR, retryAfter);
    case 'error-200':
      return json(200, INTERNAL_ERROR);
    case 'expired-token':
      return slError(500, 'The access token has expired. Request a new one from IAM.', SL.tokenValidation);
    case 'non-json':
      return {
        action: 'respond',
        status: fault.status ?? 502,
        headers: { 'content-type': 'text/html' },
        body: HTML_502,
      };
    case 'false':
      return json(200, false);
    case 'reset-before':
      return noResponse('reset');
    case 'hang':
      return noResponse('hang');
    default:
      return null;
  }
}

export function postProcessFault(fault: Readonly<FaultSpec> | null, response: CoreResponse): CoreResponse {
  switch (fault?.kind) {
    case 'reset-after':
      return { ...response, action: 'reset' };
    case 'truncated':
      return { ...response, action: 'truncate' };
    case 'empty':
      return { action: 'respond', status: 200, headers: { 'content-type': 'application/json' }, body: '' };
    default:
      return response;
  }
}
