/**
 * Text the stores can keep: PostgreSQL refuses U+0000 in text and jsonb, and a UTF-16 surrogate
 * without its pair has no UTF-8 form (jsonb refuses its escape). Such a string is refused at the
 * edge, naming the field, instead of failing in the store as an internal error.
 */
export function textDefect(value: string): string | undefined {
  // One pass, no regex backtracking: the input may be hundreds of kilobytes.
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0) return `must not contain a NUL character (U+0000, at position ${i + 1})`;
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return `must be valid Unicode text: a lone surrogate (U+${code.toString(16).toUpperCase()}) at position ${i + 1}`;
    }
    if (code >= 0xdc00 && code <= 0xdfff) return `must be valid Unicode text: a lone surrogate (U+${code.toString(16).toUpperCase()}) at position ${i + 1}`;
  }
  return undefined;
}

/** How many characters of a caller's value an error message repeats. */
export const ECHO_LIMIT = 40;

/**
 * A caller's value as an error message may repeat it: at most ECHO_LIMIT characters, the rest
 * elided. Messages travel in gRPC trailers and logs; an unbounded echo of a 24 kB id once broke
 * the HTTP/2 connection it was answered on.
 */
export function echo(value: unknown, limit = ECHO_LIMIT): string {
  const text = typeof value === 'string' ? value : String(value);
  return text.length <= limit ? text : `${text.slice(0, limit)}… (${text.length} characters)`;
}
