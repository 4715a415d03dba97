import { Router } from 'express';
import { z } from 'zod';
import { queryOf } from '@pcn/http';
import type { DeadLetterEntry, DeadLetterLog, DeadLetterReplayer } from '@pcn/messaging';
import { checkId, pageSize, parseInput, str } from '@pcn/validation';

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

/**
 * Operators' view of the messages consumers gave up on, mounted at `/v1/dead-letters`: the
 * list (oldest first, filtered by consumer group or topic) and the replay of one to its
 * consumer group once the cause is fixed.
 */
export function deadLetterRouter(deps: { log: DeadLetterLog; replayer: DeadLetterReplayer }): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const query = parseInput(listQuery, queryOf(req, ['consumer', 'topic', 'pageSize', 'pageToken']));
    // One more than the page tells whether another page follows.
    const entries = await deps.log.list({
      ...(query.consumer !== undefined && { consumer: query.consumer }),
      ...(query.topic !== undefined && { originalTopic: query.topic }),
      ...(query.pageToken !== undefined && { after: Number(query.pageToken) }),
      limit: query.pageSize + 1,
    });
    const page = entries.slice(0, query.pageSize);
    const more = entries.length > query.pageSize;
    res.json({ deadLetters: page.map(deadLetterView), ...(more && { nextPageToken: String(page[page.length - 1]!.sequence) }) });
  });

  router.post('/:id/replay', async (req, res) => {
    const id = checkId(req.params.id, 'id', /^[1-9]\d{0,14}$/, 'a dead letter id (a positive whole number)');
    res.json(deadLetterView(await deps.replayer.replay(Number(id))));
  });

  return router;
}
