import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import { createFileRegistry, fromBinary, type DescField, type DescMessage, type Registry } from '@bufbuild/protobuf';
import { reflect, type ReflectMessage } from '@bufbuild/protobuf/reflect';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { fileDescriptorSet } from '@pcn/contracts';
import { type FieldViolation, ValidationError } from '@pcn/eventsourcing';
import { MAX_VIOLATIONS, unsafeTextViolations } from '@pcn/validation';

/** The field a violation names when the request as a whole cannot be read. */
export const REQUEST_FIELD = '(request)';

const REFUSED = Symbol('pcn.grpc.refusedRequest');

/** What a guarded deserializer hands grpc-js instead of a request it refuses. */
interface RefusedRequest {
  readonly [REFUSED]: ValidationError;
}

/** The refusal of a request a guarded deserializer could not accept, if it is one. */
export function refusalOf(request: unknown): ValidationError | undefined {
  return typeof request === 'object' && request !== null && REFUSED in request ? (request as RefusedRequest)[REFUSED] : undefined;
}

const refused = (error: ValidationError): RefusedRequest => ({ [REFUSED]: error });

// RFC 3339 covers 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z, as google.protobuf.Timestamp says.
const MIN_SECONDS = -62_135_596_800n;
const MAX_SECONDS = 253_402_300_799n;
const MAX_NANOS = 999_999_999;

/**
 * The service definition with each method's deserializer guarded. grpc-js answers a
 * deserializer's exception itself (INTERNAL "Error deserializing request", with no log line and
 * no metric); a guarded one never throws: a request that does not decode, that holds a
 * google.protobuf.Timestamp outside RFC 3339 (nanos outside 0..999,999,999 included) or a
 * string the stores cannot keep, reaches the handler adapter (`unary`) as a refusal, which
 * answers INVALID_ARGUMENT with the field named, logged and counted like any call.
 */
export function guardedDefinition<S extends ServiceDefinition>(definition: S, descriptors: Registry = contractRegistry()): S {
  const guarded: Record<string, MethodDefinition<unknown, unknown>> = {};
  for (const [key, method] of Object.entries(definition) as [string, MethodDefinition<unknown, unknown>][]) {
    const input = inputOf(descriptors, method.path);
    const checkTimestamps = input !== undefined && holdsTimestamp(input, new Set());
    guarded[key] = {
      ...method,
      requestDeserialize: (bytes: Buffer) => {
        let request: unknown;
        try {
          // Decoded against the descriptor first: the generated decoder stops quietly at a length
          // running past the end, turns Timestamps into Dates (losing the nanos), and fails on
          // seconds beyond what a Date holds without naming the field.
          const timestamps = input === undefined ? [] : wireViolations(input, bytes, checkTimestamps);
          if (timestamps.length > 0) return refused(new ValidationError(timestamps.slice(0, MAX_VIOLATIONS)));
          request = method.requestDeserialize(bytes);
        } catch (error) {
          return refused(ValidationError.field(REQUEST_FIELD, `is not a valid protobuf encoding of the request message: ${(error as Error).message}`));
        }
        const violations = unsafeTextViolations(request);
        return violations.length > 0 ? refused(new ValidationError(violations.slice(0, MAX_VIOLATIONS))) : request;
      },
    };
  }
  return guarded as S;
}

let contracts: Registry | undefined;
function contractRegistry(): Registry {
  contracts ??= createFileRegistry(fromBinary(FileDescriptorSetSchema, fileDescriptorSet()));
  return contracts;
}

function inputOf(descriptors: Registry, path: string): DescMessage | undefined {
  const match = /^\/([^/]+)\/([^/]+)$/.exec(path);
  if (!match) return undefined;
  return descriptors.getService(match[1]!)?.methods.find((m) => m.name === match[2])?.input;
}

const isTimestamp = (message: DescMessage): boolean => message.typeName === 'google.protobuf.Timestamp';

function messageOf(field: DescField): DescMessage | undefined {
  if (field.fieldKind === 'message') return field.message;
  if (field.fieldKind === 'list' && field.listKind === 'message') return field.message;
  if (field.fieldKind === 'map' && field.mapKind === 'message') return field.message;
  return undefined;
}

function holdsTimestamp(message: DescMessage, seen: Set<string>): boolean {
  if (isTimestamp(message)) return true;
  if (seen.has(message.typeName)) return false;
  seen.add(message.typeName);
  return message.fields.some((field) => {
    const nested = messageOf(field);
    return nested !== undefined && holdsTimestamp(nested, seen);
  });
}

/**
 * Decodes the request strictly (throws on a malformed encoding) and lists every Timestamp
 * outside RFC 3339, read from the wire (the generated Date hides the nanos).
 */
function wireViolations(input: DescMessage, bytes: Uint8Array, checkTimestamps: boolean): FieldViolation[] {
  const decoded = fromBinary(input, bytes);
  const violations: FieldViolation[] = [];
  if (checkTimestamps) walk(reflect(input, decoded), '', violations);
  return violations;
}

function walk(message: ReflectMessage, path: string, out: FieldViolation[]): void {
  if (isTimestamp(message.desc)) {
    const seconds = message.get(message.desc.field.seconds!) as bigint;
    const nanos = message.get(message.desc.field.nanos!) as number;
    if (seconds < MIN_SECONDS || seconds > MAX_SECONDS)
      out.push({ field: path, description: 'must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z (seconds out of the RFC 3339 range)' });
    if (nanos < 0 || nanos > MAX_NANOS) out.push({ field: path, description: 'must have nanos between 0 and 999,999,999' });
    return;
  }
  for (const field of message.fields) {
    if (messageOf(field) === undefined || !message.isSet(field)) continue;
    const at = path ? `${path}.${field.jsonName}` : field.jsonName;
    if (field.fieldKind === 'message') walk(message.get(field) as ReflectMessage, at, out);
    else if (field.fieldKind === 'list') {
      let i = 0;
      for (const item of message.get(field) as Iterable<ReflectMessage>) walk(item, `${at}[${i++}]`, out);
    } else if (field.fieldKind === 'map') {
      for (const [key, value] of message.get(field) as Iterable<[unknown, ReflectMessage]>) walk(value, `${at}.${String(key)}`, out);
    }
  }
}
