/** Errors raised by the observability kit, each carrying what a caller needs to act on it. */
export abstract class ObservabilityError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A configuration value (option or environment variable) is invalid: fail at start-up. */
export class ObservabilityConfigError extends ObservabilityError {
  readonly code = 'OBSERVABILITY_CONFIG';
  constructor(
    readonly setting: string,
    readonly value: string,
    readonly expected: string,
    options?: ErrorOptions,
  ) {
    super(`invalid ${setting} "${value}": expected ${expected}`, options);
  }
}

/** `startTracing` was called while a previous handle is still active in this process. */
export class TracingAlreadyStartedError extends ObservabilityError {
  readonly code = 'TRACING_ALREADY_STARTED';
  constructor(readonly registeredBy: string) {
    super(`OpenTelemetry is already registered in this process (by ${registeredBy}); shut it down first`);
  }
}

/** A metric name is already registered on the registry with another type or label set. */
export class MetricConflictError extends ObservabilityError {
  readonly code = 'METRIC_CONFLICT';
  constructor(
    readonly metricName: string,
    readonly detail: string,
  ) {
    super(`metric ${metricName} is already registered differently: ${detail}`);
  }
}
