import fc from 'fast-check';
import { badText } from './bad-text';
import type { RestRoute } from './rest-routes';

/** One generated upload to a route taking a file as its body: a broken file, or a media type it does not take. */
export interface FileCase {
  readonly method: string;
  readonly path: string;
  readonly contentType: string;
  readonly body: Uint8Array;
  readonly kind: 'random-bytes' | 'bad-csv' | 'bad-json-lines' | 'truncated-json-array' | 'wrong-media-type';
}

const TYPES = ['text/csv', 'application/x-ndjson', 'application/json'];
const HEADER = 'payer_reference,finess,period,amount,payment_date';
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const cells = fc.array(fc.oneof(badText({ surrogates: false }), fc.string({ maxLength: 12 })), { minLength: 1, maxLength: 6 });
const objects = fc.array(
  fc.dictionary(fc.constantFrom(...HEADER.split(',')), fc.oneof(badText({ surrogates: false }), fc.jsonValue({ maxDepth: 1 })), { maxKeys: 5 }),
  {
    maxLength: 5,
  },
);

const files: fc.Arbitrary<Omit<FileCase, 'method' | 'path'>> = fc.oneof(
  fc.tuple(fc.constantFrom(...TYPES), fc.uint8Array({ maxLength: 2_000 })).map(([contentType, body]) => ({ kind: 'random-bytes' as const, contentType, body })),
  fc
    .array(cells, { maxLength: 5 })
    .map((rows) => ({ kind: 'bad-csv' as const, contentType: 'text/csv', body: utf8([HEADER, ...rows.map((r) => r.join(','))].join('\n')) })),
  objects.map((list) => ({ kind: 'bad-json-lines' as const, contentType: 'application/x-ndjson', body: utf8(list.map((o) => JSON.stringify(o)).join('\n')) })),
  objects
    .map((list) => JSON.stringify(list))
    .chain((text) => fc.nat({ max: Math.max(0, text.length - 1) }).map((at) => text.slice(0, at)))
    .map((text) => ({ kind: 'truncated-json-array' as const, contentType: 'application/json', body: utf8(text) })),
  fc
    .tuple(
      fc.constantFrom('text/plain', 'application/octet-stream', 'multipart/form-data; boundary=x', 'application/xml', 'text/csvx'),
      fc.string({ maxLength: 200 }),
    )
    .map(([contentType, text]) => ({ kind: 'wrong-media-type' as const, contentType, body: utf8(text) })),
);

/** A broken file for the route, with a valid-looking path (its parameters as `x1`, `rem-fuzz-1`...). */
export function fileCase(route: RestRoute): fc.Arbitrary<FileCase> {
  return files.map((file) => ({ ...file, method: route.method.toUpperCase(), path: route.path.replace(/:(\w+)/g, 'fuzz-1') }));
}
