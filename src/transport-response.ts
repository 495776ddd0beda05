/**
 * Reads an HTTP answer of the SoftLayer API: a JSON body, or a typed error for an error status, an
 * error body (which SoftLayer also sends with HTTP 200) or a body that is not JSON.
 *
 * @module
 */
import { errorFromResponse, type RequestInfo, ResponseValidationError, ServerError } from './errors.js';
import { excerpt } from './internal/excerpt.js';
import { parseRetryAfter } from './retry-backoff.js';

/** A successful answer. */
export interface Reply {
  body: unknown;
  headers: Headers;
  status: number;
}

/** What the reader needs besides the answer. */
export interface AnswerContext extends RequestInfo {
  /** Replaces every secret of the client in a text. */
  redact: (text: string) => string;
  /** The base URL, to explain a 404 from an endpoint that is not SoftLayer's REST API. */
  baseUrl: string;
  /** Where the credential came from (`AuthState.source`), named by an AuthenticationError. */
  credentialSource?: string | undefined;
}

/** The body of a successful answer, or the typed error the answer stands for. */
export function readAnswer(context: AnswerContext, response: Response, text: string): Reply {
  const { status } = response;
  const { redact } = context;
  const info = { method: context.method, path: context.path };
  let body: unknown;
  let parsed = false;
  if (text !== '') {
    try {
      body = JSON.parse(text);
      parsed = true;
    } catch {
      // Not JSON: handled below, as an error answer or an unreadable success body.
    }
  }
  const errorBody = parsed && isErrorBody(body) ? body : undefined;
  if (status < 200 || status >= 300 || errorBody) {
    // Redact before shortening (a cut could leave half a secret the redactor no longer sees), and
    // flatten to one line: the server's text ends up inside our one-line message.
    let serverMessage: string;
    if (errorBody) serverMessage = excerpt(redact(errorBody.error), 1000);
    else if (text === '') serverMessage = `empty response (${response.statusText || 'no status text'})`;
    else
      serverMessage =
        excerpt(redact(text).replace(/<[^>]*>/g, ' ')) ||
        `unreadable response (${excerpt(redact(response.statusText), 100)})`;
    const code =
      errorBody && typeof errorBody.code === 'string' ? excerpt(redact(errorBody.code), 200) : undefined;
    throw errorFromResponse({
      ...info,
      status,
      code,
      serverMessage,
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
      hint: status === 404 ? endpointHint(context.baseUrl) : undefined,
      credentialSource: context.credentialSource,
    });
  }
  if (!parsed) {
    if (text === '') {
      throw new ServerError({ ...info, status, code: undefined, serverMessage: 'empty response body' });
    }
    const issues = [{ path: '', message: `body is not JSON (${excerpt(redact(text), 80)})` }];
    throw new ResponseValidationError({ ...info, issues });
  }
  return { body, headers: response.headers, status };
}

// SoftLayer's REST API lives under /rest/v3.1/ (or /rest/v3/); any other path answers 404 for
// every call, which reads like a missing order unless the message says where the request went.
function endpointHint(baseUrl: string): string | undefined {
  if (/\/rest\/v3(\.1)?\//.test(new URL(baseUrl).pathname)) return undefined;
  return `the endpoint ${baseUrl} has no /rest/v3.1/ in its path, so this 404 may mean a wrong endpoint rather than a missing object; SoftLayer's is https://api.softlayer.com/rest/v3.1/`;
}

function isErrorBody(body: unknown): body is { error: string; code?: unknown } {
  return (
    typeof body === 'object' &&
    body !== null &&
    !Array.isArray(body) &&
    typeof (body as { error?: unknown }).error === 'string' &&
    Object.keys(body).every((key) => key === 'error' || key === 'code')
  );
}
