import { Metadata, type ServerUnaryCall, status as Status } from '@grpc/grpc-js';
import { EventEmitter } from 'node:events';
import pino from 'pino';
import { Registry } from 'prom-client';
import { unary } from './unary';

/** The part of a grpc-js call the adapter reads, with a deadline chosen by the test. */
function fakeCall(deadline: Date | number, options: { cancelled?: boolean } = {}): ServerUnaryCall<string, string> {
  const call = Object.assign(new EventEmitter(), {
    cancelled: options.cancelled ?? false,
    metadata: new Metadata(),
    request: 'request',
    getDeadline: () => deadline,
    getPath: () => '/pcn.testing.v1.Echo/Echo',
  });
  return call as unknown as ServerUnaryCall<string, string>;
}

function run(call: ServerUnaryCall<string, string>, handler: () => Promise<string>) {
  const registry = new Registry();
  const lines: Record<string, unknown>[] = [];
  const logger = pino({}, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return new Promise<{ error: { code: Status } | null; lines: typeof lines }>((resolve) => {
    unary(handler, { logger, registry })(call, (error) => resolve({ error: error as { code: Status } | null, lines }));
  });
}

describe('unary', () => {
  it('does not start a handler whose deadline has already passed', async () => {
    const handler = jest.fn(async () => 'response');
    const { error, lines } = await run(fakeCall(new Date(Date.now() - 1)), handler);
    expect(handler).not.toHaveBeenCalled();
    expect(error?.code).toBe(Status.DEADLINE_EXCEEDED);
    expect(lines).toEqual([expect.objectContaining({ grpc_code: 'DEADLINE_EXCEEDED' })]);
  });

  it('aborts the signal and answers DEADLINE_EXCEEDED on its own when the deadline passes', async () => {
    // The fake call never emits 'cancelled' (as grpc-js does at the deadline): the timer of the
    // adapter alone has to notice.
    let reason: unknown;
    const handler = (signal: AbortSignal) =>
      new Promise<string>((resolve) => {
        signal.addEventListener('abort', () => {
          reason = signal.reason;
          resolve('too late');
        });
      });
    const registry = new Registry();
    const logger = pino({ level: 'silent' });
    const error = await new Promise<{ code: Status } | null>((resolve) => {
      unary((_request: string, ctx) => handler(ctx.signal), { logger, registry })(fakeCall(new Date(Date.now() + 50)), (e) =>
        resolve(e as { code: Status } | null),
      );
    });
    expect(error?.code).toBe(Status.DEADLINE_EXCEEDED);
    expect((reason as DOMException).name).toBe('TimeoutError');
  });

  it('does not start a handler for a call the client already cancelled', async () => {
    const handler = jest.fn(async () => 'response');
    const { error } = await run(fakeCall(Infinity, { cancelled: true }), handler);
    expect(handler).not.toHaveBeenCalled();
    expect(error?.code).toBe(Status.CANCELLED);
  });

  it('runs a handler without deadline (grpc-js reports Infinity) to completion', async () => {
    const handler = jest.fn(async () => 'response');
    const { error } = await run(fakeCall(Infinity), handler);
    expect(handler).toHaveBeenCalledTimes(1);
    expect(error).toBeNull();
  });

  it('shares the metrics of a registry between adapters instead of registering them twice', () => {
    const registry = new Registry();
    const logger = pino({ level: 'silent' });
    unary(async () => 'a', { logger, registry });
    expect(() => unary(async () => 'b', { logger, registry })).not.toThrow();
    expect(
      registry
        .getMetricsAsArray()
        .map((metric) => metric.name)
        .sort(),
    ).toEqual(['grpc_server_handled_total', 'grpc_server_handling_seconds']);
  });
});
