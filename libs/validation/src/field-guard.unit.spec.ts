import { z } from 'zod';
import { ValidationError } from '@pcn/eventsourcing';
import { parseInput } from './parse-input';
import { unsafeTextViolations } from './field-guard';
import { echo, textDefect } from './safe-text';
import { pageSize, str, text } from './fields';
import { checkIdempotencyKey } from './idempotency-key';
import { checkUuid } from './ids';

const violationsOf = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return (error as ValidationError).violations;
  }
  throw new Error('expected a ValidationError');
};

describe('textDefect', () => {
  it.each(['', 'Centre de santé', '👩‍⚕️ emoji pairs', 'tab\tand newline\n'])('accepts %j', (s) => expect(textDefect(s)).toBeUndefined());
  it.each([
    ['a\u0000b', /NUL/],
    ['\ud800', /lone surrogate/],
    ['x\udc00', /lone surrogate/],
    ['\ud800a', /lone surrogate/],
  ])('refuses %j', (s, reason) => expect(textDefect(s)).toMatch(reason));
});

describe('unsafeTextViolations', () => {
  it('names every bad string and key at any depth', () => {
    expect(unsafeTextViolations({ a: 'ok', b: { c: ['fine', 'x\u0000'] }, ['k\u0000']: 1 })).toEqual([
      { field: 'b.c[1]', description: expect.stringMatching(/NUL/) },
      { field: '(name)', description: expect.stringMatching(/field name .*NUL/) },
    ]);
  });

  it('names the field of a generated oneof union by its case', () => {
    expect(unsafeTextViolations({ patient: { ref: { $case: 'patientId', value: 'a\u0000' } } })).toEqual([
      { field: 'patient.patientId', description: expect.stringMatching(/NUL/) },
    ]);
  });

  it('refuses __proto__ as a key, which an object would silently drop', () => {
    expect(unsafeTextViolations(JSON.parse('{"grades":{"__proto__":{"label":"x"}}}'))).toEqual([
      { field: 'grades.__proto__', description: expect.stringMatching(/reserved/) },
    ]);
  });
});

describe('parseInput', () => {
  it('refuses bad text whatever the schema says of the field', () => {
    const schema = z.strictObject({ id: z.string(), grades: z.record(z.string(), z.number()) });
    expect(violationsOf(() => parseInput(schema, { id: 'a\u0000', grades: {} }))).toEqual([{ field: 'id', description: expect.stringMatching(/NUL/) }]);
    expect(violationsOf(() => parseInput(schema, JSON.parse('{"id":"a","grades":{"__proto__":1}}')))).toEqual([
      { field: 'grades.__proto__', description: expect.any(String) },
    ]);
  });

  it('bounds the number of violations and the unknown keys it repeats', () => {
    const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, 1]));
    expect((violationsOf(() => parseInput(z.strictObject({}), many)) as unknown[]).length).toBe(50);
    const [violation] = violationsOf(() => parseInput(z.strictObject({}), { ['y'.repeat(10_000)]: 1 })) as { field: string }[];
    expect(violation!.field.length).toBeLessThan(100);
  });
});

describe('field helpers', () => {
  it('str and text bound the length and refuse NUL', () => {
    expect(violationsOf(() => parseInput(z.strictObject({ s: str(5) }), { s: '123456' }))).toEqual([
      { field: 's', description: 'must be at most 5 characters' },
    ]);
    expect(violationsOf(() => parseInput(z.strictObject({ s: text(5) }), { s: ' '.repeat(100) }))).toEqual([
      { field: 's', description: 'must be at most 5 characters' },
    ]);
    expect(parseInput(z.strictObject({ s: text(5) }), { s: '  abc ' })).toEqual({ s: 'abc' });
    expect(str(5).safeParse('a\u0000').success).toBe(false);
  });

  it('pageSize reads digits of a query parameter, and refuses other types', () => {
    const schema = z.strictObject({ n: pageSize(10, 100) });
    expect(parseInput(schema, {})).toEqual({ n: 10 });
    expect(parseInput(schema, { n: '20' })).toEqual({ n: 20 });
    expect(parseInput(schema, { n: 30 })).toEqual({ n: 30 });
    for (const bad of [true, '5 ', '1e2', 0, 101, 2.5]) expect(() => parseInput(schema, { n: bad })).toThrow(ValidationError);
  });

  it('echo keeps a short prefix of a long value', () => {
    expect(echo('short')).toBe('short');
    expect(echo('z'.repeat(20_000))).toBe(`${'z'.repeat(40)}… (20000 characters)`);
  });

  it('checkIdempotencyKey refuses what it would otherwise cut', () => {
    expect(checkIdempotencyKey('retry-1', 'k')).toBe('retry-1');
    expect(() => checkIdempotencyKey('k'.repeat(129), 'idempotency-key')).toThrow(
      expect.objectContaining({ violations: [expect.objectContaining({ field: 'idempotency-key' })] }),
    );
  });

  it('checkUuid names the field without repeating the value', () => {
    expect(checkUuid('6f1c1f7e-3b7a-4c1e-9a55-0b8e1c1d2e3f', 'professionalId', 'a professional id')).toBe('6f1c1f7e-3b7a-4c1e-9a55-0b8e1c1d2e3f');
    for (const bad of ['', 'x'.repeat(24_000), 'a\u0000', 42]) {
      expect(() => checkUuid(bad, 'professionalId', 'a professional id')).toThrow(
        expect.objectContaining({ violations: [{ field: 'professionalId', description: expect.stringMatching(/^.{0,120}$/) }] }),
      );
    }
  });
});
