import type { Request } from 'express';
import { ValidationError, type FieldViolation } from '@pcn/eventsourcing';
import { echo, textDefect } from '@pcn/validation';

/**
 * The query parameters a route accepts, one value each (an empty one counts as absent). An
 * unknown or repeated parameter is refused, naming it: a misspelt filter must not silently
 * widen a list.
 */
export function queryOf(req: Request, accepted: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  const violations: FieldViolation[] = [];
  for (const [name, value] of Object.entries(req.query)) {
    const defect = typeof value === 'string' ? textDefect(value) : undefined;
    if (!accepted.includes(name)) {
      violations.push({ field: echo(name), description: `unknown query parameter; this route accepts ${accepted.length > 0 ? accepted.join(', ') : 'none'}` });
    } else if (typeof value !== 'string') {
      violations.push({ field: name, description: 'must be given once' });
    } else if (defect) {
      violations.push({ field: name, description: defect });
    } else if (value !== '') {
      values[name] = value;
    }
  }
  if (violations.length > 0) throw new ValidationError(violations);
  return values;
}

/**
 * The body with a field the path carries (`/assignments/{assignmentId}/end`). The same field in
 * the body is refused unless it says the same; a body that is not an object is passed on as it
 * is, for the validation to say so.
 */
export function bodyWithPathField(body: unknown, field: string, value: string): unknown {
  const given = body ?? {};
  if (typeof given !== 'object' || Array.isArray(given)) return given;
  const current = (given as Record<string, unknown>)[field];
  if (current !== undefined && current !== value) throw ValidationError.field(field, `is given by the path (${echo(value)}); leave it out of the body`);
  return { ...given, [field]: value };
}
