/**
 * Secret redaction. Every string that leaves the SDK through an error or an event passes through a
 * redactor built from the credentials in use, so a server that echoes a key back cannot leak it.
 */

export const REDACTED = '[REDACTED]';

export type Redactor = (text: string) => string;

/** Builds a redactor that replaces every occurrence of each secret (and its base64 and URL forms). */
export function createRedactor(secrets: readonly string[]): Redactor {
  const needles = new Set<string>();
  for (const secret of secrets) {
    // Short values would redact ordinary words; the constructor rejects such credentials anyway.
    if (secret.length < 4) continue;
    needles.add(secret);
    needles.add(encodeURIComponent(secret));
  }
  const list = [...needles].sort((a, b) => b.length - a.length);
  if (list.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const needle of list) {
      if (out.includes(needle)) out = out.split(needle).join(REDACTED);
    }
    // Authorization values never belong in output, even ones we did not build ourselves.
    return out.replace(/\b(Basic|Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${REDACTED}`);
  };
}

/** Base64 of a UTF-8 string, in every runtime (btoa only takes Latin-1). */
export function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
