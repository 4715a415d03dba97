import fc from 'fast-check';
import { create, toBinary, type DescField, type DescMessage } from '@bufbuild/protobuf';
import { ScalarType } from '@bufbuild/protobuf';
import { badText } from './bad-text';
import type { GrpcMethod } from './grpc-methods';

/** One generated call: always at least one bad element, in the bytes, a field or the metadata. */
export interface GrpcCase {
  readonly bytes: Buffer;
  readonly idempotencyKey?: string;
  readonly kind: 'malformed' | 'bad-string' | 'bad-timestamp' | 'bad-idempotency-key';
  /** The field the refusal must name (`(request)` for bytes that do not decode). */
  readonly field?: string;
}

const TIMESTAMP = 'google.protobuf.Timestamp';
const MAX_DEPTH = 3;

type Init = Record<string, unknown>;
type Gen = <T>(arb: fc.Arbitrary<T>) => T;

/** A path to a field from the request message (only singular fields and the first item of lists). */
type FieldPath = readonly DescField[];

function nestedMessage(field: DescField): DescMessage | undefined {
  if (field.fieldKind === 'message') return field.message;
  if (field.fieldKind === 'list' && field.listKind === 'message') return field.message;
  return undefined;
}

/** Paths of the fields accepting `want` (string fields, or Timestamps), up to MAX_DEPTH messages deep. */
function pathsTo(message: DescMessage, want: (field: DescField) => boolean, depth = 0): FieldPath[] {
  if (depth >= MAX_DEPTH || message.typeName === TIMESTAMP) return [];
  return message.fields.flatMap((field) => {
    const here: FieldPath[] = want(field) ? [[field]] : [];
    const nested = nestedMessage(field);
    const deeper = nested && !want(field) ? pathsTo(nested, want, depth + 1).map((p) => [field, ...p]) : [];
    return [...here, ...deeper];
  });
}

const isString = (f: DescField): boolean => (f.fieldKind === 'scalar' || (f.fieldKind === 'list' && f.listKind === 'scalar')) && f.scalar === ScalarType.STRING;
const isTimestamp = (f: DescField): boolean => nestedMessage(f)?.typeName === TIMESTAMP;

/** `patient.nir`, `grid.sources[0].title`: how the refusal names a field (camelCase, as the JSON mapping). */
export const pathName = (path: FieldPath): string => path.map((f) => (f.fieldKind === 'list' ? `${f.jsonName}[0]` : f.jsonName)).join('.');

function scalar(field: DescField, g: Gen): unknown {
  const type = field.fieldKind === 'scalar' || (field.fieldKind === 'list' && field.listKind === 'scalar') ? field.scalar : undefined;
  switch (type) {
    case ScalarType.STRING:
      return g(fc.string({ maxLength: 12 }));
    case ScalarType.BOOL:
      return g(fc.boolean());
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return g(fc.double());
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return BigInt(g(fc.integer()));
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return BigInt(g(fc.nat()));
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return g(fc.nat());
    case ScalarType.BYTES:
      return g(fc.uint8Array({ maxLength: 8 }));
    default:
      return g(fc.integer());
  }
}

/** A message of random content (each field set or not), plain init objects all the way down. */
function randomInit(message: DescMessage, g: Gen, depth = 0): Init {
  const init: Init = {};
  if (message.typeName === TIMESTAMP)
    return { seconds: BigInt(g(fc.integer({ min: 0, max: 2_000_000_000 }))), nanos: g(fc.integer({ min: 0, max: 999_999_999 })) };
  for (const field of message.fields) {
    if (field.oneof || field.fieldKind === 'map' || !g(fc.boolean())) continue;
    const value = valueOf(field, g, depth);
    if (value !== undefined) init[field.localName] = field.fieldKind === 'list' ? [value] : value;
  }
  for (const oneof of message.oneofs) {
    const chosen = g(fc.option(fc.constantFrom(...oneof.fields), { nil: undefined }));
    const value = chosen && valueOf(chosen, g, depth);
    if (chosen && value !== undefined) init[oneof.localName] = { case: chosen.localName, value };
  }
  return init;
}

function valueOf(field: DescField, g: Gen, depth: number): unknown {
  if (field.fieldKind === 'enum' || (field.fieldKind === 'list' && field.listKind === 'enum')) return g(fc.integer({ min: -1, max: 12 }));
  const nested = nestedMessage(field);
  if (nested) return depth + 1 >= MAX_DEPTH && nested.typeName !== TIMESTAMP ? undefined : randomInit(nested, g, depth + 1);
  return scalar(field, g);
}

/** Sets `value` at `path` in `init`, creating the messages (and oneof cases) on the way. */
function setAt(init: Init, path: FieldPath, value: unknown): void {
  let target = init;
  path.forEach((field, i) => {
    const last = i === path.length - 1;
    const existing = field.oneof ? (target[field.oneof.localName] as { case?: string; value?: unknown } | undefined) : undefined;
    let current: unknown = field.oneof ? (existing?.case === field.localName ? existing.value : undefined) : target[field.localName];
    if (field.fieldKind === 'list') current = Array.isArray(current) ? current[0] : undefined;
    const next = last ? value : ((current as Init | undefined) ?? {});
    const stored = field.fieldKind === 'list' ? [next] : next;
    if (field.oneof) target[field.oneof.localName] = { case: field.localName, value: stored };
    else target[field.localName] = stored;
    if (!last) target = next as Init;
  });
}

const encode = (message: DescMessage, init: Init): Buffer => Buffer.from(toBinary(message, create(message, init as never)));

/** Bytes that are no protobuf encoding: an invalid wire type, a truncated length, a varint that never ends. */
const malformedBytes = fc.oneof(
  fc.uint8Array({ maxLength: 16 }).map((rest) => Buffer.from([0x0f, ...rest])),
  fc.uint8Array({ maxLength: 16 }).map((rest) => Buffer.from([0x0a, 0x7f, ...rest])),
  fc.integer({ min: 11, max: 20 }).map((n) => Buffer.from([0x08, ...Array<number>(n).fill(0xff)])),
  fc.uint8Array({ minLength: 1, maxLength: 16 }).map((rest) => Buffer.from([0x0e, ...rest])),
);

const badTimestamp = fc.oneof(
  fc.record({
    seconds: fc.integer({ min: 0, max: 2_000_000_000 }).map(BigInt),
    nanos: fc.oneof(fc.integer({ min: -1_000_000_000, max: -1 }), fc.integer({ min: 1_000_000_000, max: 2_147_483_647 })),
  }),
  fc.record({
    seconds: fc.oneof(fc.bigInt(-(2n ** 62n), -62_135_596_801n), fc.bigInt(253_402_300_800n, 2n ** 62n)),
    nanos: fc.integer({ min: 0, max: 999_999_999 }),
  }),
);

export function grpcCase(method: GrpcMethod): fc.Arbitrary<GrpcCase> {
  const strings = pathsTo(method.input, isString);
  const timestamps = pathsTo(method.input, isTimestamp);
  const structured = (inject: (init: Init, g: Gen) => Omit<GrpcCase, 'bytes'>): fc.Arbitrary<GrpcCase> =>
    fc.gen().map((generate) => {
      const g: Gen = (arb) => generate(() => arb);
      const init = randomInit(method.input, g);
      const rest = inject(init, g);
      return { ...rest, bytes: encode(method.input, init) };
    });
  return fc.oneof(
    malformedBytes.map((bytes) => ({ bytes, kind: 'malformed' as const, field: '(request)' })),
    ...(strings.length > 0
      ? [
          structured((init, g) => {
            const path = g(fc.constantFrom(...strings));
            setAt(init, path, g(badText({ surrogates: false })));
            return { kind: 'bad-string', field: pathName(path) };
          }),
        ]
      : []),
    ...(timestamps.length > 0
      ? [
          structured((init, g) => {
            const path = g(fc.constantFrom(...timestamps));
            setAt(init, path, g(badTimestamp));
            return { kind: 'bad-timestamp', field: pathName(path) };
          }),
        ]
      : []),
    structured((_init, g) => ({
      kind: 'bad-idempotency-key',
      idempotencyKey: g(
        fc.oneof(
          fc.constant('k'.repeat(129)),
          fc.string({ minLength: 129, maxLength: 300 }).map((s) => s.replace(/[^ -~]/g, 'k')),
          fc.constant('has spaces'),
        ),
      ),
    })),
  );
}
