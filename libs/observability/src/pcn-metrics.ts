import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { MetricConflictError } from './errors';

type Kind = 'counter' | 'gauge' | 'histogram';
type Constructors = { counter: typeof Counter; gauge: typeof Gauge; histogram: typeof Histogram };
const constructors: Constructors = { counter: Counter, gauge: Gauge, histogram: Histogram };

interface Definition<K extends Kind, L extends string> {
  readonly kind: K;
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly L[];
  readonly buckets?: readonly number[];
}

type MetricOf<K extends Kind, L extends string> = K extends 'counter' ? Counter<L> : K extends 'gauge' ? Gauge<L> : Histogram<L>;

/**
 * Get-or-create on one registry: every lib asks for the metric it feeds by name, and the
 * first call registers it. A name already taken with another type or label set is a
 * programming error, reported rather than papered over.
 */
function getOrCreate<K extends Kind, L extends string>(registry: Registry, def: Definition<K, L>): MetricOf<K, L> {
  const existing = registry.getSingleMetric(def.name);
  if (existing) {
    if (!(existing instanceof constructors[def.kind])) {
      throw new MetricConflictError(def.name, `expected a ${def.kind}, found ${existing.constructor.name}`);
    }
    const labels = (existing as unknown as { labelNames?: readonly string[] }).labelNames ?? [];
    if (labels.join(',') !== def.labelNames.join(',')) {
      throw new MetricConflictError(def.name, `expected labels [${def.labelNames.join(', ')}], found [${labels.join(', ')}]`);
    }
    return existing as MetricOf<K, L>;
  }
  const config = { name: def.name, help: def.help, labelNames: def.labelNames, registers: [registry] };
  switch (def.kind) {
    case 'counter':
      return new Counter<L>(config) as MetricOf<K, L>;
    case 'gauge':
      return new Gauge<L>(config) as MetricOf<K, L>;
    case 'histogram':
      return new Histogram<L>({ ...config, buckets: [...(def.buckets ?? [])] }) as MetricOf<K, L>;
  }
  throw new MetricConflictError(def.name, `unknown metric kind ${String(def.kind)}`);
}

const define =
  <K extends Kind, L extends string>(def: Definition<K, L>) =>
  (registry: Registry): MetricOf<K, L> =>
    getOrCreate(registry, def);

/** Latency of a command handler, by outcome (`ok`, or the domain error kind). */
export const commandDuration = define({
  kind: 'histogram',
  name: 'pcn_command_duration_seconds',
  help: 'Time to handle a command, from receipt to events appended or rejection',
  labelNames: ['service', 'command', 'outcome'],
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

/** Events in the global log that a projection has not applied yet. */
export const projectionLag = define({
  kind: 'gauge',
  name: 'pcn_projection_lag_events',
  help: 'Events between the head of the event log and the projection checkpoint',
  labelNames: ['projection'],
});

/** Global log position of a projection's checkpoint. */
export const projectionPosition = define({
  kind: 'gauge',
  name: 'pcn_projection_position',
  help: 'Global log position of the last event applied by the projection',
  labelNames: ['projection'],
});

/** Global log position of the last event the outbox relay published. */
export const relayPosition = define({
  kind: 'gauge',
  name: 'pcn_relay_position',
  help: 'Global log position of the last event published by the relay',
  labelNames: ['relay'],
});

/** Messages of a topic that a consumer group has not processed yet. */
export const consumerLag = define({
  kind: 'gauge',
  name: 'pcn_consumer_lag_messages',
  help: 'Messages published on the topic and not yet processed by the consumer group',
  labelNames: ['topic', 'consumer'],
});

/** Messages sent to a dead-letter topic after the consumer gave up on them. */
export const deadLetters = define({
  kind: 'counter',
  name: 'pcn_dead_letters_total',
  help: 'Messages a consumer gave up on and published to the dead-letter topic',
  labelNames: ['topic', 'consumer'],
});

/** Messages a consumer handled successfully (offset advanced past them). */
export const messagesConsumed = define({
  kind: 'counter',
  name: 'pcn_messages_consumed_total',
  help: 'Messages handled successfully by the consumer group',
  labelNames: ['topic', 'consumer'],
});

/** Échelon advancements recorded by the staff service's scheduled process. */
export const staffAdvancements = define({
  kind: 'counter',
  name: 'pcn_staff_echelon_advancements_total',
  help: 'Échelon advancements recorded by the scheduled process',
  labelNames: [],
});

export interface PcnMetrics {
  readonly commandDuration: ReturnType<typeof commandDuration>;
  readonly projectionLag: ReturnType<typeof projectionLag>;
  readonly projectionPosition: ReturnType<typeof projectionPosition>;
  readonly relayPosition: ReturnType<typeof relayPosition>;
  readonly consumerLag: ReturnType<typeof consumerLag>;
  readonly deadLetters: ReturnType<typeof deadLetters>;
  readonly messagesConsumed: ReturnType<typeof messagesConsumed>;
  readonly staffAdvancements: ReturnType<typeof staffAdvancements>;
}
