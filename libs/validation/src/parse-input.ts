import type { z } from 'zod';
import { ValidationError, type FieldViolation } from '@pcn/eventsourcing';
import { unsafeTextViolations } from './field-guard';
import { echo } from './safe-text';

/** Most violations one refusal lists: enough to fix a request, bounded however broken it is. */
export const MAX_VIOLATIONS = 50;

/** `manager.kind`, `services[2]`: the path notation used in every field violation. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

function describe(issue: z.core.$ZodIssue): FieldViolation[] {
  const field = fieldPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ field: field ? `${field}.${echo(key)}` : echo(key), description: 'unknown field' }));
  }
  return [{ field: field || '(body)', description: issue.message }];
}

/**
 * Parses `input` or throws one ValidationError naming every invalid field. Whatever the schema,
 * a string the stores cannot keep (NUL, lone surrogate) or a `__proto__` key anywhere in the
 * input is refused first, so no route or RPC can forget it.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const unsafe = unsafeTextViolations(input);
  if (unsafe.length > 0) throw new ValidationError(unsafe.slice(0, MAX_VIOLATIONS));
  const result = schema.safeParse(input, {
    error: (issue) => (issue.input === undefined && issue.code !== 'unrecognized_keys' && issue.code !== 'custom' ? 'is required' : undefined),
  });
  if (result.success) return result.data;
  throw new ValidationError(result.error.issues.flatMap(describe).slice(0, MAX_VIOLATIONS));
}
