import { assertSqlIdentifier, migrate, type SqlClient, type SqlExecutor } from '@pcn/eventsourcing';
import type { MessageHandler } from '../bus';
import type { ReceivedMessage } from '../message';

export type TransactionalHandler = (message: ReceivedMessage, tx: SqlExecutor) => Promise<void>;

export interface IdempotentHandlerOptions {
  sql: SqlClient;
  /** Names the effect: two consumers of one message each apply it once. */
  consumer: string;
  handler: TransactionalHandler;
  /** Schema of `processed_messages`; `messaging` by default. */
  schema?: string;
}

export function processedMessagesSchema(schema = 'messaging'): string[] {
  const s = assertSqlIdentifier(schema);
  return [
    `CREATE SCHEMA IF NOT EXISTS ${s}`,
    `CREATE TABLE IF NOT EXISTS ${s}.processed_messages (
      consumer text NOT NULL,
      message_id text NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer, message_id)
    )`,
  ];
}

/** Creates `<schema>.processed_messages` if missing; safe at every start. */
export async function migrateProcessedMessages(sql: SqlClient, schema = 'messaging'): Promise<void> {
  await migrate(sql, `pcn.messaging.processed.${schema}`, processedMessagesSchema(schema));
}

/**
 * Makes a handler's effect happen once per (consumer, message id), whatever the bus
 * redelivers or a producer publishes twice. The marker and the effect share ONE transaction:
 * if the handler fails, both roll back and the redelivery runs it again; if the marker is
 * already there, the handler is skipped. On a PostgreSQL server a concurrent duplicate waits
 * on the primary key until the first commits, then finds the marker.
 */
export function idempotentHandler(options: IdempotentHandlerOptions): MessageHandler {
  const s = assertSqlIdentifier(options.schema ?? 'messaging');
  const insert = `INSERT INTO ${s}.processed_messages (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1 AS inserted`;
  return (message) =>
    options.sql.transaction(async (tx) => {
      const { rows } = await tx.query(insert, [options.consumer, message.id]);
      if (rows.length === 0) return;
      await options.handler(message, tx);
    });
}

/** The in-memory counterpart, for unit tests of consumers that have no database. */
export class InMemoryProcessedMessages {
  private readonly done = new Set<string>();

  has(consumer: string, messageId: string): boolean {
    return this.done.has(`${consumer}\u0000${messageId}`);
  }

  add(consumer: string, messageId: string): void {
    this.done.add(`${consumer}\u0000${messageId}`);
  }
}

export interface InMemoryIdempotentHandlerOptions {
  processed: InMemoryProcessedMessages;
  consumer: string;
  handler: MessageHandler;
}

/**
 * Skips messages already handled by `consumer`; marks one only once its handler succeeded.
 * Not atomic with the effect (there is no transaction in memory): meant for one subscription
 * per consumer, which delivers sequentially.
 */
export function inMemoryIdempotentHandler(options: InMemoryIdempotentHandlerOptions): MessageHandler {
  return async (message) => {
    if (options.processed.has(options.consumer, message.id)) return;
    await options.handler(message);
    options.processed.add(options.consumer, message.id);
  };
}
