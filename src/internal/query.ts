/** Query-string encoding for SoftLayer REST calls. */

/** Encodes query parameters the way SoftLayer expects (brackets and commas percent-encoded). */
export function queryString(parameters: Record<string, string | undefined>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(parameters)) {
    if (value !== undefined) parts.push(`${key}=${encodeURIComponent(value)}`);
  }
  return parts.join('&');
}
