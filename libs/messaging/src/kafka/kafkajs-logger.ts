import { logLevel, type logCreator, type LogEntry } from 'kafkajs';
import type { Logger } from '@pcn/observability';
import type { KafkaLogLevel } from './options';

const KAFKAJS_LEVELS: Record<KafkaLogLevel, logLevel> = {
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
};

export function kafkajsLogLevel(level: KafkaLogLevel): logLevel {
  return KAFKAJS_LEVELS[level];
}

type PinoMethod = 'error' | 'warn' | 'info' | 'debug';

/**
 * The pino level of a kafkajs line. kafkajs's connection layer logs EVERY error response at
 * error level, including those its callers expect and retry by design (coordinator loading
 * while `__consumer_offsets` is created, MEMBER_ID_REQUIRED on each first join,
 * TOPIC_ALREADY_EXISTS when a known topic is ensured, rebalances). Those become debug lines:
 * a request that finally fails reaches the caller as an error (publish rejects, the consumer
 * crash is logged), so nothing is hidden, and real incidents are not drowned.
 */
export function pinoLevelOf(entry: Pick<LogEntry, 'namespace' | 'level' | 'log'>): PinoMethod {
  if (entry.namespace === 'Connection' && entry.log.message.startsWith('Response ')) return 'debug';
  switch (entry.level) {
    case logLevel.ERROR:
      return 'error';
    case logLevel.WARN:
      return 'warn';
    case logLevel.INFO:
      return 'info';
    default:
      return 'debug';
  }
}

/** Routes kafkajs's log lines into the service's pino logger, as `component: kafkajs` lines. */
export function kafkajsLogCreator(logger: Logger): logCreator {
  const kafkajs = logger.child({ component: 'kafkajs' });
  return () => (entry) => {
    // kafkajs's own timestamp and logger name duplicate pino's fields.
    const { message, timestamp: _timestamp, logger: _logger, ...extra } = entry.log;
    // pino serialises an Error (stack included) only under `err`.
    const { error, ...rest } = extra;
    const fields = error instanceof Error ? { ...rest, err: error } : extra;
    kafkajs[pinoLevelOf(entry)]({ namespace: entry.namespace, ...fields }, message);
  };
}
