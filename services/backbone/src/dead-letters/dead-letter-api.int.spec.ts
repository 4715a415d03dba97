import request from 'supertest';
import { registryEventsV1 } from '@pcn/contracts';
import { PgliteSqlClient } from '@pcn/eventsourcing';
import { eventually } from '@pcn/eventsourcing/testing';
import { createApiApp } from '@pcn/http';
import { newIntegrationMessage, registryReader, REGISTRY_TOPIC, ReplayableBus, SqlBus, topicConsumer, type Subscription } from '@pcn/messaging';
import { createLogger, Registry } from '@pcn/observability';
import { deadLetterRoutes } from './dead-letter-routes';
import { startDeadLetters, type DeadLetters } from './dead-letters';

const logger = createLogger({ service: 'test', level: 'silent' });

/** A centre registration, as the registry publishes it; without a FINESS it is unreadable. */
const registration = (finess: string) =>
  newIntegrationMessage({
    type: 'pcn.events.v1.CentreRegistered',
    source: '/pcn/registry',
    key: finess || 'none',
    data: registryEventsV1.CentreRegistered.encode(registryEventsV1.CentreRegistered.fromPartial({ centre: { finess, name: 'MSP', version: 1 } })).finish(),
  });

/** A consumer whose directory may be down: what an operator fixes before replaying. */
class Directory {
  up = false;
  readonly recorded: string[] = [];
  async record(finess: string): Promise<void> {
    if (!this.up) throw new Error('directory unavailable');
    this.recorded.push(finess);
  }
}

let sql: PgliteSqlClient;
let bus: ReplayableBus;
let deadLetters: DeadLetters;
let consumer: Subscription;
const directory = new Directory();

beforeAll(async () => {
  sql = await PgliteSqlClient.open();
  const sqlBus = new SqlBus(sql, { schema: 'messaging', logger, registry: new Registry(), pollIntervalMs: 20 });
  await sqlBus.migrate();
  bus = new ReplayableBus(sqlBus);
  consumer = await bus.subscribe({
    topic: REGISTRY_TOPIC,
    groupId: 'staff-centres',
    retry: { maxAttempts: 2, initialBackoffMs: 0, maxBackoffMs: 0 },
    handler: topicConsumer(registryReader, { CentreRegistered: async (event) => directory.record(event.centre!.finess) }),
  });
  deadLetters = await startDeadLetters({ bus, sql, target: 'all' });
}, 60_000);
afterAll(async () => {
  await deadLetters.stop();
  await bus.close();
  await sql.close();
});

const app = () => createApiApp({ mounts: [{ path: '/v1/dead-letters', router: deadLetters.router }], logger, openApi: deadLetterRoutes.openApi() });

describe('/v1/dead-letters', () => {
  it('lists a poisoned message and an unreadable one, with reason, topic, group, key and position; replays one once its cause is fixed, once', async () => {
    await bus.publish(REGISTRY_TOPIC, [registration('750000001'), registration('')]);
    let body: { deadLetters: Record<string, unknown>[] } = { deadLetters: [] };
    await eventually(async () => {
      body = (await request(app()).get('/v1/dead-letters').expect(200)).body;
      expect(body.deadLetters).toHaveLength(2);
    }, 10_000);
    const [poisoned, unreadable] = body.deadLetters;
    expect(poisoned).toMatchObject({
      topic: REGISTRY_TOPIC,
      consumer: 'staff-centres',
      key: '750000001',
      partition: 0,
      offset: expect.stringMatching(/^\d+$/),
      attempts: 2,
      reason: 'Error: directory unavailable',
    });
    expect(poisoned).not.toHaveProperty('replayedAt');
    // Unreadable: dead-lettered on its first attempt, the missing field named.
    expect(unreadable).toMatchObject({ consumer: 'staff-centres', attempts: 1, reason: expect.stringContaining('missing centre.finess') });
    expect(directory.recorded).toEqual([]);

    // Still broken: the replay fails, says why, and the dead letter stays to be replayed.
    const failed = await request(app()).post(`/v1/dead-letters/${poisoned!.id}/replay`).expect(409);
    expect(failed.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(failed.body.violations).toEqual([expect.objectContaining({ type: 'REPLAY_FAILED', description: 'Error: directory unavailable' })]);

    directory.up = true;
    const replayed = await request(app()).post(`/v1/dead-letters/${poisoned!.id}/replay`).expect(200);
    expect(replayed.body).toMatchObject({ id: poisoned!.id, replayedAt: expect.any(String) });
    expect(directory.recorded).toEqual(['750000001']);
    // Once: a second replay is refused and delivers nothing.
    const again = await request(app()).post(`/v1/dead-letters/${poisoned!.id}/replay`).expect(409);
    expect(again.body.violations).toEqual([expect.objectContaining({ type: 'ALREADY_REPLAYED' })]);
    expect(directory.recorded).toEqual(['750000001']);

    const listed = (await request(app()).get('/v1/dead-letters').query({ consumer: 'staff-centres', pageSize: '1' }).expect(200)).body;
    expect(listed.deadLetters).toEqual([expect.objectContaining({ id: poisoned!.id, replayedAt: replayed.body.replayedAt })]);
    const next = (await request(app()).get('/v1/dead-letters').query({ pageSize: '1', pageToken: listed.nextPageToken }).expect(200)).body;
    expect(next.deadLetters).toEqual([expect.objectContaining({ id: unreadable!.id })]);
    expect(next.nextPageToken).toBeUndefined();
  }, 30_000);

  it('refuses a bad id or query with the field named, an unknown id with 404, and a group that does not run here', async () => {
    expect((await request(app()).post('/v1/dead-letters/abc/replay').expect(400)).body.errors).toEqual([expect.objectContaining({ field: 'id' })]);
    expect((await request(app()).get('/v1/dead-letters').query({ pageSize: '0' }).expect(400)).body.errors).toEqual([
      expect.objectContaining({ field: 'pageSize' }),
    ]);
    expect((await request(app()).get('/v1/dead-letters').query({ after: '1' }).expect(400)).body.errors).toEqual([expect.objectContaining({ field: 'after' })]);
    await request(app()).post('/v1/dead-letters/999999/replay').expect(404);

    await consumer.stop();
    await bus.publish(REGISTRY_TOPIC, [registration('')]);
    const stopped = await bus.subscribe({
      topic: REGISTRY_TOPIC,
      groupId: 'staff-centres',
      handler: topicConsumer(registryReader, { CentreRegistered: async () => undefined }),
    });
    let id = '';
    await eventually(async () => {
      const { deadLetters: all } = (await request(app()).get('/v1/dead-letters').expect(200)).body as {
        deadLetters: { id: string; replayedAt?: string; attempts: number }[];
      };
      expect(all).toHaveLength(3);
      id = all[2]!.id;
    }, 10_000);
    await stopped.stop();
    const refused = await request(app()).post(`/v1/dead-letters/${id}/replay`).expect(409);
    expect(refused.body.violations).toEqual([expect.objectContaining({ type: 'CONSUMER_NOT_HERE', subject: 'staff-centres' })]);
  }, 30_000);
});
