import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { ObservabilityConfigError, TracingAlreadyStartedError } from './errors';
import { startTracing } from './tracing';

describe('startTracing with export off', () => {
  it('is not exporting, yet gives spans real ids and injects a W3C traceparent', async () => {
    const handle = startTracing({ serviceName: 'registry', env: {} });
    try {
      expect(handle.exporting).toBe(false);
      const carrier: Record<string, string> = {};
      const ids = trace.getTracer('test').startActiveSpan('publish', (span) => {
        propagation.inject(context.active(), carrier);
        span.end();
        return span.spanContext();
      });
      expect(carrier.traceparent).toBe(`00-${ids.traceId}-${ids.spanId}-01`);
    } finally {
      await handle.shutdown();
    }
  });

  it('continues the trace of an extracted traceparent in another "process"', async () => {
    const handle = startTracing({ serviceName: 'consumer', env: {} });
    try {
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const parent = propagation.extract(ROOT_CONTEXT, { traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
      const child = trace.getTracer('test').startSpan('consume', {}, parent);
      expect(child.spanContext().traceId).toBe(traceId);
      expect(child.spanContext().spanId).not.toBe('00f067aa0ba902b7');
      child.end();
    } finally {
      await handle.shutdown();
    }
  });

  it('refuses a second start while one is active, and starts again after shutdown', async () => {
    const first = startTracing({ serviceName: 'a', env: {} });
    expect(() => startTracing({ serviceName: 'b', env: {} })).toThrow(TracingAlreadyStartedError);
    await first.shutdown();
    const second = startTracing({ serviceName: 'b', env: {} });
    await second.shutdown();
    expect(second.exporting).toBe(false);
  });

  it('keeps ids and propagation but does not export when the SDK is disabled by OTEL_SDK_DISABLED', async () => {
    const handle = startTracing({ serviceName: 'a', env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'TRUE' } });
    try {
      expect(handle.exporting).toBe(false);
      const carrier: Record<string, string> = {};
      trace.getTracer('test').startActiveSpan('x', (span) => {
        propagation.inject(context.active(), carrier);
        span.end();
      });
      expect(carrier.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    } finally {
      await handle.shutdown();
    }
  });

  it('rejects a malformed endpoint with the variable name', () => {
    expect(() => startTracing({ serviceName: 'a', env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' } })).toThrow(ObservabilityConfigError);
    expect(() => startTracing({ serviceName: 'a', env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' } })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  });
});

describe('startTracing with an OTLP endpoint', () => {
  let server: Server;
  const received: { url: string; body: Buffer }[] = [];
  let base: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ url: req.url ?? '', body: Buffer.concat(chunks) });
        res.statusCode = 200;
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('exports spans with the service name to <endpoint>/v1/traces, flushed by shutdown', async () => {
    const handle = startTracing({ serviceName: 'otlp-test-service', env: { OTEL_EXPORTER_OTLP_ENDPOINT: `${base}/` } });
    expect(handle.exporting).toBe(true);
    expect(handle.tracesUrl).toBe(`${base}/v1/traces`);
    const traceId = trace.getTracer('test').startActiveSpan('command', (span) => {
      const carrier: Record<string, string> = {};
      propagation.inject(context.active(), carrier);
      expect(carrier.traceparent).toContain(span.spanContext().traceId);
      span.end();
      return span.spanContext().traceId;
    });
    await handle.shutdown();
    expect(received.map((r) => r.url)).toContain('/v1/traces');
    const body = Buffer.concat(received.map((r) => r.body));
    expect(body.includes('otlp-test-service')).toBe(true);
    // OTLP/JSON carries ids as hex; OTLP/protobuf as raw bytes.
    expect(body.includes(traceId) || body.includes(Buffer.from(traceId, 'hex'))).toBe(true);
  });
});
