import { isDeepStrictEqual } from 'node:util';
import type { CentreDetails } from './centre';

/** The fields of `changes` whose value differs from `current`: an amendment records only those. */
export function changedFields(current: CentreDetails, changes: Partial<CentreDetails>): Partial<CentreDetails> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(changes)) {
    if (value !== undefined && !isDeepStrictEqual(current[key as keyof CentreDetails], value)) out[key] = value;
  }
  return out as Partial<CentreDetails>;
}
