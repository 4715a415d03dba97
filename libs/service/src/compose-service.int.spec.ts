import type { ServiceDefinition as GrpcService } from '@grpc/grpc-js';
import { InMemoryEventStore, PgliteSqlClient, type Projection } from '@pcn/eventsourcing';
import type { ApiMount } from '@pcn/http';
import { InMemoryBus, type MessageBus, type SubscribeOptions } from '@pcn/messaging';
import { createLogger, createMetrics } from '@pcn/observability';
import { composeService, ServiceDefinitionError } from './compose-service';
import { defineService, type BackgroundJob, type ServiceParts } from './service-definition';
import { startService, type ServiceHost } from './start-service';

const quiet: Projection = { name: 'toy-view', version: 1, setup: async () => undefined, reset: async () => undefined, apply: async () => undefined };

/** A bus that only records what subscribes and stops. */
function recordingBus(log: string[]): MessageBus {
  return {
    publish: async () => undefined,
    async subscribe({ topic, groupId }: SubscribeOptions) {
      log.push(`subscribe ${topic}`);
      return { topic, groupId, stop: async () => void log.push(`unsubscribe ${topic}`) };
    },
    close: async () => undefined,
  };
}

function job(log: string[], failOnStart = false): BackgroundJob {
  return {
    start() {
      if (failOnStart) throw new Error('job cannot start');
      log.push('job start');
    },
    stop: async () => void log.push('job stop'),
  };
}

function toyService(log: string[], parts: Partial<ServiceParts<{ answer: number }>> = {}) {
  return defineService({
    name: 'toy',
    streamPrefixes: ['toy-'],
    publishes: 'pcn.toy.v1',
    consumes: ['pcn.other.v1'],
    config: { shape: {} },
    configure: () => ({}),
    async compose(ctx): Promise<ServiceParts<{ answer: number }>> {
      ctx.projection(quiet);
      return {
        application: { answer: 42 },
        beforeStart: async () => void log.push('before start'),
        consumers: [{ topic: 'pcn.other.v1', groupId: 'toy-other', handler: async () => undefined }],
        jobs: [job(log)],
        http: { path: '/v1/toys', router: (() => undefined) as unknown as ApiMount['router'], openApi: {} },
        grpc: { service: {} as GrpcService, implementation: () => ({}) },
        ...parts,
      };
    },
  });
}

describe('a service composed from its definition', () => {
  let sql: PgliteSqlClient;
  beforeAll(async () => {
    sql = await PgliteSqlClient.open();
  }, 60_000);
  afterAll(() => sql.close());

  it('exposes its application and starts, then stops in reverse order', async () => {
    const log: string[] = [];
    const toy = await composeService(toyService(log), { sql, store: new InMemoryEventStore(), bus: recordingBus(log) });
    expect(toy.answer).toBe(42);
    expect(toy.projection.name).toBe('toy-view');
    expect(toy.httpRouter).toBe(toy.http.router);
    await toy.start();
    await toy.stop();
    expect(log).toEqual(['before start', 'subscribe pcn.other.v1', 'job start', 'job stop', 'unsubscribe pcn.other.v1']);
  });

  it('stops what it started when a later step of the start fails, and reports the failure', async () => {
    const log: string[] = [];
    const toy = await composeService(toyService(log, { jobs: [job(log, true)] }), {
      sql,
      schema: 'toy_failed',
      store: new InMemoryEventStore(),
      bus: recordingBus(log),
    });
    await expect(toy.start()).rejects.toThrow('job cannot start');
    expect(log).toEqual(['before start', 'subscribe pcn.other.v1', 'unsubscribe pcn.other.v1']);
  });

  it('learns nothing and publishes nothing without a bus', async () => {
    const log: string[] = [];
    const toy = await composeService(toyService(log), { sql, schema: 'toy_alone', store: new InMemoryEventStore() });
    await toy.start();
    await toy.stop();
    expect(log).toEqual(['before start', 'job start', 'job stop']);
    expect(toy.relay).toBeUndefined();
  });

  it('refuses a consumer of a topic its definition does not list', async () => {
    const log: string[] = [];
    const definition = toyService(log, { consumers: [{ topic: 'pcn.secret.v1', groupId: 'toy-secret', handler: async () => undefined }] });
    await expect(composeService(definition, { sql, schema: 'toy_refused', store: new InMemoryEventStore() })).rejects.toThrow(
      new ServiceDefinitionError('toy', 'consumes pcn.secret.v1, which its definition does not list'),
    );
  });
});

describe('a service started in a host', () => {
  it('mounts its routes and gRPC service, hands its projections over, and registers its stop', async () => {
    const sql = await PgliteSqlClient.open();
    const log: string[] = [];
    const stops: (() => Promise<void>)[] = [];
    const grpc: string[] = [];
    const logger = createLogger({ service: 'host-test', level: 'silent' });
    const metrics = createMetrics({ defaultMetrics: false });
    const bus = new InMemoryBus();
    const host: ServiceHost = {
      deployment: { store: 'pglite', dataDir: './data' },
      sql,
      bus,
      logger,
      metrics,
      grpc: { addService: () => void grpc.push('added') },
      unaryOptions: { logger, registry: metrics.registry },
      mounts: [],
      openApis: [],
      projections: [],
      onStop: (stop) => void stops.push(stop),
    };
    try {
      const toy = await startService(toyService(log), host, {});
      expect(toy.answer).toBe(42);
      expect(host.mounts.map((m) => m.path)).toEqual(['/v1/toys']);
      expect(host.openApis).toHaveLength(1);
      expect(grpc).toEqual(['added']);
      expect(host.projections.map((p) => p.runner.name)).toEqual(['toy-view']);
      expect(log).toEqual(['before start', 'job start']);
      for (const stop of stops.reverse()) await stop();
      expect(log).toEqual(['before start', 'job start', 'job stop']);
    } finally {
      await bus.close();
      await sql.close();
    }
  }, 60_000);
});
