import { Metadata, type ServiceError, status as Status } from '@grpc/grpc-js';
import { NotFoundError, ValidationError } from '@pcn/eventsourcing';
import { testingStreamsV1 } from '@pcn/contracts';
import pino from 'pino';
import { Registry, type Counter } from 'prom-client';
import { createTestIssuer, type TestIssuer } from '@pcn/auth/testing';
import { createClient } from '../client/client';
import { parseGrpcErrorDetails } from '../errors/parse-grpc-error-details';
import { callLines, type LogLine } from '../testing/echo-fixture';
import type { CallContext } from './call-context';
import { createGrpcServer, type GrpcServer } from './grpc-server';
import { grpcService } from './grpc-service';
import type { ClientStreamHandler, ServerStreamHandler } from './streaming';

type RepeatHandler = ServerStreamHandler<testingStreamsV1.RepeatRequest, testingStreamsV1.RepeatResponse>;
type JoinHandler = ClientStreamHandler<testingStreamsV1.JoinRequest, testingStreamsV1.JoinResponse>;

const repeatAll: RepeatHandler = async (request, _ctx, send) => {
  for (let index = 0; index < request.count; index++) await send({ message: request.message, index });
};

const joinAll: JoinHandler = async (requests, ctx) => {
  const parts: string[] = [];
  for await (const r of requests) parts.push(r.message);
  return { joined: parts.join(' '), actor: ctx.actor };
};

describe('streaming adapters over a loopback connection', () => {
  let server: GrpcServer;
  let client: testingStreamsV1.EchoStreamsClient;
  let registry: Registry;
  let logs: LogLine[];
  const handlers: { repeat: RepeatHandler; join: JoinHandler } = { repeat: repeatAll, join: joinAll };

  beforeEach(async () => {
    logs = [];
    registry = new Registry();
    const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
    server = createGrpcServer({ logger });
    handlers.repeat = repeatAll;
    handlers.join = joinAll;
    server.addService(
      testingStreamsV1.EchoStreamsService,
      grpcService(
        testingStreamsV1.EchoStreamsService,
        { repeat: (req, ctx, send) => handlers.repeat(req, ctx, send), join: (reqs, ctx) => handlers.join(reqs, ctx) },
        { logger, registry },
      ),
    );
    const port = await server.start('127.0.0.1', 0);
    client = createClient(testingStreamsV1.EchoStreamsClient, `127.0.0.1:${port}`);
  });

  afterEach(async () => {
    client.close();
    await server.shutdown(1000);
  });

  function repeat(
    request: Partial<testingStreamsV1.RepeatRequest>,
    deadlineMs = 5000,
  ): Promise<{ messages: testingStreamsV1.RepeatResponse[]; error?: ServiceError }> {
    const messages: testingStreamsV1.RepeatResponse[] = [];
    const stream = client.repeat(testingStreamsV1.RepeatRequest.fromPartial(request), { deadline: new Date(Date.now() + deadlineMs) });
    return new Promise((resolve) => {
      stream.on('data', (m: testingStreamsV1.RepeatResponse) => messages.push(m));
      stream.on('error', (error: ServiceError) => resolve({ messages, error }));
      stream.on('end', () => resolve({ messages }));
    });
  }

  function join(messages: readonly string[], metadata = new Metadata()): Promise<testingStreamsV1.JoinResponse> {
    return new Promise((resolve, reject) => {
      const stream = client.join(metadata, { deadline: new Date(Date.now() + 5000) }, (error, response) => (error ? reject(error) : resolve(response)));
      for (const message of messages) stream.write(testingStreamsV1.JoinRequest.fromPartial({ message }));
      stream.end();
    });
  }

  async function handled(method: string, code: string): Promise<number> {
    const counter = registry.getSingleMetric('grpc_server_handled_total') as Counter;
    const value = (await counter.get()).values.find((v) => v.labels.grpc_method === method && v.labels.grpc_code === code);
    return value?.value ?? 0;
  }

  describe('server streaming', () => {
    it('streams every message in order, then ends with OK, counted and logged once', async () => {
      const { messages, error } = await repeat({ message: 'tick', count: 50 });
      expect(error).toBeUndefined();
      expect(messages.map((m) => m.index)).toEqual([...Array(50).keys()]);
      expect(await handled('Repeat', 'OK')).toBe(1);
      expect(callLines(logs)).toEqual([expect.objectContaining({ grpc_service: 'pcn.testing.v1.EchoStreams', grpc_method: 'Repeat', grpc_code: 'OK' })]);
    });

    it('ends with the mapped status and its details when the handler throws after some messages', async () => {
      handlers.repeat = async (request, _ctx, send) => {
        await send({ message: request.message, index: 0 });
        throw ValidationError.field('count', 'must be at most 1');
      };
      const { messages, error } = await repeat({ message: 'x', count: 2 });
      expect(messages).toHaveLength(1);
      const details = parseGrpcErrorDetails(error!);
      expect(details.code).toBe(Status.INVALID_ARGUMENT);
      expect(details.fieldViolations).toEqual([{ field: 'count', description: 'must be at most 1' }]);
      expect(await handled('Repeat', 'INVALID_ARGUMENT')).toBe(1);
    });

    it('answers DEADLINE_EXCEEDED when the deadline passes, and aborts the work: send rejects', async () => {
      let signal: AbortSignal | undefined;
      let sendAfterDeadline: unknown;
      handlers.repeat = async (_request, ctx: CallContext, send) => {
        signal = ctx.signal;
        await new Promise((resolve) => setTimeout(resolve, 300));
        sendAfterDeadline = await send({ message: 'late', index: 0 }).then(
          () => 'sent',
          (e: unknown) => (e as Error).name,
        );
      };
      const { error } = await repeat({ message: 'x', count: 1 }, 100);
      expect(error?.code).toBe(Status.DEADLINE_EXCEEDED);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(signal?.aborted).toBe(true);
      expect(sendAfterDeadline).toBe('TimeoutError');
      expect(await handled('Repeat', 'DEADLINE_EXCEEDED')).toBe(1);
    });
  });

  describe('client streaming', () => {
    it('hands the handler every request message in order and answers its response; without a gate the actor is anonymous, whatever x-pcn-actor says', async () => {
      const metadata = new Metadata();
      metadata.set('x-pcn-actor', 'billing:agent-1');
      await expect(join(['a', 'b', 'c'], metadata)).resolves.toEqual({ joined: 'a b c', actor: 'anonymous' });
      expect(await handled('Join', 'OK')).toBe(1);
    });

    it('maps what the handler throws to a status with details', async () => {
      handlers.join = async (requests) => {
        for await (const r of requests) throw new NotFoundError('statement', r.message);
        return { joined: '', actor: '' };
      };
      const error = await join(['750000001 2026-01']).catch((e: ServiceError) => e);
      const details = parseGrpcErrorDetails(error as ServiceError);
      expect(details.code).toBe(Status.NOT_FOUND);
      expect(details.resourceInfo).toMatchObject({ resourceType: 'statement', resourceName: '750000001 2026-01' });
      expect(callLines(logs)).toEqual([expect.objectContaining({ grpc_method: 'Join', grpc_code: 'NOT_FOUND' })]);
    });

    it('refuses a request message the stores cannot keep with INVALID_ARGUMENT naming the field', async () => {
      const error = await join(['fine', 'bad\u0000byte']).catch((e: ServiceError) => e);
      const details = parseGrpcErrorDetails(error as ServiceError);
      expect(details.code).toBe(Status.INVALID_ARGUMENT);
      expect(details.fieldViolations?.[0]?.field).toBe('message');
    });
  });
});

describe('streaming calls behind an access gate', () => {
  let issuer: TestIssuer;
  let server: GrpcServer;
  let client: testingStreamsV1.EchoStreamsClient;
  let ran: string[];

  beforeAll(async () => {
    issuer = await createTestIssuer({ 'testing.Repeat': { roles: ['national_coordinator'] }, 'testing.Join': { roles: ['billing'] } });
    const logger = pino({ level: 'silent' });
    server = createGrpcServer({ logger });
    server.addService(
      testingStreamsV1.EchoStreamsService,
      grpcService(
        testingStreamsV1.EchoStreamsService,
        {
          repeat: async (req, ctx, send) => {
            ran.push('Repeat');
            await repeatAll(req, ctx, send);
          },
          join: async (reqs, ctx) => {
            ran.push('Join');
            return joinAll(reqs, ctx);
          },
        },
        { logger, registry: new Registry(), access: issuer.gate },
      ),
    );
    const port = await server.start('127.0.0.1', 0);
    client = createClient(testingStreamsV1.EchoStreamsClient, `127.0.0.1:${port}`);
  });
  beforeEach(() => {
    ran = [];
  });
  afterAll(async () => {
    client.close();
    await server.shutdown(1000);
  });

  const metadataOf = (headers: Record<string, string>): Metadata => {
    const metadata = new Metadata();
    for (const [key, value] of Object.entries(headers)) metadata.set(key, value);
    return metadata;
  };
  const join = (headers: Record<string, string>): Promise<testingStreamsV1.JoinResponse> =>
    new Promise((resolve, reject) => {
      const stream = client.join(metadataOf(headers), { deadline: new Date(Date.now() + 5000) }, (error, response) =>
        error ? reject(error) : resolve(response),
      );
      stream.write(testingStreamsV1.JoinRequest.fromPartial({ message: 'a' }));
      stream.end();
    });
  const repeat = (headers: Record<string, string>): Promise<ServiceError | undefined> =>
    new Promise((resolve) => {
      const stream = client.repeat(testingStreamsV1.RepeatRequest.fromPartial({ message: 'x', count: 1 }), metadataOf(headers), {
        deadline: new Date(Date.now() + 5000),
      });
      stream.on('data', () => undefined);
      stream.on('error', (error: ServiceError) => resolve(error));
      stream.on('end', () => resolve(undefined));
    });

  it('gives a client-streaming handler the verified identity as the actor; x-pcn-actor is ignored', async () => {
    const authorization = await issuer.bearer('billing', undefined, 'agent-1');
    await expect(join({ authorization, 'x-pcn-actor': 'national_coordinator:someone-else' })).resolves.toEqual({ joined: 'a', actor: 'billing:agent-1' });
  });

  it('answers UNAUTHENTICATED to a client stream without a token, before the handler runs', async () => {
    await expect(join({})).rejects.toMatchObject({ code: Status.UNAUTHENTICATED });
    expect(ran).toEqual([]);
  });

  it('answers PERMISSION_DENIED to a server stream for a role the policy does not list, before the handler runs', async () => {
    expect(await repeat({ authorization: await issuer.bearer('billing') })).toMatchObject({ code: Status.PERMISSION_DENIED });
    expect(await repeat({ authorization: await issuer.bearer('national_coordinator') })).toBeUndefined();
    expect(ran).toEqual(['Repeat']);
  });
});
