import { collectDefaultMetrics, Registry } from 'prom-client';
import {
  commandDuration,
  consumerLag,
  deadLetters,
  messagesConsumed,
  projectionLag,
  projectionPosition,
  relayPosition,
  staffAdvancements,
  type PcnMetrics,
} from './pcn-metrics';

// Re-exported so the libs that feed metrics use this package's prom-client: the get-or-create
// factories check metric classes with instanceof, which two copies of prom-client would defeat.
export { Registry };

export interface MetricsOptions {
  /** Node process metrics (CPU, memory, event loop lag, GC): on unless disabled. */
  defaultMetrics?: boolean;
  /** Labels added to every series, e.g. `{ service: 'registry' }`. */
  defaultLabels?: Record<string, string>;
}

export interface Metrics extends PcnMetrics {
  readonly registry: Registry;
}

/**
 * A registry of its own (never prom-client's global one, so tests and embedded services do
 * not collide), with the default Node metrics and every named PCN metric registered up front,
 * so `/metrics` lists them (HELP/TYPE) before the first observation.
 */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.defaultLabels) registry.setDefaultLabels(options.defaultLabels);
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  return {
    registry,
    commandDuration: commandDuration(registry),
    projectionLag: projectionLag(registry),
    projectionPosition: projectionPosition(registry),
    relayPosition: relayPosition(registry),
    consumerLag: consumerLag(registry),
    deadLetters: deadLetters(registry),
    messagesConsumed: messagesConsumed(registry),
    staffAdvancements: staffAdvancements(registry),
  };
}
