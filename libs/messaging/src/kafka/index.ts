export { KafkaBus } from './kafka-bus';
export {
  InvalidKafkaBusOptionsError,
  KAFKA_LOG_LEVELS,
  resolveKafkaBusOptions,
  type KafkaBusOptions,
  type KafkaLogLevel,
  type ResolvedKafkaBusOptions,
} from './options';
export { kafkajsLogCreator } from './kafkajs-logger';
export { DEFAULT_STARTUP_RETRY, isTransientKafkaError, KafkaNotReadyError, TopicLeadersPendingError, type StartupRetryPolicy } from './startup-retry';
