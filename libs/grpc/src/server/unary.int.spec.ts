import { type ServiceError, status as Status } from '@grpc/grpc-js';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { AlreadyExistsError, ConcurrencyError, NotFoundError, PermissionDeniedError, PreconditionFailedError, ValidationError } from '@pcn/eventsourcing';
import type { Counter, Histogram } from 'prom-client';
import { callUnary } from '../client/client';
import { parseGrpcErrorDetails } from '../errors/parse-grpc-error-details';
import { callLines, type EchoFixture, startEchoServer } from '../testing/echo-fixture';
import { createTestIssuer, type TestIssuer } from '@pcn/auth/testing';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracer = provider.getTracer('unary.int.spec');
const contextManager = new AsyncLocalStorageContextManager();

function failure(promise: Promise<unknown>): Promise<ServiceError> {
  return promise.then(
    () => {
      throw new Error('the call succeeded');
    },
    (error: ServiceError) => error,
  );
}

function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('unary over a loopback connection', () => {
  let fixture: EchoFixture;

  beforeAll(() => {
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    context.setGlobalContextManager(contextManager.enable());
  });

  afterAll(async () => {
    propagation.disable();
    context.disable();
    await provider.shutdown();
  });

  beforeEach(async () => {
    exporter.reset();
    fixture = await startEchoServer({ tracer });
  });

  afterEach(async () => {
    await fixture.close();
  });

  const echo = (message: string, options: Parameters<typeof callUnary>[3] = {}) =>
    callUnary(fixture.client(), 'echo', { message }, { deadlineMs: 5000, ...options });

  describe('call context', () => {
    it('acts as anonymous without an access gate, whatever x-pcn-actor says', async () => {
      await expect(echo('a', { metadata: { 'x-pcn-actor': 'coordinator:ars-bretagne' } })).resolves.toMatchObject({ actor: 'anonymous' });
    });

    it('gives the handler the deadline the client set', async () => {
      let seen: Date | undefined;
      fixture.handler = async (request, ctx) => {
        seen = ctx.deadline;
        return { message: request.message, actor: ctx.actor, traceId: '' };
      };
      const before = Date.now();
      await echo('x', { deadlineMs: 3000 });
      expect(seen).toBeInstanceOf(Date);
      expect(seen!.getTime()).toBeGreaterThan(before + 2000);
      expect(seen!.getTime()).toBeLessThanOrEqual(Date.now() + 3000);

      await callUnary(fixture.client(), 'echo', { message: 'no deadline' });
      expect(seen).toBeUndefined();
    });

    it('applies the client default deadline to calls that set none', async () => {
      let seen: Date | undefined;
      fixture.handler = async (request, ctx) => {
        seen = ctx.deadline;
        return { message: request.message, actor: ctx.actor, traceId: '' };
      };
      const client = fixture.client({ defaultDeadlineMs: 4000 });
      const before = Date.now();
      await callUnary(client, 'echo', { message: 'default' });
      expect(seen!.getTime()).toBeGreaterThan(before + 3000);
      expect(seen!.getTime()).toBeLessThanOrEqual(Date.now() + 4000);

      // A deadline set on the call wins over the default.
      await callUnary(client, 'echo', { message: 'explicit' }, { deadlineMs: 60_000 });
      expect(seen!.getTime()).toBeGreaterThan(Date.now() + 50_000);
    });
  });

  describe('error mapping', () => {
    it('answers INVALID_ARGUMENT with every field violation in google.rpc.BadRequest', async () => {
      fixture.handler = async () => {
        throw new ValidationError([
          { field: 'finess', description: 'must be 9 characters' },
          { field: 'manager.kind', description: 'a commercial company cannot manage a centre de santé' },
        ]);
      };
      const details = parseGrpcErrorDetails(await failure(echo('x')));
      expect(details.code).toBe(Status.INVALID_ARGUMENT);
      expect(details.message).toBe('2 invalid fields: finess, manager.kind');
      expect(details.fieldViolations).toEqual([
        { field: 'finess', description: 'must be 9 characters' },
        { field: 'manager.kind', description: 'a commercial company cannot manage a centre de santé' },
      ]);
      expect(details.errorInfo).toEqual({ reason: 'INVALID_ARGUMENT', domain: 'pcn', metadata: {} });
    });

    it('answers NOT_FOUND with the resource in google.rpc.ResourceInfo', async () => {
      fixture.handler = async () => {
        throw new NotFoundError('centre', '750000001');
      };
      const details = parseGrpcErrorDetails(await failure(echo('x')));
      expect(details.code).toBe(Status.NOT_FOUND);
      expect(details.resourceInfo).toEqual({
        resourceType: 'centre',
        resourceName: '750000001',
        owner: '',
        description: 'centre 750000001 not found',
      });
    });

    it('answers ALREADY_EXISTS with the resource', async () => {
      fixture.handler = async () => {
        throw new AlreadyExistsError('centre', '750000001');
      };
      const details = parseGrpcErrorDetails(await failure(echo('x')));
      expect(details.code).toBe(Status.ALREADY_EXISTS);
      expect(details.resourceInfo?.resourceName).toBe('750000001');
    });

    it('answers FAILED_PRECONDITION with every violation in google.rpc.PreconditionFailure', async () => {
      const violations = [
        { type: 'ACCREDITATION_CRITERION', subject: 'sector1Fees', description: 'sector-1 fees only is required' },
        { type: 'ACCREDITATION_CRITERION', subject: 'governance', description: 'users must hold seats' },
      ];
      fixture.handler = async () => {
        throw new PreconditionFailedError('the centre does not meet the accreditation criteria', violations);
      };
      const details = parseGrpcErrorDetails(await failure(echo('x')));
      expect(details.code).toBe(Status.FAILED_PRECONDITION);
      expect(details.message).toBe('the centre does not meet the accreditation criteria');
      expect(details.preconditionViolations).toEqual(violations);
      expect(details.fieldViolations).toEqual([]);
    });

    it('answers ABORTED on a concurrency conflict, with the revisions in google.rpc.ErrorInfo', async () => {
      fixture.handler = async () => {
        throw new ConcurrencyError('centre-750000001', '3', '4');
      };
      const details = parseGrpcErrorDetails(await failure(echo('x')));
      expect(details.code).toBe(Status.ABORTED);
      expect(details.errorInfo).toEqual({
        reason: 'CONCURRENCY_CONFLICT',
        domain: 'pcn',
        metadata: { stream_id: 'centre-750000001', expected_revision: '3', actual_revision: '4' },
      });
    });

    it('answers PERMISSION_DENIED', async () => {
      fixture.handler = async () => {
        throw new PermissionDeniedError('only national coordinators accredit centres');
      };
      const error = await failure(echo('x'));
      expect(error.code).toBe(Status.PERMISSION_DENIED);
      expect(error.details).toBe('only national coordinators accredit centres');
    });

    it('answers INTERNAL without leaking an unexpected error, and logs that error', async () => {
      fixture.handler = async () => {
        throw new Error('connection to postgres://registry:s3cret@db failed');
      };
      const error = await failure(echo('x'));
      expect(error.code).toBe(Status.INTERNAL);
      expect(error.details).toBe('internal error');
      expect(JSON.stringify(parseGrpcErrorDetails(error))).not.toContain('s3cret');

      const [line] = callLines(fixture.logs);
      expect(line).toMatchObject({ level: 50, grpc_code: 'INTERNAL' });
      expect((line!.err as { message: string }).message).toBe('connection to postgres://registry:s3cret@db failed');
    });

    it('maps a synchronous throw like a rejection', async () => {
      fixture.handler = () => {
        throw new NotFoundError('centre', '750000002');
      };
      await expect(failure(echo('x'))).resolves.toMatchObject({ code: Status.NOT_FOUND });
    });
  });

  describe('deadlines and cancellation', () => {
    it('aborts the signal of a handler that overruns its deadline and answers DEADLINE_EXCEEDED', async () => {
      const aborted = deferred<unknown>();
      fixture.handler = (_request, ctx) =>
        new Promise((_resolve, reject) => {
          ctx.signal.addEventListener('abort', () => {
            aborted.resolve(ctx.signal.reason);
            reject(ctx.signal.reason);
          });
        });
      const error = await failure(echo('slow', { deadlineMs: 150 }));
      expect(error.code).toBe(Status.DEADLINE_EXCEEDED);
      const reason = await aborted.promise;
      expect((reason as DOMException).name).toBe('TimeoutError');
      const [line] = callLines(fixture.logs);
      expect(line).toMatchObject({ level: 40, grpc_code: 'DEADLINE_EXCEEDED' });
      expect(line!.duration_ms as number).toBeGreaterThanOrEqual(100);
    });

    it('answers DEADLINE_EXCEEDED even when the handler ignores its signal', async () => {
      const finished = deferred();
      fixture.handler = async (request, ctx) => {
        await new Promise((resolve) => setTimeout(resolve, 400));
        finished.resolve();
        return { message: request.message, actor: ctx.actor, traceId: '' };
      };
      const error = await failure(echo('stubborn', { deadlineMs: 100 }));
      expect(error.code).toBe(Status.DEADLINE_EXCEEDED);
      await finished.promise;
      // The late response is dropped: one outcome, logged and counted once.
      expect(callLines(fixture.logs).map((line) => line.grpc_code)).toEqual(['DEADLINE_EXCEEDED']);
    });

    it('aborts the signal with an AbortError when the client cancels', async () => {
      const started = deferred();
      const aborted = deferred<unknown>();
      fixture.handler = (_request, ctx) =>
        new Promise((_resolve, reject) => {
          ctx.signal.addEventListener('abort', () => {
            aborted.resolve(ctx.signal.reason);
            reject(ctx.signal.reason);
          });
          started.resolve();
        });
      const controller = new AbortController();
      const call = failure(echo('cancel me', { signal: controller.signal, deadlineMs: 10_000 }));
      await started.promise;
      controller.abort();
      expect((await call).code).toBe(Status.CANCELLED);
      expect(((await aborted.promise) as DOMException).name).toBe('AbortError');
      await new Promise((resolve) => setImmediate(resolve));
      expect(callLines(fixture.logs).map((line) => line.grpc_code)).toEqual(['CANCELLED']);
    });
  });

  describe('observability', () => {
    it('records grpc_server_handled_total by code and grpc_server_handling_seconds', async () => {
      await echo('ok');
      await echo('ok');
      fixture.handler = async () => {
        throw new NotFoundError('centre', '750000001');
      };
      await failure(echo('missing'));

      const handled = fixture.registry.getSingleMetric('grpc_server_handled_total') as Counter;
      const values = (await handled.get()).values;
      const labels = { grpc_service: 'pcn.testing.v1.Echo', grpc_method: 'Echo' };
      expect(values).toEqual(
        expect.arrayContaining([
          { labels: { ...labels, grpc_code: 'OK' }, value: 2 },
          { labels: { ...labels, grpc_code: 'NOT_FOUND' }, value: 1 },
        ]),
      );
      const seconds = fixture.registry.getSingleMetric('grpc_server_handling_seconds') as Histogram;
      const count = (await seconds.get()).values.find((value) => value.metricName === 'grpc_server_handling_seconds_count');
      expect(count).toMatchObject({ labels, value: 3 });
    });

    it('logs method, code, duration and trace id once per call', async () => {
      await echo('logged', { metadata: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } });
      const lines = callLines(fixture.logs);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        level: 30,
        grpc_service: 'pcn.testing.v1.Echo',
        grpc_method: 'Echo',
        grpc_code: 'OK',
        trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
        actor: 'anonymous',
      });
      expect(typeof lines[0]!.duration_ms).toBe('number');
    });

    it('joins the caller trace from traceparent and makes its span the parent of the handler spans', async () => {
      fixture.handler = async (request, ctx) => {
        tracer.startSpan('handler work').end();
        return { message: request.message, actor: ctx.actor, traceId: ctx.traceId ?? '' };
      };
      const response = await echo('traced', {
        metadata: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
      });
      expect(response.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');

      const spans = exporter.getFinishedSpans();
      const server = spans.find((span) => span.name === 'pcn.testing.v1.Echo/Echo');
      const work = spans.find((span) => span.name === 'handler work');
      expect(server?.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
      expect(server?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
      expect(server?.attributes).toMatchObject({
        'rpc.system': 'grpc',
        'rpc.service': 'pcn.testing.v1.Echo',
        'rpc.method': 'Echo',
        'rpc.grpc.status_code': Status.OK,
      });
      expect(work?.parentSpanContext?.spanId).toBe(server?.spanContext().spanId);
    });

    it('marks the span of a server fault as an error, but not the span of a domain refusal', async () => {
      fixture.handler = async () => {
        throw new NotFoundError('centre', '750000001');
      };
      await failure(echo('refused'));
      fixture.handler = async () => {
        throw new Error('boom');
      };
      await failure(echo('broken'));
      const [refused, broken] = exporter.getFinishedSpans().filter((span) => span.name === 'pcn.testing.v1.Echo/Echo');
      expect(refused?.status.code).toBe(0);
      expect(refused?.attributes['rpc.grpc.status_code']).toBe(Status.NOT_FOUND);
      expect(broken?.status).toEqual({ code: 2, message: 'internal error' });
      expect(broken?.events.map((event) => event.name)).toEqual(['exception']);
    });

    it('sends the active trace context from the client', async () => {
      const parent = tracer.startSpan('caller');
      const response = await context.with(trace.setSpan(context.active(), parent), () => echo('from a traced caller'));
      parent.end();
      expect(response.traceId).toBe(parent.spanContext().traceId);
    });
  });
});

describe('unary behind an access gate', () => {
  let issuer: TestIssuer;
  let fixture: EchoFixture;

  beforeAll(async () => {
    issuer = await createTestIssuer({ 'testing.Echo': { roles: ['national_coordinator', 'auditor'] } });
    fixture = await startEchoServer({ access: issuer.gate, maxReceiveMessageBytes: 4096 });
  });
  afterAll(() => fixture.close());

  const echo = async (message: string, metadata: Record<string, string>) => callUnary(fixture.client(), 'echo', { message }, { deadlineMs: 5000, metadata });

  it('gives the handler the verified identity as the actor; x-pcn-actor is ignored', async () => {
    const authorization = await issuer.bearer('auditor');
    await expect(echo('a', { authorization, 'x-pcn-actor': 'coordinator:someone-else' })).resolves.toMatchObject({ actor: 'auditor:tester' });
  });

  it('answers UNAUTHENTICATED without a token or with a bad one, before the handler runs', async () => {
    let ran = false;
    fixture.handler = async (request, ctx) => {
      ran = true;
      return { message: request.message, actor: ctx.actor, traceId: '' };
    };
    expect((await failure(echo('a', {}))).code).toBe(Status.UNAUTHENTICATED);
    expect((await failure(echo('a', { authorization: 'Bearer not.a.token' }))).code).toBe(Status.UNAUTHENTICATED);
    expect(ran).toBe(false);
    expect(callLines(fixture.logs).at(-1)).toMatchObject({ grpc_code: 'UNAUTHENTICATED', actor: 'anonymous' });
  });

  it('answers PERMISSION_DENIED to a role the policy does not list', async () => {
    const error = await failure(echo('a', { authorization: await issuer.bearer('centre', { finess: '930000017' }) }));
    expect([error.code, error.details]).toEqual([Status.PERMISSION_DENIED, 'role centre may not call testing.Echo']);
  });

  it('answers RESOURCE_EXHAUSTED to a message over the size limit', async () => {
    const error = await failure(echo('x'.repeat(8192), { authorization: await issuer.bearer('auditor') }));
    expect(error.code).toBe(Status.RESOURCE_EXHAUSTED);
  });
});
