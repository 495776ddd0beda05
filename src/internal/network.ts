/**
 * What a runtime's network error says about a request: its system error code, and whether the
 * request can have left this machine.
 */

// Connect-phase failures: no byte of the request reached a server.
const NOT_DISPATCHED_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

/** Whether a failure with this code may have carried the request to a server (unknown codes: yes). */
export function mayHaveLeft(code: string | undefined): boolean {
  return code === undefined || !NOT_DISPATCHED_CODES.has(code);
}

/** The first `code` found along an error's cause chain (undici nests it two levels down). */
export function systemErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
    if (current instanceof AggregateError && current.errors[0] instanceof Error) current = current.errors[0];
    else current = current.cause;
  }
  return undefined;
}
