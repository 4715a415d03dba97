import { hostname } from 'node:os';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import pretty from 'pino-pretty';
import { ObservabilityConfigError } from './errors';

export type Logger = PinoLogger;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Paths censored by default. `nir` (the French social-security number) is health-adjacent
 * personal data that must never reach a log store, at the top level or one level down.
 */
export const DEFAULT_REDACT_PATHS: readonly string[] = ['nir', '*.nir', 'req.headers.authorization'];

export interface LoggerOptions {
  service: string;
  level: LogLevel;
  /** Human-readable output for a developer's terminal; JSON lines otherwise. */
  pretty?: boolean;
  /** Paths to censor (pino/fast-redact syntax). Replaces the defaults when given. */
  redact?: readonly string[];
  /**
   * Where lines go; stdout when absent. Tests pass a capturing stream. With `pretty`, it must
   * be a full Node writable stream (pino-pretty pipes into it).
   */
  destination?: DestinationStream;
}

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/**
 * A pino JSON logger whose every line carries `service` and, when an OpenTelemetry span is
 * active, its `trace_id` and `span_id`, so a log search by trace id finds every line of a
 * request across gRPC, the event store, the bus and its consumers.
 */
export function createLogger(options: LoggerOptions): Logger {
  if (!isLogLevel(options.level)) {
    throw new ObservabilityConfigError('log level', options.level, LOG_LEVELS.join(' | '));
  }
  if (options.service.trim() === '') throw new ObservabilityConfigError('service name', options.service, 'a non-empty name');

  const config: pino.LoggerOptions = {
    level: options.level,
    base: { service: options.service, pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Level names rather than numbers: what log stores and humans filter on.
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: [...(options.redact ?? DEFAULT_REDACT_PATHS)] },
    mixin: traceFields,
  };

  if (options.pretty) {
    return pino(config, pretty({ sync: true, colorize: options.destination === undefined, destination: options.destination ?? 1 }));
  }
  return options.destination ? pino(config, options.destination) : pino(config);
}

function traceFields(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const ctx = span.spanContext();
  return isSpanContextValid(ctx) ? { trace_id: ctx.traceId, span_id: ctx.spanId } : {};
}
