import { ValidationError } from '@pcn/eventsourcing';
import { textDefect } from './safe-text';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The id a caller named a resource by (a path segment, an RPC field), checked before it names a
 * stream: a string of the expected form, else a ValidationError naming `field`. Nothing of the
 * value is repeated: it may be anything, of any length.
 */
export function checkId(raw: unknown, field: string, pattern: RegExp, what: string): string {
  if (typeof raw !== 'string' || raw === '') throw ValidationError.field(field, 'is required');
  const defect = textDefect(raw);
  if (defect) throw ValidationError.field(field, defect);
  if (raw.length > 200 || !pattern.test(raw)) throw ValidationError.field(field, `must be ${what}`);
  return raw;
}

/** A resource id the services mint: a UUID. */
export const checkUuid = (raw: unknown, field: string, what: string): string => checkId(raw, field, UUID, `${what} (a UUID)`).toLowerCase();
