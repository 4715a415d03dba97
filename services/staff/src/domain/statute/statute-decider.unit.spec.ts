import { deciderSpec } from '@pcn/eventsourcing/testing';
import { AlreadyExistsError, ValidationError } from '@pcn/eventsourcing';
import { statuteDecider } from './statute-decider';
import { PH_FIXTURE, POINT_2022 } from './statute.fixtures';

const spec = deciderSpec(statuteDecider);
const published = { type: 'PayGridPublished', data: { version: PH_FIXTURE, publishedBy: 'c1' } } as const;

describe('the statute aggregate', () => {
  it('publishes a valid grid version', () => spec.given([]).when({ type: 'PublishGridVersion', version: PH_FIXTURE, publishedBy: 'c1' }).then([published]));

  it('records nothing when the same version is published again (the shipped data at each start)', () =>
    spec.given([published]).when({ type: 'PublishGridVersion', version: PH_FIXTURE, publishedBy: 'shipped-data' }).then([]));

  it('refuses other content under an id already published, naming what differs', () => {
    spec
      .given([published])
      .when({ type: 'PublishGridVersion', version: { ...PH_FIXTURE, effectiveFrom: '2021-01-01' }, publishedBy: 'c1' })
      .thenThrows(AlreadyExistsError);
    const relabelled = { ...PH_FIXTURE, grades: { ...PH_FIXTURE.grades, ph: { ...PH_FIXTURE.grades['ph']!, label: 'Another label' } } };
    expect(() =>
      statuteDecider.decide(
        { type: 'PublishGridVersion', version: relabelled, publishedBy: 'c1' },
        statuteDecider.evolve(statuteDecider.initialState(), published),
      ),
    ).toThrow(/published with different content at grades\.ph\.label: publish a new version instead/);
  });

  it('records nothing when the same version comes back with its keys in another order (as a store returns it)', () => {
    const reordered = {
      grades: PH_FIXTURE.grades,
      sources: PH_FIXTURE.sources,
      effectiveFrom: PH_FIXTURE.effectiveFrom,
      kind: PH_FIXTURE.kind,
      id: PH_FIXTURE.id,
    };
    spec.given([published]).when({ type: 'PublishGridVersion', version: reordered, publishedBy: 'c1' }).then([]);
  });

  describe('carrying grades forward', () => {
    const ph = PH_FIXTURE.grades['ph']!;
    const raised = { label: 'Test grade (structure only)', echelons: [{ echelon: 1, annualGrossCents: 6_000_000 }] };
    const next = {
      id: 'ph-2024-01-01',
      kind: 'ph',
      effectiveFrom: '2024-01-01',
      carriedForwardFrom: PH_FIXTURE.id,
      sources: PH_FIXTURE.sources,
      grades: { new_grade: raised },
    } as const;

    it('records the whole grid: the grades given and, unchanged, every other grade of the version named', () =>
      spec
        .given([published])
        .when({ type: 'PublishGridVersion', version: next, publishedBy: 'c1' })
        .then([{ type: 'PayGridPublished', data: { version: { ...next, grades: { ...PH_FIXTURE.grades, new_grade: raised } }, publishedBy: 'c1' } }]));

    it('a grade given replaces the carried one', () => {
      const changed = { ...ph, echelons: ph.echelons.map((e) => ({ ...e, annualGrossCents: e.annualGrossCents + 100 })) };
      const version = { ...next, grades: { ph: changed } };
      spec
        .given([published])
        .when({ type: 'PublishGridVersion', version, publishedBy: 'c1' })
        .then([
          {
            type: 'PayGridPublished',
            data: { version: { ...version, grades: { ph: changed, praticien_attache: PH_FIXTURE.grades['praticien_attache']! } }, publishedBy: 'c1' },
          },
        ]);
    });

    it('publishing the same partial version again records nothing (the shipped data at each start)', () => {
      const first = {
        type: 'PayGridPublished',
        data: { version: { ...next, grades: { ...PH_FIXTURE.grades, new_grade: raised } }, publishedBy: 'c1' },
      } as const;
      spec.given([published, first]).when({ type: 'PublishGridVersion', version: next, publishedBy: 'shipped-data' }).then([]);
    });

    it('refuses a version that is not the one in force just before, or not published, or of the other kind', () => {
      const later = {
        type: 'PayGridPublished',
        data: { version: { ...PH_FIXTURE, id: 'ph-2022-01-01', effectiveFrom: '2022-01-01' }, publishedBy: 'c1' },
      } as const;
      spec
        .given([published, later])
        .when({ type: 'PublishGridVersion', version: next, publishedBy: 'c1' })
        .thenThrows({
          violations: [
            {
              field: 'carriedForwardFrom',
              description: 'grades are carried forward from the version in force before 2024-01-01: ph-2022-01-01, not ph-fixture-2020-10-01',
            },
          ],
        });
      spec
        .given([published])
        .when({ type: 'PublishGridVersion', version: { ...next, carriedForwardFrom: 'ph-1999-01-01' }, publishedBy: 'c1' })
        .thenThrows({
          violations: [{ field: 'carriedForwardFrom', description: 'no published version ph-1999-01-01 to carry grades from' }],
        });
      spec
        .given([published])
        .when({ type: 'PublishGridVersion', version: { ...next, kind: 'fph', grades: {} } as never, publishedBy: 'c1' })
        .thenThrows({
          violations: [{ field: 'carriedForwardFrom', description: 'version ph-fixture-2020-10-01 is a ph grid, this one is fph' }],
        });
      spec
        .given([published])
        .when({ type: 'PublishGridVersion', version: { ...next, effectiveFrom: '2020-10-01' }, publishedBy: 'c1' })
        .thenThrows({
          violations: [
            {
              field: 'carriedForwardFrom',
              description: 'version ph-fixture-2020-10-01 takes effect on 2020-10-01: grades are carried forward from an earlier version',
            },
          ],
        });
    });
  });

  it('refuses a grid whose pay goes down with the échelon, naming the field', () => {
    const ph = PH_FIXTURE.grades['ph']!;
    const broken = {
      ...PH_FIXTURE,
      id: 'ph-broken',
      effectiveFrom: '2025-01-01',
      grades: { ph: { ...ph, echelons: [ph.echelons[1]!, { ...ph.echelons[0]!, echelon: 2 }] } },
    };
    spec.given([]).when({ type: 'PublishGridVersion', version: broken, publishedBy: 'c1' }).thenThrows(ValidationError);
  });

  it('publishes an index-point value once', () => {
    const event = { type: 'IndexPointValuePublished', data: { value: POINT_2022, publishedBy: 'c1' } } as const;
    spec.given([]).when({ type: 'PublishIndexPointValue', value: POINT_2022, publishedBy: 'c1' }).then([event]);
    spec.given([event]).when({ type: 'PublishIndexPointValue', value: POINT_2022, publishedBy: 'c1' }).then([]);
    spec
      .given([event])
      .when({ type: 'PublishIndexPointValue', value: { ...POINT_2022, annualCentsPer100Points: 1 }, publishedBy: 'c1' })
      .thenThrows(ValidationError);
  });
});
