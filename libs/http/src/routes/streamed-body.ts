import { PassThrough, type Readable } from 'node:stream';
import type { Request, Response } from 'express';
import { HttpError } from '../http-errors';

/** PCN_HTTP_FILE_LIMIT's default: a payer's file of a few hundred thousand lines. */
export const DEFAULT_FILE_LIMIT_BYTES = 100 * 1024 * 1024;

/** Where the app leaves the size limit of a streamed body for the route table (res.locals). */
export const FILE_LIMIT_LOCAL = 'pcnFileLimit';

/**
 * A line longer than this is passed on as it comes rather than held back whole: a JSON array
 * written on one line is then still streamed (a cut inside it breaks the element, which is
 * refused, never read short).
 */
const HELD_TAIL_BYTES = 64 * 1024;

/** The body of a route taking a file, as its handler reads it. */
export interface RequestFile {
  /** The media type sent, one the route accepts, lower case without parameters (`text/csv`). */
  readonly mediaType: string;
  /** The body's bytes as they arrive; when it is cut short, only up to its last whole line. */
  readonly stream: Readable;
  /**
   * Once the stream is read: throws 413 if the body went past the size limit, or the client went
   * away, saying `done` (what was kept of the lines before the cut).
   */
  readonly ensureWhole: (done: string) => void;
}

/** The limit the app set for streamed bodies (the default when the route table is used alone). */
export const fileLimitOf = (res: Response): number => (res.locals[FILE_LIMIT_LOCAL] as number | undefined) ?? DEFAULT_FILE_LIMIT_BYTES;

/**
 * The request's body as a stream of at most `limit` bytes. A body cut short (past the limit, or
 * the client gone) ends at its last whole line: a truncated last line (`12.3` of `12.34`) would
 * otherwise read as a good one. Past the limit nothing more is read.
 */
export function streamedBody(req: Request, limit: number, mediaType: string): RequestFile {
  const declared = Number(req.get('Content-Length'));
  if (declared > limit)
    throw new HttpError(413, 'Body too large', `the body is ${declared} bytes, over the ${limit}-byte limit (PCN_HTTP_FILE_LIMIT): nothing was read`);
  const out = new PassThrough();
  let received = 0;
  let tail: Buffer[] = [];
  let tailBytes = 0;
  let cut: 'limit' | 'gone' | undefined;
  let ended = false;
  const pass = (bytes: Buffer): void => {
    if (bytes.length > 0 && !out.write(bytes)) {
      req.pause();
      // Once cut, what remains is left unread (the connection closes after the answer).
      out.once('drain', () => cut === undefined && req.resume());
    }
  };
  const stop = (reason: 'limit' | 'gone'): void => {
    cut = reason;
    ended = true;
    req.off('data', onData);
    out.end();
  };
  const onData = (chunk: Buffer): void => {
    const room = limit - received;
    received += chunk.length;
    const accepted = chunk.length > room ? chunk.subarray(0, room) : chunk;
    const newline = accepted.lastIndexOf(0x0a);
    if (newline >= 0) {
      pass(Buffer.concat([...tail, accepted.subarray(0, newline + 1)]));
      tail = [accepted.subarray(newline + 1)];
      tailBytes = accepted.length - newline - 1;
    } else {
      tail.push(accepted);
      tailBytes += accepted.length;
      if (tailBytes > HELD_TAIL_BYTES) {
        pass(Buffer.concat(tail));
        tail = [];
        tailBytes = 0;
      }
    }
    if (chunk.length > room) {
      req.pause();
      stop('limit');
    }
  };
  req.on('data', onData);
  req.on('end', () => {
    if (ended) return;
    ended = true;
    pass(Buffer.concat(tail));
    out.end();
  });
  req.on('close', () => {
    if (!ended) stop('gone');
  });
  req.on('error', () => {
    if (!ended) stop('gone');
  });
  return {
    mediaType,
    stream: out,
    ensureWhole: (done) => {
      if (cut === 'limit')
        throw new HttpError(
          413,
          'Body too large',
          `the body is over the ${limit}-byte limit (PCN_HTTP_FILE_LIMIT): reading stopped at its last whole line before it; ${done}`,
        );
      if (cut === 'gone')
        throw new HttpError(400, 'Incomplete body', `the body ended before its end (the client went away): reading stopped at its last whole line; ${done}`);
    },
  };
}
