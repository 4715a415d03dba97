import fc from 'fast-check';
import { badText } from './bad-text';
import type { RestRoute } from './rest-routes';

/** One generated request: always at least one bad element in its body, sometimes more elsewhere. */
export interface RestCase {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** What is bad in the body. */
  readonly kind: 'bad-text' | 'proto-key' | 'wrong-type' | 'malformed-json';
}

/** Field names the services take, so bad values land where a schema looks (and elsewhere). */
const FIELDS = [
  'name',
  'reason',
  'finess',
  'centreFiness',
  'rpps',
  'nir',
  'patientId',
  'proposalId',
  'assignmentId',
  'professionalId',
  'vacancyId',
  'lastName',
  'firstName',
  'grade',
  'toGrade',
  'profession',
  'comment',
  'effectiveDate',
  'hiredOn',
  'on',
  'accreditedOn',
  'communeInsee',
  'manager',
  'address',
  'territory',
  'grades',
  'sources',
  'channel',
  'decision',
  'side',
  'opinion',
  'kind',
  'code',
  'id',
  'title',
  'url',
  // billing
  'period',
  'line',
  'issuedOn',
  'resolution',
  'remittanceId',
  'payerReference',
  'paidOn',
  'version',
  'effectiveFrom',
  'ageBands',
  'supplements',
  'territorial',
  'underservedCommunes',
  'missionRates',
  'lines',
];
const NUMBER_FIELDS = [
  'maxDistanceKm',
  'limit',
  'echelon',
  'capacity',
  'retainedSeniorityMonths',
  'annualCentsPer100Points',
  'pageSize',
  // billing
  'units',
  'amountCents',
  'fromAge',
  'underservedWeight',
];

/** A valid-looking value of a path parameter, so that bodies are reached (the resources do not exist). */
const PARAM_SAMPLES: Record<string, string> = {
  finess: '930000013',
  patientId: '0123456789abcdef0123456789abcdef',
  period: '2026-03',
  discrepancyId: '8d3c6f0e-1a2b-4c3d-8e9f-0a1b2c3d4e5f',
  rpps: '10003456784',
  proposalId: '8d3c6f0e-1a2b-4c3d-8e9f-0a1b2c3d4e5f',
  id: '8d3c6f0e-1a2b-4c3d-8e9f-0a1b2c3d4e5f',
  assignmentId: '8d3c6f0e-1a2b-4c3d-8e9f-0a1b2c3d4e5f',
};

const BAD_SEGMENTS = ['%ZZ', '%00', 'a%00b', '%ED%A0%80', '%E0%A4%A', '%', 'x'.repeat(3000)];

const anyValue = fc.jsonValue({ maxDepth: 2 });

const badBody: fc.Arbitrary<{ kind: RestCase['kind']; body: string }> = fc.oneof(
  fc
    .tuple(fc.constantFrom(...FIELDS), badText(), fc.boolean(), fc.dictionary(fc.constantFrom(...FIELDS), anyValue, { maxKeys: 3 }))
    .map(([field, text, nested, others]) => ({ kind: 'bad-text' as const, body: JSON.stringify({ ...others, [field]: nested ? { line1: text } : text }) })),
  fc.tuple(fc.constantFrom('grades', 'manager', ''), fc.dictionary(fc.constantFrom(...FIELDS), anyValue, { maxKeys: 3 })).map(([field, others]) => {
    const proto = '{"__proto__":{"label":"Praticien","echelons":[{"echelon":1}]}}';
    const inner = field === '' ? proto.slice(1, -1) : `"${field}":${proto}`;
    const rest = JSON.stringify(others).slice(1, -1);
    return { kind: 'proto-key' as const, body: `{${[rest, inner].filter(Boolean).join(',')}}` };
  }),
  fc
    .tuple(fc.constantFrom(...NUMBER_FIELDS), fc.constantFrom<unknown>(true, false, '5', '12.5', [], [5], { value: 5 }))
    .map(([field, value]) => ({ kind: 'wrong-type' as const, body: JSON.stringify({ [field]: value }) })),
  fc.constantFrom('{"name":', '{"a":1,}', "{'a':1}", '[1,2', '{"a":"\\u00"}', 'nul').map((body) => ({ kind: 'malformed-json' as const, body })),
);

export function restCase(route: RestRoute): fc.Arbitrary<RestCase> {
  const segment = (param: string) =>
    fc.oneof(
      { weight: 3, arbitrary: fc.constant(encodeURIComponent(PARAM_SAMPLES[param] ?? 'x1')) },
      { weight: 1, arbitrary: fc.constantFrom(...BAD_SEGMENTS) },
    );
  return fc
    .record({
      segments: fc.tuple(...route.params.map(segment)),
      ifMatch: fc.option(fc.constantFrom('"0"', 'W/"0"', '0', '"x"', '*'), { nil: undefined }),
      idempotencyKey: fc.option(fc.oneof(fc.constant('retry-1'), fc.constant('k'.repeat(129)), fc.constant('no spaces allowed')), { nil: undefined }),
      bigHeader: fc.integer({ min: 0, max: 49 }).map((n) => n === 0),
      bad: badBody,
    })
    .map(({ segments, ifMatch, idempotencyKey, bigHeader, bad }) => {
      let i = 0;
      const path = route.path.replace(/:(\w+)/g, () => (segments as string[])[i++]!);
      return {
        method: route.method.toUpperCase(),
        path,
        headers: {
          'content-type': 'application/json',
          ...(ifMatch !== undefined && { 'if-match': ifMatch }),
          ...(idempotencyKey !== undefined && { 'idempotency-key': idempotencyKey }),
          ...(bigHeader && { 'x-padding': 'p'.repeat(20_000) }),
        },
        body: bad.body,
        kind: bad.kind,
      };
    });
}
