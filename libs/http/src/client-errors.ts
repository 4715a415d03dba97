import { createServer, type RequestListener, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Problem } from './problem';

/**
 * Problems node's HTTP parser finds before any middleware runs (a header block above
 * `--max-http-header-size`, a malformed request line), keyed by llhttp's error code.
 */
const PARSER_PROBLEMS: Record<string, Pick<Problem, 'status' | 'title' | 'type' | 'detail'>> = {
  HPE_HEADER_OVERFLOW: {
    type: 'urn:pcn:problem:headers-too-large',
    title: 'Request Header Fields Too Large',
    status: 431,
    detail: 'the request headers exceed the size limit (16 KiB in all)',
  },
};

const BAD_REQUEST: Pick<Problem, 'status' | 'title' | 'type' | 'detail'> = {
  type: 'urn:pcn:problem:malformed-request',
  title: 'Bad Request',
  status: 400,
  detail: 'the request is not well-formed HTTP/1.1',
};

/**
 * Answers what the parser refuses with problem+json, like every other refusal, then closes the
 * connection (its framing can no longer be trusted). Node's default answer has no body.
 */
export function answerClientErrors(server: Server): Server {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) return void socket.destroy();
    const problem = PARSER_PROBLEMS[error.code ?? ''] ?? BAD_REQUEST;
    const body = JSON.stringify(problem);
    socket.end(
      `HTTP/1.1 ${problem.status} ${problem.title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  return server;
}

/** A node HTTP server for an API app, answering parser errors with problem+json. */
export function createApiServer(app: RequestListener): Server {
  return answerClientErrors(createServer(app));
}
