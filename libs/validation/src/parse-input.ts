import type { z } from 'zod';
import { ValidationError, type FieldViolation } from '@pcn/eventsourcing';

/** `manager.kind`, `services[2]`: the path notation used in every field violation. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

function describe(issue: z.core.$ZodIssue): FieldViolation[] {
  const field = fieldPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ field: field ? `${field}.${key}` : key, description: 'unknown field' }));
  }
  return [{ field: field || '(body)', description: issue.message }];
}

/** Parses `input` or throws one ValidationError naming every invalid field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input, {
    error: (issue) => (issue.input === undefined && issue.code !== 'unrecognized_keys' && issue.code !== 'custom' ? 'is required' : undefined),
  });
  if (result.success) return result.data;
  throw new ValidationError(result.error.issues.flatMap(describe));
}
