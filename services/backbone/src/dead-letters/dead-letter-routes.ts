import { z } from 'zod';
import { ok, okDoc, pageParams, problemDoc, read, RouteTable } from '@pcn/http';
import type { DeadLetterEntry, DeadLetterLog, DeadLetterReplayer } from '@pcn/messaging';
import { checkId, pageSize, parseInput, str } from '@pcn/validation';

/** What the routes read and replay. */
export interface DeadLetterDeps {
  readonly log: DeadLetterLog;
  readonly replayer: DeadLetterReplayer;
}

const listQuery = z.strictObject({
  consumer: str(200).optional(),
  topic: str(249).optional(),
  pageSize: pageSize(100, 500),
  pageToken: str(20)
    .regex(/^\d{1,15}$/, 'must be a token given back by a previous page')
    .optional(),
});

/** How a dead letter reads in the API: where it came from, who gave up on it, why, and the original message. */
export function deadLetterView(entry: DeadLetterEntry): object {
  const m = entry.message;
  return {
    id: String(entry.sequence),
    topic: entry.originalTopic,
    partition: entry.originalPartition,
    offset: entry.originalOffset,
    consumer: entry.consumer,
    key: m.key,
    reason: entry.reason,
    attempts: entry.attempts,
    deadLetteredAt: entry.deadLetteredAt,
    ...(entry.replayedAt !== undefined && { replayedAt: entry.replayedAt }),
    deadLetterTopic: entry.deadLetterTopic,
    message: {
      id: m.id,
      type: m.type,
      source: m.source,
      time: m.time,
      ...(m.subject !== undefined && { subject: m.subject }),
      contentType: m.contentType,
      data: Buffer.from(m.data).toString('base64'),
    },
  };
}

const text = { type: 'string' } as const;

/**
 * Operators' view of the messages consumers gave up on, mounted at `/v1/dead-letters`: the
 * list (oldest first, filtered by consumer group or topic) and the replay of one to its
 * consumer group once the cause is fixed.
 */
export const deadLetterRoutes = new RouteTable<DeadLetterDeps>({
  service: 'deadLetters',
  prefix: '/v1/dead-letters',
  info: {
    title: 'Dead letters',
    description: 'Messages the consumer groups of this process gave up on: list them, replay one once its cause is fixed.',
  },
  schemas: {
    DeadLetter: {
      type: 'object',
      required: ['id', 'topic', 'partition', 'offset', 'consumer', 'key', 'reason', 'attempts', 'deadLetteredAt', 'deadLetterTopic', 'message'],
      properties: {
        id: { ...text, description: 'Order of recording; the id to replay it by' },
        topic: { ...text, description: 'Topic the message was read from' },
        partition: { type: 'integer' },
        offset: { ...text, description: 'Position in the partition (a decimal string)' },
        consumer: { ...text, description: 'Consumer group that gave up on it' },
        key: { ...text, description: 'Partition key (the aggregate id)' },
        reason: { ...text, description: 'The error of the last attempt' },
        attempts: { type: 'integer' },
        deadLetteredAt: { type: 'string', format: 'date-time' },
        replayedAt: { type: 'string', format: 'date-time', description: 'When a replay succeeded; absent until then' },
        deadLetterTopic: text,
        message: {
          type: 'object',
          description: 'The original CloudEvent',
          properties: {
            id: text,
            type: text,
            source: text,
            time: text,
            subject: text,
            contentType: text,
            data: { type: 'string', contentEncoding: 'base64' },
          },
        },
      },
    },
    DeadLetterPage: {
      type: 'object',
      required: ['deadLetters'],
      properties: { deadLetters: { type: 'array', items: { $ref: '#/components/schemas/DeadLetter' } }, nextPageToken: text },
    },
  },
  routes: [
    read<DeadLetterDeps, 'consumer' | 'topic' | 'pageSize' | 'pageToken'>({
      operationId: 'ListDeadLetters',
      method: 'get',
      path: '',
      tags: ['dead-letters'],
      summary: 'List the dead letters of the consumer groups of this process, oldest first',
      query: {
        consumer: { schema: text, description: 'Only those of this consumer group, e.g. attribution-centres' },
        topic: { schema: text, description: 'Only those read from this topic, e.g. pcn.registry.v1' },
        ...pageParams(100, 500),
      },
      responses: { 200: okDoc('A page of dead letters', 'DeadLetterPage'), 400: problemDoc('A query parameter is invalid or unknown') },
      handle: async ({ log }, req) => {
        const query = parseInput(listQuery, req.query);
        // One more than the page tells whether another page follows.
        const entries = await log.list({
          ...(query.consumer !== undefined && { consumer: query.consumer }),
          ...(query.topic !== undefined && { originalTopic: query.topic }),
          ...(query.pageToken !== undefined && { after: Number(query.pageToken) }),
          limit: query.pageSize + 1,
        });
        const page = entries.slice(0, query.pageSize);
        const more = entries.length > query.pageSize;
        return ok({ deadLetters: page.map(deadLetterView), ...(more && { nextPageToken: String(page[page.length - 1]!.sequence) }) });
      },
    }),
    // A re-delivery, not a command of a service: nothing records an actor, so it takes no command headers.
    read<DeadLetterDeps>({
      operationId: 'ReplayDeadLetter',
      method: 'post',
      path: '/{id}/replay',
      tags: ['dead-letters'],
      summary: 'Re-deliver a dead letter to its consumer group, once; refused if it was replayed already',
      params: { id: { schema: { type: 'string', pattern: '^[1-9][0-9]{0,14}$' }, description: 'Id of the dead letter' } },
      responses: {
        200: okDoc('The consumer handled the message; the dead letter carries replayedAt', 'DeadLetter'),
        400: problemDoc('The id is not a dead letter id'),
        404: problemDoc('No such dead letter'),
        409: problemDoc(
          'Replayed already (ALREADY_REPLAYED), its consumer group does not run in this process (CONSUMER_NOT_HERE), or the consumer failed again (REPLAY_FAILED, the reason in violations)',
        ),
      },
      handle: async ({ replayer }, req) => {
        const id = checkId(req.params.id, 'id', /^[1-9]\d{0,14}$/, 'a dead letter id (a positive whole number)');
        return ok(deadLetterView(await replayer.replay(Number(id))));
      },
    }),
  ],
});
