import { googleProtobufAny, googleRpcStatus } from '@pcn/contracts';

/**
 * The trailer in which gRPC servers put a serialized google.rpc.Status, so that clients of any
 * language find typed details (field violations, ...) next to the status code.
 */
export const STATUS_DETAILS_KEY = 'grpc-status-details-bin';

const TYPE_URL_PREFIX = 'type.googleapis.com/';

/** The encode/decode pair ts-proto generates for every message. */
export interface MessageCodec<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(input: Uint8Array): T;
}

type Any = googleProtobufAny.Any;

/** Wraps a message in a google.protobuf.Any; `typeName` is its full name (`google.rpc.BadRequest`). */
export function packAny<T>(typeName: string, codec: MessageCodec<T>, message: T): Any {
  return { typeUrl: TYPE_URL_PREFIX + typeName, value: Buffer.from(codec.encode(message).finish()) };
}

/** The message in `any` if it is a `typeName`, otherwise undefined. */
export function unpackAny<T>(any: Any, typeName: string, codec: MessageCodec<T>): T | undefined {
  // Any.type_url may use another host than type.googleapis.com; only the last segment names the type.
  const name = any.typeUrl.slice(any.typeUrl.lastIndexOf('/') + 1);
  return name === typeName ? codec.decode(any.value) : undefined;
}

export function encodeStatus(status: googleRpcStatus.Status): Buffer {
  return Buffer.from(googleRpcStatus.Status.encode(status).finish());
}

export function decodeStatus(bytes: Uint8Array): googleRpcStatus.Status {
  return googleRpcStatus.Status.decode(bytes);
}
