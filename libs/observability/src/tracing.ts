import { context, propagation, trace, type TextMapPropagator } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { ObservabilityConfigError, TracingAlreadyStartedError } from './errors';

export interface TracingOptions {
  serviceName: string;
  serviceVersion?: string;
  /**
   * Base URL of an OTLP/HTTP collector (`http://collector:4318`); spans go to `<url>/v1/traces`.
   * Defaults to `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (used as is) or
   * `OTEL_EXPORTER_OTLP_ENDPOINT`. Export is off when none is set, or with
   * `OTEL_SDK_DISABLED=true`.
   */
  otlpEndpoint?: string;
  /** Environment to read the OTEL_* variables from (tests pass their own). */
  env?: NodeJS.ProcessEnv;
}

export interface TracingHandle {
  /** Whether spans are exported; ids and propagation work either way. */
  readonly exporting: boolean;
  /** Where spans are exported (the full traces URL), when exporting. */
  readonly tracesUrl: string | undefined;
  /** Flushes pending spans and unregisters the global provider, propagator and context manager. */
  shutdown(): Promise<void>;
}

let active: { serviceName: string } | undefined;

/**
 * Bootstraps OpenTelemetry for one process. Call it first in `main`, before the modules it
 * instruments (http, express, grpc, pg) are loaded.
 *
 * A tracer provider, the W3C propagators and an AsyncLocalStorage context manager are ALWAYS
 * registered, even with export off: the API's default no-op tracer only creates spans without
 * ids, so no trace id would reach the log lines nor flow gRPC → event store → bus → consumer.
 * The OTLP exporter and the auto-instrumentations are added only when an endpoint is set.
 */
export function startTracing(options: TracingOptions): TracingHandle {
  if (active) throw new TracingAlreadyStartedError(active.serviceName);
  const env = options.env ?? process.env;
  // With the SDK disabled by the standard switch, NodeSDK would register nothing at all: keep
  // ids and propagation, drop only the export.
  const disabled = env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true';
  const tracesUrl = disabled ? undefined : resolveTracesUrl(options.otlpEndpoint, env);
  const resource = resourceFromAttributes({
    [ATTR_SERVICE_NAME]: options.serviceName,
    ...(options.serviceVersion ? { [ATTR_SERVICE_VERSION]: options.serviceVersion } : {}),
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  const propagator: TextMapPropagator = new CompositePropagator({
    propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
  });

  let stop: () => Promise<void>;
  if (tracesUrl === undefined) {
    const provider = new BasicTracerProvider({ resource });
    // The API refuses a second registration and keeps the first: running on silently with
    // someone else's globals would lose the trace ids this bootstrap promises. Nothing is
    // unregistered on that path, since `disable()` would also remove the other registration.
    const registered =
      trace.setGlobalTracerProvider(provider) && propagation.setGlobalPropagator(propagator) && context.setGlobalContextManager(contextManager);
    if (!registered) throw new TracingAlreadyStartedError('another OpenTelemetry bootstrap');
    stop = () => provider.shutdown();
  } else {
    const sdk = new NodeSDK({
      resource,
      traceExporter: new OTLPTraceExporter({ url: tracesUrl }),
      instrumentations: [new HttpInstrumentation(), new ExpressInstrumentation(), new GrpcInstrumentation(), new PgInstrumentation()],
      contextManager,
      textMapPropagator: propagator,
      // Metrics are Prometheus (prom-client) and logs are pino lines on stdout: without these
      // empty lists the SDK would also start OTLP metric and log pipelines from the environment.
      metricReaders: [],
      logRecordProcessors: [],
    });
    sdk.start();
    stop = () => sdk.shutdown();
  }
  active = { serviceName: options.serviceName };

  let shutdown: Promise<void> | undefined;
  return {
    exporting: tracesUrl !== undefined,
    tracesUrl,
    shutdown() {
      shutdown ??= stop().finally(() => {
        unregister();
        active = undefined;
      });
      return shutdown;
    },
  };
}

function unregister(): void {
  trace.disable();
  propagation.disable();
  context.disable();
}

function resolveTracesUrl(option: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (option !== undefined) return tracesUrlFromBase(option, 'otlpEndpoint');
  const specific = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (specific) return validUrl(specific, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (base) return tracesUrlFromBase(base, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  return undefined;
}

function tracesUrlFromBase(base: string, setting: string): string {
  return validUrl(`${validUrl(base, setting).replace(/\/+$/, '')}/v1/traces`, setting);
}

function validUrl(value: string, setting: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch (error) {
    throw new ObservabilityConfigError(setting, value, 'an absolute http(s) URL such as http://otel-collector:4318', { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ObservabilityConfigError(setting, value, 'an http:// or https:// URL (OTLP over HTTP)');
  }
  return value;
}
