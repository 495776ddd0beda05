/**
 * Shortening text for error messages. Its own module, apart from the redactor: the call code that
 * loads with the first call needs this alone, and a module two chunks share becomes a chunk of its
 * own (scripts/check-size.mjs counts each chunk's gzip).
 */

/** Shortens text for an error message: one line, at most `max` characters. */
export function excerpt(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
