import { staffV1 as pb } from '@pcn/contracts';
import { fromProtoEnum } from '@pcn/grpc';

/** Drops undefined keys so that absent proto fields are absent inputs, not explicit undefineds. */
export function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** proto3 cannot tell an empty string from an absent one: both are absent to the application. */
export const text = (s: string): string | undefined => (s === '' ? undefined : s);

/** Likewise 0 for the numbers that must be at least 1 (échelon, cents): absent, so "is required". */
export const positive = (n: number): number | undefined => (n === 0 ? undefined : n);

export const gridKind = (v: number | undefined) => fromProtoEnum(pb.GridKind, 'GRID_KIND_', v);
