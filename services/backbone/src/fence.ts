import express, { type Express } from 'express';
import { Metadata, status, type sendUnaryData, type ServerUnaryCall, type ServiceError, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { HttpError, toProblem } from '@pcn/http';

/**
 * Set when this instance must stop serving at once (its data directory was taken by another
 * instance): every request and call is then refused as unavailable, so clients retry elsewhere.
 */
export class Fence {
  private why: string | undefined;

  get closed(): boolean {
    return this.why !== undefined;
  }

  get reason(): string | undefined {
    return this.why;
  }

  close(reason: string): void {
    this.why ??= reason;
  }

  /** The REST app behind the fence: 503 problem+json for every request once closed. */
  http(app: Express): Express {
    const outer = express();
    outer.disable('x-powered-by');
    outer.use((req, res, next) => {
      if (!this.why) return next();
      const problem = toProblem(new HttpError(503, 'Service Unavailable', `this instance is shutting down: ${this.why}`));
      res
        .status(503)
        .type('application/problem+json')
        .json({ ...problem, instance: req.originalUrl });
    });
    outer.use(app);
    return outer;
  }

  /** A gRPC service implementation behind the fence: UNAVAILABLE for every call once closed. */
  grpc(implementation: UntypedServiceImplementation): UntypedServiceImplementation {
    const fenced: UntypedServiceImplementation = {};
    for (const [name, handler] of Object.entries(implementation)) {
      fenced[name] = (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
        if (!this.why) return (handler as (c: typeof call, cb: typeof callback) => void)(call, callback);
        const error: ServiceError = Object.assign(new Error(`this instance is shutting down: ${this.why}`), {
          code: status.UNAVAILABLE,
          details: `this instance is shutting down: ${this.why}`,
          metadata: new Metadata(),
        });
        callback(error, null);
      };
    }
    return fenced;
  }
}
