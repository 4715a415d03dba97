/**
 * Bounds on what a status carries. Messages and details travel in the trailers (grpc-message,
 * grpc-status-details-bin), and a client refuses trailers above its metadata limit: a message
 * echoing a 24 kB id once broke the call and the connection it was answered on.
 */
export const MAX_MESSAGE = 1000;
export const MAX_DESCRIPTION = 500;
export const MAX_FIELD = 200;

/** `text` cut to `max` characters, saying how long it was. */
export function bounded(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}
