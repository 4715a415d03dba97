import fc from 'fast-check';

/** Strings no store can keep or no field takes: a NUL, a lone surrogate, or more than any field's bound (24 kB once hung gRPC). */
export const badText = (options: { surrogates: boolean } = { surrogates: true }): fc.Arbitrary<string> =>
  fc.oneof(
    fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 })).map(([a, b]) => `${a}\u0000${b}`),
    ...(options.surrogates
      ? [
          fc
            .tuple(fc.string({ maxLength: 20 }), fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff'), fc.string({ maxLength: 20 }))
            .map(([a, s, b]) => `${a}${s}${b}`),
        ]
      : []),
    fc.integer({ min: 10_001, max: 30_000 }).map((n) => 'x'.repeat(n)),
  );
