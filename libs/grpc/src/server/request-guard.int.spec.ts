import { Client, credentials, Metadata, status as Status, type ServiceError } from '@grpc/grpc-js';
import { testingV1 } from '@pcn/contracts';
import { parseGrpcErrorDetails } from '../errors/parse-grpc-error-details';
import { callLines, startEchoServer, type EchoFixture } from '../testing/echo-fixture';
import { guardedDefinition, refusalOf, REQUEST_FIELD } from './request-guard';
import { commandContextOf } from './command-context';

let fx: EchoFixture;
// A server per test: binding and loading the descriptors outlast jest's 5 s on a loaded machine.
const SERVER_HOOK_MS = 30_000;
beforeEach(async () => {
  fx = await startEchoServer();
}, SERVER_HOOK_MS);
afterEach(() => fx.close(), SERVER_HOOK_MS);

/** Sends raw bytes as the Echo request, as a broken or hostile client would. */
function sendRaw(bytes: Buffer, metadata = new Metadata()): Promise<ServiceError | undefined> {
  const client = new Client(fx.address, credentials.createInsecure());
  return new Promise<ServiceError | undefined>((resolve) => {
    client.makeUnaryRequest(
      '/pcn.testing.v1.Echo/Echo',
      (b: Buffer) => b,
      (b: Buffer) => b,
      bytes,
      metadata,
      { deadline: Date.now() + 5000 },
      (error) => resolve(error ?? undefined),
    );
  }).finally(() => client.close());
}

const encode = (message: string): Buffer => Buffer.from(testingV1.EchoRequest.encode({ message }).finish());

describe('guarded deserializers', () => {
  it.each([
    ['an invalid wire type', Buffer.from([0x0f, 1, 2])],
    ['a length past the end', Buffer.from([0x0a, 0x7f, 0x41])],
    ['a varint that never ends', Buffer.from([0x08, ...Array<number>(11).fill(0xff)])],
  ])('answers INVALID_ARGUMENT to %s, logged and counted', async (_what, bytes) => {
    const error = await sendRaw(bytes);
    expect(error?.code).toBe(Status.INVALID_ARGUMENT);
    expect(parseGrpcErrorDetails(error!).fieldViolations).toEqual([
      { field: REQUEST_FIELD, description: expect.stringMatching(/not a valid protobuf encoding/) },
    ]);
    expect(callLines(fx.logs)).toEqual([expect.objectContaining({ grpc_method: 'Echo', grpc_code: 'INVALID_ARGUMENT' })]);
    expect(await fx.registry.getSingleMetric('grpc_server_handled_total')!.get()).toMatchObject({
      values: [expect.objectContaining({ value: 1, labels: expect.objectContaining({ grpc_method: 'Echo', grpc_code: 'INVALID_ARGUMENT' }) })],
    });
  });

  it('refuses a NUL or a string longer than any field takes, naming the field, before the handler', async () => {
    let called = false;
    fx.handler = async () => {
      called = true;
      return { message: '', actor: '', traceId: '' };
    };
    for (const message of ['a\u0000b', 'x'.repeat(24_000)]) {
      const error = await sendRaw(encode(message));
      expect(error?.code).toBe(Status.INVALID_ARGUMENT);
      expect(parseGrpcErrorDetails(error!).fieldViolations).toEqual([{ field: 'message', description: expect.any(String) }]);
      expect(error!.details.length).toBeLessThan(200);
    }
    expect(called).toBe(false);
  });

  it('answers a 24 kB echo of the input with a bounded message, and the connection keeps serving', async () => {
    fx.handler = async (request) => {
      const { NotFoundError } = await import('@pcn/eventsourcing');
      throw new NotFoundError('thing', request.message);
    };
    const client = fx.client();
    const call = (message: string) =>
      new Promise<ServiceError | null>((resolve) => client.echo({ message }, new Metadata(), { deadline: Date.now() + 5000 }, (error) => resolve(error)));
    const first = await call('y'.repeat(9_000));
    expect(first?.code).toBe(Status.NOT_FOUND);
    expect(first!.details.length).toBeLessThanOrEqual(1100);
    expect((await call('ok'))?.code).toBe(Status.NOT_FOUND);
  });

  it('passes a well-formed request through unchanged', async () => {
    expect(await new Promise((resolve, reject) => fx.client().echo({ message: 'héllo 👩‍⚕️' }, (e, r) => (e ? reject(e) : resolve(r?.message))))).toBe('héllo 👩‍⚕️');
  });
});

describe('Timestamps on the wire', () => {
  // google.protobuf.Timestamp: seconds = 1 (varint), nanos = 2 (varint, int32); a request holding one.
  const { registryV1 } = jest.requireActual<typeof import('@pcn/contracts')>('@pcn/contracts');
  const definition = guardedDefinition(registryV1.CentreRegistryService);
  const getCentre = (timestamp: number[]): unknown =>
    definition.getCentre.requestDeserialize(Buffer.from([0x0a, 0x09, ...Buffer.from('930000013'), 0x12, timestamp.length, ...timestamp]));
  const varint = (n: bigint): number[] => {
    const out: number[] = [];
    let v = BigInt.asUintN(64, n);
    while (v > 0x7fn) {
      out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(Number(v));
    return out;
  };

  it('refuses nanos outside 0..999,999,999 and seconds outside RFC 3339, naming the field', () => {
    expect(refusalOf(getCentre([0x08, ...varint(1_700_000_000n), 0x10, ...varint(-1n)]))?.violations).toEqual([
      { field: 'asOf', description: expect.stringMatching(/nanos/) },
    ]);
    expect(refusalOf(getCentre([0x10, ...varint(1_000_000_000n)]))?.violations).toEqual([{ field: 'asOf', description: expect.stringMatching(/nanos/) }]);
    expect(refusalOf(getCentre([0x08, ...varint(253_402_300_800n)]))?.violations).toEqual([{ field: 'asOf', description: expect.stringMatching(/RFC 3339/) }]);
    expect(refusalOf(getCentre([0x08, ...varint(-62_135_596_801n)]))?.violations).toEqual([{ field: 'asOf', description: expect.stringMatching(/RFC 3339/) }]);
  });

  it('accepts the bounds themselves', () => {
    const last = getCentre([0x08, ...varint(253_402_300_799n), 0x10, ...varint(999_000_000n)]);
    expect(refusalOf(last)).toBeUndefined();
    expect((last as { asOf: Date }).asOf.toISOString()).toBe('9999-12-31T23:59:59.999Z');
    expect(refusalOf(getCentre([0x08, ...varint(253_402_300_799n), 0x10, ...varint(999_999_999n)]))).toBeUndefined();
    const first = getCentre([0x08, ...varint(-62_135_596_800n)]);
    expect((first as { asOf: Date }).asOf.toISOString()).toBe('0001-01-01T00:00:00.000Z');
  });
});

describe('idempotency keys over gRPC', () => {
  const ctxWith = (key: string) => {
    const metadata = new Metadata();
    metadata.set('idempotency-key', key);
    return { metadata, actor: 'a', signal: new AbortController().signal } as never;
  };

  it('refuses what REST refuses instead of cutting it', () => {
    expect(commandContextOf(ctxWith('k'.repeat(128)))).toMatchObject({ idempotencyKey: 'k'.repeat(128) });
    expect(() => commandContextOf(ctxWith('k'.repeat(129)))).toThrow(
      expect.objectContaining({ violations: [expect.objectContaining({ field: 'idempotency-key' })] }),
    );
    expect(() => commandContextOf(ctxWith('with space'))).toThrow(
      expect.objectContaining({ violations: [expect.objectContaining({ field: 'idempotency-key' })] }),
    );
  });
});
