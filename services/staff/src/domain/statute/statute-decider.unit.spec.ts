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

  it('refuses other figures under an id already published', () =>
    spec.given([published]).when({ type: 'PublishGridVersion', version: { ...PH_FIXTURE, effectiveFrom: '2021-01-01' }, publishedBy: 'c1' }).thenThrows(AlreadyExistsError));

  it('refuses a grid whose pay goes down with the échelon, naming the field', () => {
    const ph = PH_FIXTURE.grades['ph']!;
    const broken = { ...PH_FIXTURE, id: 'ph-broken', effectiveFrom: '2025-01-01', grades: { ph: { ...ph, echelons: [ph.echelons[1]!, { ...ph.echelons[0]!, echelon: 2 }] } } };
    spec.given([]).when({ type: 'PublishGridVersion', version: broken, publishedBy: 'c1' }).thenThrows(ValidationError);
  });

  it('publishes an index-point value once', () => {
    const event = { type: 'IndexPointValuePublished', data: { value: POINT_2022, publishedBy: 'c1' } } as const;
    spec.given([]).when({ type: 'PublishIndexPointValue', value: POINT_2022, publishedBy: 'c1' }).then([event]);
    spec.given([event]).when({ type: 'PublishIndexPointValue', value: POINT_2022, publishedBy: 'c1' }).then([]);
    spec.given([event]).when({ type: 'PublishIndexPointValue', value: { ...POINT_2022, annualCentsPer100Points: 1 }, publishedBy: 'c1' }).thenThrows(ValidationError);
  });
});
