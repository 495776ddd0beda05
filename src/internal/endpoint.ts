/**
 * Where requests go: the SoftLayer service names, the order mask, and the checked base URL. Every
 * path segment is a constant or a checked id, so no input can add a segment.
 */
import { InvalidArgumentError } from '../errors.js';

export const ORDER_SERVICE = 'SoftLayer_Security_Certificate_Request';
export const STATUS_SERVICE = 'SoftLayer_Security_Certificate_Request_Status';
export const ACCOUNT_SERVICE = 'SoftLayer_Account';

/** The fields of `SslOrder`; the CSR is left out because lists never need it. */
export const ORDER_MASK =
  'mask[id,accountId,commonName,approverEmailAddress,technicalContactEmailAddress,statusId,' +
  'createDate,modifyDate,effectiveDate,expirationDate,status[id,name,description]]';

/** The `objectMask` query parameter for orders, encoded once. */
export const ORDER_MASK_QUERY = `objectMask=${encodeURIComponent(ORDER_MASK)}`;

/** Whether a host name is this machine (the only place plain http is allowed); brackets of an IPv6 literal are ignored. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Checks and normalises the base URL: `public`, `private`, or an http(s) URL with no credentials,
 * query or fragment; plain http only on loopback. The result ends with `/`.
 */
export function resolveBaseUrl(
  value: unknown,
  defaults: { baseUrl: string; privateBaseUrl: string },
): string {
  if (value === undefined || value === 'public') return defaults.baseUrl;
  if (value === 'private') return defaults.privateBaseUrl;
  if (typeof value !== 'string') {
    throw new InvalidArgumentError(
      'baseUrl',
      `baseUrl must be a URL string, 'public' or 'private', got ${typeof value}`,
    );
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('baseUrl', `baseUrl is not a valid URL; use e.g. ${defaults.baseUrl}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidArgumentError(
      'baseUrl',
      `baseUrl must use https, got ${url.protocol}; use e.g. ${defaults.baseUrl}`,
    );
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new InvalidArgumentError(
      'baseUrl',
      `baseUrl must use https for ${url.hostname}: plain http is allowed only for loopback (127.0.0.1, localhost, ::1)`,
    );
  }
  if (url.username || url.password) {
    throw new InvalidArgumentError(
      'baseUrl',
      'baseUrl must not contain credentials; pass them in the auth option',
    );
  }
  if (url.search || url.hash) {
    throw new InvalidArgumentError('baseUrl', 'baseUrl must not have a query or fragment');
  }
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}
