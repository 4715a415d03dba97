import { deciderSpec } from '@pcn/eventsourcing/testing';
import { AlreadyExistsError, PreconditionFailedError, ValidationError } from '@pcn/eventsourcing';
import { centreDecider } from './centre-decider';
import type { CentreEvent } from './events';
import { statusOn, type ExistingCentre } from './centre-state';
import { eligibleCentre } from './testing-fixtures';

const FINESS = '930000013';
const spec = deciderSpec(centreDecider);
const registered = (details = eligibleCentre()): CentreEvent => ({ type: 'CentreRegistered', data: { finess: FINESS, details } });
const accredited: CentreEvent = { type: 'CentreAccredited', data: { finess: FINESS, accreditedOn: '2026-02-01' } };
const suspended: CentreEvent = { type: 'CentreSuspended', data: { finess: FINESS, reason: 'governance not convened' } };
const closed: CentreEvent = { type: 'CentreClosed', data: { finess: FINESS, effectiveDate: '2026-06-30', reason: 'merged' } };

describe('registering a centre', () => {
  it('records the registration of a candidate', () =>
    spec.given([]).when({ type: 'RegisterCentre', finess: FINESS, details: eligibleCentre() }).then([registered()]));

  it('refuses a FINESS that is already registered', () =>
    spec.given([registered()]).when({ type: 'RegisterCentre', finess: FINESS, details: eligibleCentre() }).thenThrows(AlreadyExistsError));

  it('refuses a for-profit manager, saying so on the manager.kind field', () =>
    spec
      .given([])
      .when({ type: 'RegisterCentre', finess: FINESS, details: eligibleCentre({ manager: { kind: 'commercial_company', name: 'SAS Santé+' } }) })
      .thenThrows({ violations: [{ field: 'manager.kind', description: expect.stringContaining('for-profit') }] }));
});

describe('accreditation', () => {
  it('makes a candidate meeting every criterion a member', () =>
    spec.given([registered()]).when({ type: 'AccreditCentre', finess: FINESS, accreditedOn: '2026-02-01' }).then([accredited]));

  it('lists every unmet criterion in the refusal', () =>
    spec
      .given([
        registered(
          eligibleCentre({
            commitments: { sector1FeesOnly: false, fullThirdPartyPayment: false, salariedStaff: true },
            governance: { electedOfficialsSeats: 2, usersSeats: 0, staffSeats: 2 },
            healthProject: { adoptedOn: '2026-01-01', axes: ['care_coordination'] },
          }),
        ),
      ])
      .when({ type: 'AccreditCentre', finess: FINESS, accreditedOn: '2026-02-01' })
      .thenThrows({
        kind: 'failed_precondition',
        violations: [
          expect.objectContaining({ subject: 'commitments.sector1FeesOnly' }),
          expect.objectContaining({ subject: 'commitments.fullThirdPartyPayment' }),
          expect.objectContaining({ subject: 'healthProject.axes' }),
          expect.objectContaining({ subject: 'governance.usersSeats' }),
        ],
      }));

  it('requires a health project', () =>
    spec
      .given([registered(eligibleCentre({ healthProject: undefined }))])
      .when({ type: 'AccreditCentre', finess: FINESS, accreditedOn: '2026-02-01' })
      .thenThrows({ violations: [expect.objectContaining({ subject: 'healthProject' })] }));

  it('refuses to accredit a member again', () =>
    spec.given([registered(), accredited]).when({ type: 'AccreditCentre', finess: FINESS, accreditedOn: '2026-03-01' }).thenThrows(PreconditionFailedError));

  it('refuses commands on a centre that does not exist, naming its FINESS', () =>
    spec
      .given([])
      .when({ type: 'AccreditCentre', finess: FINESS, accreditedOn: '2026-03-01' })
      .thenThrows({ kind: 'not_found', resource: 'centre', id: FINESS, message: `centre ${FINESS} not found` }));

  it('refuses a health project adopted after the accreditation date', () =>
    spec
      .given([registered(eligibleCentre({ healthProject: { adoptedOn: '2026-02-02', axes: ['prevention'] } }))])
      .when({ type: 'AccreditCentre', finess: FINESS, accreditedOn: '2026-02-01' })
      .thenThrows({ kind: 'failed_precondition', violations: [expect.objectContaining({ subject: 'healthProject.adoptedOn' })] }));

  it('accepts a health project adopted on the accreditation date', () =>
    spec
      .given([registered(eligibleCentre({ healthProject: { adoptedOn: '2026-02-01', axes: ['prevention'] } }))])
      .when({ type: 'AccreditCentre', finess: FINESS, accreditedOn: '2026-02-01' })
      .then([accredited]));

  it('records an accreditation dated in the future, and it is not repeated while it waits for its day', () => {
    const inAdvance: CentreEvent = { type: 'CentreAccredited', data: { finess: FINESS, accreditedOn: '2027-01-05' } };
    spec.given([registered()]).when({ type: 'AccreditCentre', finess: FINESS, accreditedOn: '2027-01-05' }).then([inAdvance]);
    spec
      .given([registered(), inAdvance])
      .when({ type: 'AccreditCentre', finess: FINESS, accreditedOn: '2026-12-01' })
      .thenThrows({ kind: 'failed_precondition', message: expect.stringContaining('member from 2027-01-05') });
  });
});

describe('an accreditation dated in the future', () => {
  const inAdvance: CentreEvent = { type: 'CentreAccredited', data: { finess: FINESS, accreditedOn: '2027-01-05' } };
  const state = (events: CentreEvent[]): ExistingCentre => events.reduce(centreDecider.evolve, centreDecider.initialState()) as ExistingCentre;

  it('leaves the centre a candidate until that day, a member from it', () => {
    const centre = state([registered(), inAdvance]);
    expect(statusOn(centre, '2026-12-06')).toBe('candidate');
    expect(statusOn(centre, '2027-01-04')).toBe('candidate');
    expect(statusOn(centre, '2027-01-05')).toBe('member');
  });

  it('cannot be suspended before membership starts', () =>
    spec
      .given([registered(), inAdvance])
      .when({ type: 'SuspendCentre', finess: FINESS, today: '2026-12-06', reason: 'governance not convened' })
      .thenThrows({ kind: 'failed_precondition', message: expect.stringContaining('candidate until its accreditation takes effect on 2027-01-05') }));

  it('can be suspended once membership has started', () =>
    spec
      .given([registered(), inAdvance])
      .when({ type: 'SuspendCentre', finess: FINESS, today: '2027-01-05', reason: 'governance not convened' })
      .then([{ type: 'CentreSuspended', data: { finess: FINESS, reason: 'governance not convened' } }]));

  it('gives way to a closure effective before it', () => {
    const centre = state([
      registered(),
      inAdvance,
      { type: 'CentreClosed', data: { finess: FINESS, effectiveDate: '2026-12-20', reason: 'project abandoned' } },
    ]);
    expect(statusOn(centre, '2026-12-19')).toBe('candidate');
    expect(statusOn(centre, '2027-01-05')).toBe('closed');
  });
});

describe('suspension and reinstatement', () => {
  it('suspends a member with a reason', () =>
    spec
      .given([registered(), accredited])
      .when({ type: 'SuspendCentre', finess: FINESS, today: '2026-03-01', reason: 'governance not convened' })
      .then([suspended]));

  it('cannot suspend a candidate', () =>
    spec.given([registered()]).when({ type: 'SuspendCentre', finess: FINESS, today: '2026-03-01', reason: 'x' }).thenThrows({ kind: 'failed_precondition' }));

  it('reinstates a suspended centre', () =>
    spec
      .given([registered(), accredited, suspended])
      .when({ type: 'ReinstateCentre', finess: FINESS })
      .then([{ type: 'CentreReinstated', data: { finess: FINESS } }]));

  it('cannot reinstate a member that is not suspended', () =>
    spec.given([registered(), accredited]).when({ type: 'ReinstateCentre', finess: FINESS }).thenThrows(PreconditionFailedError));
});

describe('amendments', () => {
  it('records only the fields that change', () =>
    spec
      .given([registered()])
      .when({ type: 'AmendCentre', finess: FINESS, changes: { name: 'Centre Louise-Michel', type: 'polyvalent' } })
      .then([{ type: 'CentreAmended', data: { finess: FINESS, changes: { name: 'Centre Louise-Michel' } } }]));

  it('records nothing when nothing changes', () =>
    spec
      .given([registered()])
      .when({ type: 'AmendCentre', finess: FINESS, changes: { type: 'polyvalent' } })
      .then([]));

  it('refuses an amendment that would make a member fail a criterion', () =>
    spec
      .given([registered(), accredited])
      .when({ type: 'AmendCentre', finess: FINESS, changes: { commitments: { sector1FeesOnly: true, fullThirdPartyPayment: true, salariedStaff: false } } })
      .thenThrows({ violations: [expect.objectContaining({ subject: 'commitments.salariedStaff' })] }));

  it('refuses a for-profit manager on amendment', () =>
    spec
      .given([registered()])
      .when({ type: 'AmendCentre', finess: FINESS, changes: { manager: { kind: 'for_profit_clinic', name: 'Clinique SA' } } })
      .thenThrows(ValidationError));
});

describe('closure', () => {
  it('closes with an effective date, and the centre is closed from that day', () => {
    spec.given([registered(), accredited]).when({ type: 'CloseCentre', finess: FINESS, effectiveDate: '2026-06-30', reason: 'merged' }).then([closed]);
    const state = [registered(), accredited, closed].reduce(centreDecider.evolve, centreDecider.initialState()) as ExistingCentre;
    expect(statusOn(state, '2026-06-29')).toBe('member');
    expect(statusOn(state, '2026-06-30')).toBe('closed');
  });

  it('is terminal: nothing is accepted after a closure', () => {
    spec
      .given([registered(), accredited, closed])
      .when({ type: 'AmendCentre', finess: FINESS, changes: { name: 'New' } })
      .thenThrows(PreconditionFailedError);
    spec
      .given([registered(), accredited, closed])
      .when({ type: 'CloseCentre', finess: FINESS, effectiveDate: '2026-07-01', reason: 'again' })
      .thenThrows(PreconditionFailedError);
  });
});
