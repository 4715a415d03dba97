import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export interface DrainLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface DrainOptions {
  /**
   * How long the server goes on serving once draining starts (readiness is down, every answer
   * says `Connection: close`), so that load balancers and clients stop sending before the
   * listener closes. 0: close at once.
   */
  readonly graceMs: number;
  /** How long requests in flight may take to finish once the listener is closed; then they are cut. */
  readonly timeoutMs: number;
}

export interface DrainOutcome {
  /** Every request in flight finished before the timeout. */
  readonly graceful: boolean;
  /** Requests cut at the timeout (0 when graceful). */
  readonly cut: number;
}

/**
 * An HTTP server that stops without ever resetting a request it has read. Draining:
 * 1. from its start every response carries `Connection: close`, so a keep-alive connection
 *    ends after the answer to the next request it carries;
 * 2. for `graceMs` it goes on accepting connections and serving them that way (readiness is
 *    down meanwhile: the caller's `/readyz` says so);
 * 3. then the listener closes (a new connection is refused, which a client can tell from a lost
 *    request), idle connections close, and the requests in flight finish, for at most
 *    `timeoutMs`; what is still running then is cut.
 * A request the server has not read yet when a connection closes was not accepted: a client
 * may send it again elsewhere.
 */
export class GracefulHttpServer {
  readonly server: Server;
  /** Responses under way: a request read and not yet fully answered. */
  private readonly underWay = new Set<ServerResponse>();
  private draining = false;
  private drained: Promise<DrainOutcome> | undefined;

  constructor(
    listener: RequestListener,
    private readonly logger?: DrainLogger,
  ) {
    this.server = createServer((req, res) => this.handle(req, res, listener));
  }

  /** Binds; resolves with the port (the chosen one when `port` is 0). */
  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /** Starts draining (idempotent): the same promise for every caller. */
  drain(options: DrainOptions): Promise<DrainOutcome> {
    this.drained ??= this.run(options);
    return this.drained;
  }

  private handle(req: IncomingMessage, res: ServerResponse, listener: RequestListener): void {
    this.underWay.add(res);
    const finished = (): void => void this.underWay.delete(res);
    res.once('finish', finished);
    res.once('close', finished);
    if (this.draining) closeAfter(res);
    listener(req, res);
  }

  private async run(options: DrainOptions): Promise<DrainOutcome> {
    this.draining = true;
    // Answers not started yet close their connection. Idle connections are left open on
    // purpose: closing one races with a request the client may be sending on it, whereas the
    // next request it carries is answered, with `Connection: close`.
    for (const res of this.underWay) closeAfter(res);
    this.logger?.info({ graceMs: options.graceMs, underWay: this.underWay.size }, 'HTTP draining: answering with Connection: close');
    if (options.graceMs > 0) await sleep(options.graceMs);

    // Refuses new connections and closes the idle ones (a connection idle through the whole
    // grace period is the only one a client could still be sending on: the keep-alive race
    // every HTTP/1.1 server has at its idle timeout).
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    const graceful = await Promise.race([closed.then(() => true), sleep(options.timeoutMs, false, { ref: false })]);
    if (graceful) return { graceful: true, cut: 0 };
    const cut = this.underWay.size;
    this.logger?.warn({ cut, timeoutMs: options.timeoutMs }, 'HTTP requests still running at the shutdown timeout: cut');
    this.server.closeAllConnections();
    await closed;
    return { graceful: false, cut };
  }
}

/** The response, when its head is not written yet, asks the client to close the connection after it. */
function closeAfter(res: ServerResponse): void {
  if (!res.headersSent) {
    res.setHeader('Connection', 'close');
    res.shouldKeepAlive = false;
  }
}
