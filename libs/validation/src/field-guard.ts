import type { FieldViolation } from '@pcn/eventsourcing';
import { textDefect } from './safe-text';

/** Longest string any input holds (each field's schema bounds it further): nothing longer is read, stored or repeated. */
export const MAX_INPUT_STRING = 10_000;

/** A property name JSON may carry but a JavaScript object cannot hold as data (it sets the prototype, or is dropped). */
const PROTO_KEY = '__proto__';

/** Deepest nesting walked; inputs go no deeper than a few levels, and JSON bodies are size-bounded. */
const MAX_DEPTH = 32;

/**
 * Every string of `input` (values and property names, at any depth) that the stores could not
 * keep or that is longer than any field takes, and every property name that would be dropped or would alter an object's prototype
 * (`__proto__`): one violation each, named by its path. Run on every input before its schema,
 * so that no field, id or free text, reaches a store with such a value whatever its schema says.
 */
export function unsafeTextViolations(input: unknown, path = ''): FieldViolation[] {
  const violations: FieldViolation[] = [];
  walk(input, path, 0, violations);
  return violations;
}

function walk(value: unknown, path: string, depth: number, out: FieldViolation[]): void {
  if (typeof value === 'string') {
    const defect = value.length > MAX_INPUT_STRING ? `must be at most ${MAX_INPUT_STRING} characters` : textDefect(value);
    if (defect) out.push({ field: path || '(body)', description: defect });
    return;
  }
  if (value === null || typeof value !== 'object' || value instanceof Date || ArrayBuffer.isView(value)) return;
  if (depth >= MAX_DEPTH) {
    out.push({ field: path || '(body)', description: `nests deeper than ${MAX_DEPTH} levels` });
    return;
  }
  if (isOneofUnion(value)) {
    // A generated gRPC message's oneof ({ $case: 'patientId', value }): named by its field, as
    // callers wrote it, not by the union's own name.
    const parent = path.includes('.') ? path.slice(0, path.lastIndexOf('.') + 1) : '';
    walk(value.value, `${parent}${value.$case}`, depth + 1, out);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, `${path}[${i}]`, depth + 1, out));
    return;
  }
  for (const key of Object.keys(value)) {
    const keyDefect = key.length > 200 ? 'must be at most 200 characters' : textDefect(key);
    const at = path ? `${path}.${keyDefect ? '(name)' : key}` : keyDefect ? '(name)' : key;
    if (keyDefect) out.push({ field: at, description: `field name ${keyDefect}` });
    else if (key === PROTO_KEY) out.push({ field: at, description: 'is a reserved name (__proto__) and cannot be a key' });
    else walk((value as Record<string, unknown>)[key], at, depth + 1, out);
  }
}

function isOneofUnion(value: object): value is { $case: string; value: unknown } {
  const keys = Object.keys(value);
  return keys.length === 2 && typeof (value as { $case?: unknown }).$case === 'string' && keys.includes('value');
}
