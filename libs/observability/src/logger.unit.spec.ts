import { Writable } from 'node:stream';
import { trace } from '@opentelemetry/api';
import { createLogger, type LoggerOptions } from './logger';
import { ObservabilityConfigError } from './errors';
import { startTracing, type TracingHandle } from './tracing';

function capture(options: Partial<LoggerOptions> = {}) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    service: 'registry',
    level: 'info',
    ...options,
    destination: { write: (chunk: string) => void lines.push(JSON.parse(chunk) as Record<string, unknown>) },
  });
  return { logger, lines };
}

describe('createLogger', () => {
  let tracing: TracingHandle;
  beforeAll(() => {
    tracing = startTracing({ serviceName: 'logger-test', env: {} });
  });
  afterAll(() => tracing.shutdown());

  it('writes JSON lines carrying the service and the level name', () => {
    const { logger, lines } = capture();
    logger.info({ centreId: 'c-1' }, 'centre registered');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ service: 'registry', level: 'info', msg: 'centre registered', centreId: 'c-1' });
    expect(typeof lines[0]!.time).toBe('string');
  });

  it('adds the trace and span ids of the active span, and none outside a span', () => {
    const { logger, lines } = capture();
    const tracer = trace.getTracer('test');
    let ids: { traceId: string; spanId: string } | undefined;
    tracer.startActiveSpan('handle command', (span) => {
      ids = span.spanContext();
      logger.info('inside');
      span.end();
    });
    logger.info('outside');
    expect(ids!.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(ids!.traceId).not.toBe('0'.repeat(32));
    expect(lines[0]).toMatchObject({ msg: 'inside', trace_id: ids!.traceId, span_id: ids!.spanId });
    expect(lines[1]!.msg).toBe('outside');
    expect(lines[1]).not.toHaveProperty('trace_id');
  });

  it('keeps the trace id across awaits within the span', async () => {
    const { logger, lines } = capture();
    const traceId = await trace.getTracer('test').startActiveSpan('async', async (span) => {
      await new Promise((r) => setTimeout(r, 5));
      logger.info('after await');
      span.end();
      return span.spanContext().traceId;
    });
    expect(lines[0]!.trace_id).toBe(traceId);
  });

  it('redacts the NIR at the top level and nested, and the authorization header, by default', () => {
    const { logger, lines } = capture();
    logger.info({ nir: '185057800608436', patient: { nir: '285057800608412', id: 'p-1' }, req: { headers: { authorization: 'Bearer secret' } } }, 'x');
    const line = JSON.stringify(lines[0]);
    expect(line).not.toContain('185057800608436');
    expect(line).not.toContain('285057800608412');
    expect(line).not.toContain('Bearer secret');
    expect(lines[0]).toMatchObject({ nir: '[Redacted]', patient: { nir: '[Redacted]', id: 'p-1' }, req: { headers: { authorization: '[Redacted]' } } });
  });

  it('redacts the configured paths instead of the defaults', () => {
    const { logger, lines } = capture({ redact: ['payment.iban'] });
    logger.info({ payment: { iban: 'FR7630006000011234567890189' }, patient: { nir: 'kept' } }, 'x');
    expect(lines[0]).toMatchObject({ payment: { iban: '[Redacted]' }, patient: { nir: 'kept' } });
  });

  it('filters lines below the level', () => {
    const { logger, lines } = capture({ level: 'warn' });
    logger.info('dropped');
    logger.warn('kept');
    expect(lines.map((l) => l.msg)).toEqual(['kept']);
  });

  it('refuses an unknown level with a typed error naming the setting', () => {
    expect(() => createLogger({ service: 's', level: 'verbose' as never })).toThrow(ObservabilityConfigError);
    expect(() => createLogger({ service: 's', level: 'verbose' as never })).toThrow(/log level "verbose"/);
  });

  it('writes human-readable lines in pretty mode', () => {
    let out = '';
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        out += chunk.toString();
        done();
      },
    });
    const logger = createLogger({ service: 'registry', level: 'info', pretty: true, destination });
    logger.info({ centreId: 'c-1' }, 'centre registered');
    expect(out).toContain('centre registered');
    expect(out).toContain('c-1');
    expect(() => JSON.parse(out) as unknown).toThrow();
  });
});
