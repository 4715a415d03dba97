import { createFileRegistry, fromBinary } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { service as healthService } from 'grpc-health-check';
import { dirname, join } from 'node:path';
import { registryV1 } from '@pcn/contracts';
import pino from 'pino';
import { callLines, type EchoFixture, startEchoServer } from '../testing/echo-fixture';
import { callUnary } from '../client/client';
import { createGrpcServer } from './grpc-server';

const HealthClient = grpc.makeGenericClientConstructor(healthService as grpc.ServiceDefinition, 'Health');

function checkHealth(address: string, service: string): Promise<string> {
  const client = new HealthClient(address, grpc.credentials.createInsecure());
  return new Promise<string>((resolve, reject) => {
    client.makeUnaryRequest(
      '/grpc.health.v1.Health/Check',
      (value: { service: string }) => healthService.Check!.requestSerialize(value),
      (bytes: Buffer) => healthService.Check!.responseDeserialize(bytes) as { status: string },
      { service },
      (error, response) => (error ? reject(error) : resolve(response!.status)),
    );
  }).finally(() => client.close());
}

// The reflection protocol, loaded from the .proto files @grpc/reflection ships.
const reflectionProtoDir = join(dirname(require.resolve('@grpc/reflection')), '../proto');
const reflectionPackage = grpc.loadPackageDefinition(
  protoLoader.loadSync('grpc/reflection/v1/reflection.proto', { includeDirs: [reflectionProtoDir], oneofs: true }),
) as unknown as { grpc: { reflection: { v1: { ServerReflection: grpc.ServiceClientConstructor } } } };
const ReflectionClient = reflectionPackage.grpc.reflection.v1.ServerReflection;

interface ReflectionResponse {
  listServicesResponse?: { service: { name: string }[] };
  fileDescriptorResponse?: { fileDescriptorProto: Buffer[] };
  errorResponse?: { errorCode: number; errorMessage: string };
}

function reflect(address: string, request: Record<string, string>): Promise<ReflectionResponse> {
  const client = new ReflectionClient(address, grpc.credentials.createInsecure());
  return new Promise<ReflectionResponse>((resolve, reject) => {
    const stream = (client as unknown as { ServerReflectionInfo(): grpc.ClientDuplexStream<unknown, ReflectionResponse> }).ServerReflectionInfo();
    stream.on('data', (response: ReflectionResponse) => {
      resolve(response);
      stream.end();
    });
    stream.on('error', reject);
    stream.write(request);
  }).finally(() => client.close());
}

describe('GrpcServer', () => {
  let fixture: EchoFixture;

  // A server per test: binding and loading the descriptors outlast jest's 5 s on a loaded machine.
  beforeEach(async () => {
    fixture = await startEchoServer();
  }, 30_000);

  afterEach(async () => {
    await fixture.close();
  });

  it('binds an ephemeral port and serves the added services', async () => {
    expect(fixture.address).toMatch(/^127\.0\.0\.1:[1-9]\d*$/);
    const response = await callUnary(fixture.client(), 'echo', { message: 'bonjour' }, { deadlineMs: 5000 });
    expect(response.message).toBe('bonjour');
  });

  it('reports SERVING for the server and for each added service once started', async () => {
    await expect(checkHealth(fixture.address, '')).resolves.toBe('SERVING');
    await expect(checkHealth(fixture.address, 'pcn.testing.v1.Echo')).resolves.toBe('SERVING');
    await expect(checkHealth(fixture.address, 'pcn.registry.v1.CentreRegistry')).rejects.toMatchObject({
      code: grpc.status.NOT_FOUND,
    });
  });

  it('lets the application take a service out of rotation', async () => {
    fixture.server.setServingStatus('pcn.testing.v1.Echo', 'NOT_SERVING');
    await expect(checkHealth(fixture.address, 'pcn.testing.v1.Echo')).resolves.toBe('NOT_SERVING');
    await expect(checkHealth(fixture.address, '')).resolves.toBe('SERVING');
  });

  it('reports NOT_SERVING as soon as a shutdown starts, then stops accepting calls', async () => {
    const draining = await startEchoServer({ drainDelayMs: 300 });
    try {
      const stopping = draining.server.shutdown(1000);
      // Within the drain delay the server still answers, with NOT_SERVING.
      await expect(checkHealth(draining.address, '')).resolves.toBe('NOT_SERVING');
      await expect(checkHealth(draining.address, 'pcn.testing.v1.Echo')).resolves.toBe('NOT_SERVING');
      await stopping;
      await expect(callUnary(draining.client(), 'echo', { message: 'too late' }, { deadlineMs: 1000 })).rejects.toMatchObject({
        code: grpc.status.UNAVAILABLE,
      });
    } finally {
      await draining.close();
    }
  });

  it('lists, through reflection, the services it serves and the health service only', async () => {
    const response = await reflect(fixture.address, { listServices: '*' });
    const names = response.listServicesResponse?.service.map((service) => service.name).sort();
    // CentreRegistry is in the descriptor set but not served by this server.
    expect(names).toEqual(['grpc.health.v1.Health', 'pcn.testing.v1.Echo']);
  });

  it('describes a served symbol through reflection', async () => {
    const response = await reflect(fixture.address, { fileContainingSymbol: 'pcn.testing.v1.Echo' });
    const files = (response.fileDescriptorResponse?.fileDescriptorProto ?? []).map((bytes) => fromBinary(FileDescriptorProtoSchema, bytes));
    const echoFile = files.find((file) => file.package === 'pcn.testing.v1');
    expect(echoFile?.service.map((service) => service.name)).toEqual(['Echo']);
    expect(echoFile?.messageType.map((message) => message.name).sort()).toEqual(['EchoRequest', 'EchoResponse']);
  });

  it('serves descriptors that link with their imports, as grpcurl describe needs', async () => {
    const server = createGrpcServer({ logger: pino({ level: 'silent' }) });
    // Methods left out answer UNIMPLEMENTED; reflection only needs the definition.
    server.addService(registryV1.CentreRegistryService, {});
    const port = await server.start('127.0.0.1', 0);
    try {
      const response = await reflect(`127.0.0.1:${port}`, { fileContainingSymbol: 'pcn.registry.v1.CentreRegistry' });
      const files = (response.fileDescriptorResponse?.fileDescriptorProto ?? []).map((bytes) => fromBinary(FileDescriptorProtoSchema, bytes));
      const registryFile = files.find((file) => file.name === 'pcn/registry/v1/registry.proto');
      expect(registryFile?.dependency).toEqual(['google/protobuf/timestamp.proto']);
      // Resolving imports by file name, as grpcurl does, fails on any import not sent or not declared.
      const linked = createFileRegistry(registryFile!, (name) => files.find((file) => file.name === name));
      const centre = linked.getMessage('pcn.registry.v1.Centre');
      expect(centre?.fields.find((field) => field.name === 'registered_at')?.message?.typeName).toBe('google.protobuf.Timestamp');
      expect(linked.getService('pcn.registry.v1.CentreRegistry')?.methods.map((method) => method.name)).toContain('GetCentreHistory');
    } finally {
      await server.shutdown(1000);
    }
  });

  it('logs one line per call', async () => {
    await callUnary(fixture.client(), 'echo', { message: 'a' }, { deadlineMs: 5000 });
    await callUnary(fixture.client(), 'echo', { message: 'b' }, { deadlineMs: 5000 });
    expect(callLines(fixture.logs)).toHaveLength(2);
  });
});

describe('GrpcServer lifecycle', () => {
  const logger = pino({ level: 'silent' });

  it('refuses services added after start, since reflection lists them at start', async () => {
    const server = createGrpcServer({ logger });
    await server.start('127.0.0.1', 0);
    try {
      expect(() => server.addService({}, {})).toThrow(/before the gRPC server starts/);
    } finally {
      await server.shutdown(1000);
    }
  });

  it('cancels calls still running when the shutdown timeout passes, aborting their signals', async () => {
    const fixture = await startEchoServer();
    let markStarted!: () => void;
    let markAborted!: (reason: unknown) => void;
    const started = new Promise<void>((resolve) => (markStarted = resolve));
    const aborted = new Promise<unknown>((resolve) => (markAborted = resolve));
    fixture.handler = (_request, ctx) =>
      new Promise((_resolve, reject) => {
        ctx.signal.addEventListener('abort', () => {
          markAborted(ctx.signal.reason);
          reject(ctx.signal.reason);
        });
        markStarted();
      });
    const call = callUnary(fixture.client(), 'echo', { message: 'slow' }, { deadlineMs: 10_000 });
    call.catch(() => undefined);
    await started;
    const startedAt = Date.now();
    await fixture.server.shutdown(200);
    expect(Date.now() - startedAt).toBeLessThan(2000);
    const reason = await aborted;
    expect(reason).toBeInstanceOf(DOMException);
    expect((reason as DOMException).name).toBe('AbortError');
    await expect(call).rejects.toHaveProperty('code');
    await fixture.close();
  });
});
