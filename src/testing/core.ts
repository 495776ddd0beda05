/**
 * The transport-independent core of the emulator: routing, auth, rate limiting, fault injection and the
 * request log. Both the node:http server and the msw handlers call {@link handleRequest}.
 *
 * @module
 */
import { type AuthOutcome, authenticate, handleIam, redactIamBody } from './auth.js';
import { postProcessFault, preProcessFault } from './fault-responses.js';
import {
  type CoreRequest,
  type CoreResponse,
  INTERNAL_ERROR,
  json,
  rateLimitMessage,
  SL,
  SoftLayerError,
  slError,
} from './respond.js';
import { type MethodSpec, SERVICES } from './services.js';
import type { EmulatorState } from './state.js';
import type { RouteName } from './types.js';

interface Target {
  readonly kind: 'api' | 'iam' | 'unknown-path';
  readonly route: RouteName;
  readonly service: string | null;
  readonly methodName: string | null;
  readonly id: number | null;
  readonly spec: MethodSpec | null;
  /** Simple-type parameters appended to the path (`…/resendEmail/FulfillmentEmail.json`), as strings. */
  readonly urlParameters: readonly string[];
  /** A routing error to report once the request is authenticated. */
  readonly error: SoftLayerError | null;
}

const API_PATH = /^\/rest\/v3(?:\.1)?\/(.*)$/;
const IAM_PATH = /^\/identity\/token\/?$/;
const IMPLICIT_METHODS: Record<string, string> = {
  GET: 'getObject',
  POST: 'createObject',
  PUT: 'editObject',
  DELETE: 'deleteObject',
};

function findMethod(
  methods: Readonly<Record<string, MethodSpec>>,
  name: string,
): [string, MethodSpec] | null {
  const direct = Object.hasOwn(methods, name) ? methods[name] : undefined;
  if (direct) return [name, direct];
  // softlayer-java and SLDN drop the `get` prefix of getters: `/SoftLayer_Account/Object.json`.
  const getter = `get${name.charAt(0).toUpperCase()}${name.slice(1)}`;
  const viaGetter = Object.hasOwn(methods, getter) ? methods[getter] : undefined;
  return viaGetter ? [getter, viaGetter] : null;
}

function parseTarget(method: string, pathname: string): Target {
  const base = { service: null, methodName: null, id: null, spec: null, error: null, urlParameters: [] };
  if (IAM_PATH.test(pathname)) return { ...base, kind: 'iam', route: 'iam' };
  const match = API_PATH.exec(pathname);
  if (!match) return { ...base, kind: 'unknown-path', route: 'other' };
  let segments: string[];
  try {
    segments = match[1]!.split('/').map(decodeURIComponent);
  } catch {
    return { ...base, kind: 'api', route: 'other', error: new SoftLayerError(500, 'Malformed URL') };
  }
  if (segments.at(-1) === '') segments.pop();
  let error: SoftLayerError | null = null;
  const last = segments.length - 1;
  const ext = /\.(json|xml|txt)$/i.exec(segments[last] ?? '');
  if (ext) {
    segments[last] = segments[last]!.slice(0, -ext[0].length);
    // The real API speaks XML and text too; the emulator only JSON (a scope choice).
    if (ext[1]!.toLowerCase() !== 'json') error = new SoftLayerError(500, `Unsupported format: ${ext[0]}`);
  }
  const [service = '', ...rest] = segments;
  const methods = SERVICES[service];
  if (!Object.hasOwn(SERVICES, service) || !methods) {
    // The text is documented; the HTTP status is UNVERIFIED, 500 is the emulator's choice.
    return {
      ...base,
      kind: 'api',
      route: 'other',
      service,
      error: new SoftLayerError(500, 'Service does not exist'),
    };
  }
  // `[/{id}][/{method}[/{param}…]]`: SLDN's REST article lets simple-type parameters follow the method.
  const hasId = rest.length > 0 && /^-?\d/.test(rest[0]!);
  const idText = hasId ? rest[0]! : null;
  const name = rest[hasId ? 1 : 0];
  const urlParameters = rest.slice(hasId ? 2 : 1);
  let id: number | null = null;
  if (idText !== null) {
    if (!/^\d+$/.test(idText) || !Number.isSafeInteger(Number(idText))) {
      error ??= new SoftLayerError(500, `Invalid object id: '${idText}'. Object ids are integers.`);
    } else {
      id = Number(idText);
    }
  }
  const wanted = name ?? IMPLICIT_METHODS[method] ?? method.toLowerCase();
  const found = findMethod(methods, wanted);
  if (!found) {
    const message = `Function ("${wanted}") is not a valid method for this service.`;
    return {
      ...base,
      kind: 'api',
      route: 'other',
      service,
      methodName: wanted,
      id,
      urlParameters,
      error: new SoftLayerError(500, message),
    };
  }
  const [methodName, spec] = found;
  if (spec.instance && id === null && error === null) {
    // The real message for a missing init parameter is UNVERIFIED; this wording is a choice.
    error = new SoftLayerError(
      500,
      `Object does not exist to execute method on. (${service}::${methodName})`,
    );
  }
  return { kind: 'api', route: spec.route, service, methodName, id, spec, error, urlParameters };
}

function parseParameters(method: string, body: string, inUrl: readonly string[]): readonly unknown[] {
  const inBody = bodyParameters(method, body);
  if (inUrl.length === 0) return inBody;
  // Parameters in both places: the real answer is UNVERIFIED; refusing is the emulator's choice.
  if (inBody.length > 0) {
    throw new SoftLayerError(500, 'Give the parameters in the URL or in the body, not in both.');
  }
  return inUrl;
}

function bodyParameters(method: string, body: string): unknown[] {
  // The API ignores a body sent with GET.
  if (method === 'GET' || body.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new SoftLayerError(500, 'Unable to parse the request body as JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SoftLayerError(500, 'The request body must be a JSON object {"parameters":[...]}.');
  }
  const parameters = (parsed as Record<string, unknown>)['parameters'];
  if (parameters === undefined) return [];
  if (!Array.isArray(parameters)) throw new SoftLayerError(500, '"parameters" must be an array.');
  return parameters;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function run(
  state: EmulatorState,
  target: Target,
  method: string,
  request: CoreRequest,
  query: Record<string, string>,
  requestId: number,
  auth: AuthOutcome | null,
): CoreResponse {
  if (target.kind === 'iam') return handleIam(state.authConfig, state.tokenTtlSeconds, method, request.body);
  if (target.kind === 'unknown-path' || !auth) return json(404, { error: 'Not Found', code: SL.public });
  if (!auth.ok) return auth.response;
  if (state.limiter && !state.limiter.hit(auth.bucket)) {
    return slError(500, rateLimitMessage(state.limiter.requestsPerSecond), SL.rateLimit);
  }
  try {
    if (target.error) throw target.error;
    const result = target.spec!.run({
      state,
      id: target.id,
      parameters: parseParameters(method, request.body, target.urlParameters),
      query,
      requestId,
    });
    const headers: Record<string, string> =
      result.totalItems === undefined ? {} : { 'softlayer-total-items': String(result.totalItems) };
    return json(200, result.body, headers);
  } catch (error) {
    if (error instanceof SoftLayerError) return slError(error.status, error.message, error.code);
    return json(500, INTERNAL_ERROR);
  }
}

/**
 * Handles one request against an emulator state: records it, applies injected faults, latency, auth and
 * the rate limiter, and runs the SoftLayer method. Rejects only when `signal` aborts during a delay.
 *
 * @example
 * ```ts
 * const state = createEmulatorState({ auth: false });
 * const response = await handleRequest(state, {
 *   method: 'GET',
 *   url: '/rest/v3.1/SoftLayer_Account/getObject.json?objectMask=mask[id]',
 *   headers: {},
 *   body: '',
 * });
 * response.body; // '{"id":1234567}'
 * ```
 */
export async function handleRequest(
  state: EmulatorState,
  request: CoreRequest,
  options: { signal?: AbortSignal } = {},
): Promise<CoreResponse> {
  const url = new URL(request.url, 'http://emulator.invalid');
  const method = request.method.toUpperCase();
  const target = parseTarget(method, url.pathname);
  const query = Object.fromEntries(url.searchParams);
  const auth =
    target.kind === 'api' ? authenticate(state.authConfig, request.headers['authorization']) : null;
  const record = state.log.start({
    method,
    path: url.pathname,
    route: target.route,
    service: target.service,
    methodName: target.methodName,
    id: target.id,
    query,
    body: target.kind === 'iam' ? redactIamBody(request.body) : request.body,
    auth: auth?.auth ?? { scheme: 'none' },
    status: null,
    fault: null,
  });
  const fault = state.faults.take(target.route);
  if (fault) record.fault = fault.kind;
  const delay = state.latencyMs + (fault?.delayMs ?? (fault?.kind === 'latency' ? 100 : 0));
  if (delay > 0) await sleep(delay, options.signal);
  const early = fault ? preProcessFault(fault, state) : null;
  if (early) {
    record.status = early.action === 'respond' ? early.status : null;
    return early;
  }
  const response = postProcessFault(
    fault,
    run(state, target, method, request, query, record.requestId, auth),
  );
  record.status = response.status;
  return response;
}
