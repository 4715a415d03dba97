import { messageFromRow, type MessageRow } from '../sql/message-row';
import { assertSqlIdentifier, migrate, type SqlClient } from '@pcn/eventsourcing';
import type { MessageBus, Subscription } from '../bus';
import { parseDeadLetter, type DeadLetter } from '../consumer/dead-letter';
import { UnprocessableMessageError } from '../errors';

/*
 * Why a DeadLetterLog fed from the dead-letter topics rather than `listDeadLetters()` on the
 * bus: Kafka cannot answer "which messages are dead" without a consumer re-reading a whole
 * topic, and retention would eventually forget them. A read model, filled by a subscription to
 * the `.dlq` topics like any other consumer, works the same over every bus, survives
 * retention, and is queried by the API with filters and pagination in SQL.
 */

export interface DeadLetterQuery {
  originalTopic?: string;
  consumer?: string;
  /** Entries after this sequence number (the last one of the previous page). */
  after?: number;
  /** 100 by default. */
  limit?: number;
}

export interface DeadLetterEntry extends DeadLetter {
  /** Order of recording, for pagination; the dead letter's id in the API. */
  readonly sequence: number;
  /** When it was re-delivered to its consumer group with success (RFC 3339); unset until then. */
  readonly replayedAt?: string;
}

export interface DeadLetterLog {
  /** Records a dead letter once per (original topic, consumer, message id); repeats are ignored. */
  record(deadLetter: DeadLetter): Promise<void>;
  list(query?: DeadLetterQuery): Promise<DeadLetterEntry[]>;
  get(sequence: number): Promise<DeadLetterEntry | undefined>;
  /** Notes a successful replay; false when it had already been noted (the first time is kept). */
  markReplayed(sequence: number, at: string): Promise<boolean>;
}

export interface RecordDeadLettersOptions {
  bus: MessageBus;
  log: DeadLetterLog;
  /** Dead-letter topics to follow, e.g. `pcn.registry.v1.dlq`. */
  topics: readonly string[];
  groupId?: string;
  /** Which dead letters this log keeps (e.g. only those of the consumer groups of this process); all by default. */
  accept?: (deadLetter: DeadLetter) => boolean;
}

/** Subscribes the log to dead-letter topics; stop the returned subscriptions on shutdown. */
export async function recordDeadLetters(options: RecordDeadLettersOptions): Promise<Subscription[]> {
  const subscriptions: Subscription[] = [];
  try {
    for (const topic of options.topics) {
      subscriptions.push(
        await options.bus.subscribe({
          topic,
          groupId: options.groupId ?? 'pcn-dead-letter-log',
          // A message that is not a dead letter can never be recorded: it goes at once to
          // `<topic>.dlq` (visible there) instead of holding the topic through retries.
          handler: async (message) => {
            let deadLetter: DeadLetter;
            try {
              deadLetter = parseDeadLetter(message);
            } catch (error) {
              throw new UnprocessableMessageError(`not a dead letter: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
            }
            if (options.accept === undefined || options.accept(deadLetter)) await options.log.record(deadLetter);
          },
        }),
      );
    }
    return subscriptions;
  } catch (error) {
    await Promise.all(subscriptions.map((s) => s.stop()));
    throw error;
  }
}

export class InMemoryDeadLetterLog implements DeadLetterLog {
  private readonly entries: DeadLetterEntry[] = [];

  async record(deadLetter: DeadLetter): Promise<void> {
    const duplicate = this.entries.some(
      (e) => e.originalTopic === deadLetter.originalTopic && e.consumer === deadLetter.consumer && e.message.id === deadLetter.message.id,
    );
    if (!duplicate) this.entries.push({ ...deadLetter, sequence: this.entries.length + 1 });
  }

  async list(query: DeadLetterQuery = {}): Promise<DeadLetterEntry[]> {
    return this.entries
      .filter(
        (e) =>
          (query.originalTopic === undefined || e.originalTopic === query.originalTopic) &&
          (query.consumer === undefined || e.consumer === query.consumer) &&
          e.sequence > (query.after ?? 0),
      )
      .slice(0, query.limit ?? 100);
  }

  async get(sequence: number): Promise<DeadLetterEntry | undefined> {
    return this.entries.find((e) => e.sequence === sequence);
  }

  async markReplayed(sequence: number, at: string): Promise<boolean> {
    const index = this.entries.findIndex((e) => e.sequence === sequence);
    if (index < 0 || this.entries[index]!.replayedAt !== undefined) return false;
    this.entries[index] = { ...this.entries[index]!, replayedAt: at };
    return true;
  }
}

interface DeadLetterRow extends MessageRow {
  sequence: number;
  dead_letter_topic: string;
  original_topic: string;
  original_partition: number;
  original_offset: string;
  consumer: string;
  reason: string;
  attempts: number;
  dead_lettered_at: string;
  message_id: string;
  replayed_at: string | null;
}

export function deadLetterLogSchema(schema = 'messaging'): string[] {
  const s = assertSqlIdentifier(schema);
  return [
    `CREATE SCHEMA IF NOT EXISTS ${s}`,
    `CREATE TABLE IF NOT EXISTS ${s}.dead_letters (
      sequence bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      dead_letter_topic text NOT NULL,
      original_topic text NOT NULL,
      original_partition integer NOT NULL,
      original_offset text NOT NULL,
      consumer text NOT NULL,
      reason text NOT NULL,
      attempts integer NOT NULL,
      dead_lettered_at text NOT NULL,
      message_id text NOT NULL,
      type text NOT NULL,
      source text NOT NULL,
      time text NOT NULL,
      subject text,
      key text NOT NULL,
      content_type text NOT NULL,
      headers jsonb NOT NULL,
      data bytea NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (original_topic, consumer, message_id)
    )`,
    `ALTER TABLE ${s}.dead_letters ADD COLUMN IF NOT EXISTS replayed_at text`,
  ];
}

export class SqlDeadLetterLog implements DeadLetterLog {
  private readonly schema: string;

  constructor(
    private readonly sql: SqlClient,
    options: { schema?: string } = {},
  ) {
    this.schema = assertSqlIdentifier(options.schema ?? 'messaging');
  }

  async migrate(): Promise<void> {
    await migrate(this.sql, `pcn.messaging.dead_letters.${this.schema}`, deadLetterLogSchema(this.schema));
  }

  async record(d: DeadLetter): Promise<void> {
    const m = d.message;
    await this.sql.query(
      `INSERT INTO ${this.schema}.dead_letters (dead_letter_topic, original_topic, original_partition, original_offset, consumer, reason,
         attempts, dead_lettered_at, message_id, type, source, time, subject, key, content_type, headers, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16::jsonb, $17)
       ON CONFLICT (original_topic, consumer, message_id) DO NOTHING`,
      [
        d.deadLetterTopic,
        d.originalTopic,
        d.originalPartition,
        d.originalOffset,
        d.consumer,
        d.reason,
        d.attempts,
        d.deadLetteredAt,
        m.id,
        m.type,
        m.source,
        m.time,
        m.subject ?? null,
        m.key,
        m.contentType,
        JSON.stringify(m.headers),
        m.data,
      ],
    );
  }

  async list(query: DeadLetterQuery = {}): Promise<DeadLetterEntry[]> {
    const { rows } = await this.sql.query<DeadLetterRow>(
      `SELECT * FROM ${this.schema}.dead_letters
        WHERE ($1::text IS NULL OR original_topic = $1) AND ($2::text IS NULL OR consumer = $2) AND sequence > $3
        ORDER BY sequence LIMIT $4`,
      [query.originalTopic ?? null, query.consumer ?? null, query.after ?? 0, query.limit ?? 100],
    );
    return rows.map(entryFromRow);
  }

  async get(sequence: number): Promise<DeadLetterEntry | undefined> {
    const { rows } = await this.sql.query<DeadLetterRow>(`SELECT * FROM ${this.schema}.dead_letters WHERE sequence = $1`, [sequence]);
    return rows[0] && entryFromRow(rows[0]);
  }

  async markReplayed(sequence: number, at: string): Promise<boolean> {
    const { rows } = await this.sql.query<{ sequence: number }>(
      `UPDATE ${this.schema}.dead_letters SET replayed_at = $2 WHERE sequence = $1 AND replayed_at IS NULL RETURNING sequence`,
      [sequence, at],
    );
    return rows.length > 0;
  }
}

function entryFromRow(r: DeadLetterRow): DeadLetterEntry {
  return {
    sequence: Number(r.sequence),
    deadLetterTopic: r.dead_letter_topic,
    originalTopic: r.original_topic,
    originalPartition: r.original_partition,
    originalOffset: r.original_offset,
    consumer: r.consumer,
    reason: r.reason,
    attempts: r.attempts,
    deadLetteredAt: r.dead_lettered_at,
    ...(r.replayed_at !== null && { replayedAt: r.replayed_at }),
    message: messageFromRow(r.message_id, r),
  };
}
