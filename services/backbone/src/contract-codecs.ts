import * as contracts from '@pcn/contracts';

/** The generated (ts-proto) codec of one message type. */
export interface MessageCodec {
  fromJSON(json: unknown): unknown;
  toJSON(message: unknown): unknown;
  encode(message: unknown): { finish(): Uint8Array };
  decode(bytes: Uint8Array): unknown;
}

/** Finds the codec of `pcn.events.v1.CentreRegistered` & co. among @pcn/contracts' modules. */
export function codecOf(fullName: string): MessageCodec | undefined {
  const dot = fullName.lastIndexOf('.');
  const [pkg, name] = [fullName.slice(0, dot), fullName.slice(dot + 1)];
  for (const module of Object.values(contracts)) {
    const m = module as Record<string, unknown>;
    if (typeof m === 'object' && m.protobufPackage === pkg && typeof (m[name] as MessageCodec | undefined)?.fromJSON === 'function') {
      return m[name] as MessageCodec;
    }
  }
  return undefined;
}
