import { deciderSpec } from '@pcn/eventsourcing/testing';
import { departureDecider, type DepartureEvent } from './departure-decider';
import type { Departure } from './departure-events';

const spec = deciderSpec(departureDecider);
const departure: Departure = { kind: 'centre_closed', departureId: 'centre-750000001', centreFiness: '750000001', endDate: '2026-03-01' };
const recorded: DepartureEvent = { type: 'DepartureRecorded', data: departure };
const outcome = { departureId: departure.departureId, reattributed: 0, waitlisted: 2, alreadyHandled: 0 };

describe('a departure’s stream', () => {
  it('records a departure once, however often it is told', () => {
    spec.given([]).when({ type: 'RecordDeparture', departure }).then([recorded]);
    spec
      .given([recorded])
      .when({ type: 'RecordDeparture', departure: { ...departure, endDate: '2026-02-01' } })
      .then([]);
  });

  it('records its outcome once, a replay of the process after a crash included', () => {
    spec
      .given([recorded])
      .when({ type: 'CompleteDeparture', outcome })
      .then([{ type: 'DepartureHandled', data: outcome }]);
    spec
      .given([recorded, { type: 'DepartureHandled', data: outcome }])
      .when({ type: 'CompleteDeparture', outcome })
      .then([]);
  });
});
