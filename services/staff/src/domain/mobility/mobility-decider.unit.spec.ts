import { deciderSpec } from '@pcn/eventsourcing/testing';
import { AlreadyExistsError, NotFoundError, PermissionDeniedError } from '@pcn/eventsourcing';
import { mobilityDecider, mobilityStreamId } from './mobility-decider';
import type { MobilityCommand } from './mobility-commands';
import type { MobilityEvent, MobilityTerms, OpinionRecord, OpinionSide } from './mobility-events';
import type { Mobility } from './mobility-state';

const MOB = 'mob-7f3a';
const PRO = 'pro-b7e1';
const ORIGIN = '930000013';
const DESTINATION = '750000019';
const spec = deciderSpec(mobilityDecider);

type Request = Extract<MobilityCommand, { type: 'RequestMobility' }>;
const transferRequest: Request = {
  type: 'RequestMobility',
  mobilityId: MOB,
  professionalId: PRO,
  vacancyId: 'vac-42',
  kind: 'transfer',
  originCentreFiness: ORIGIN,
  originAssignmentId: 'a1',
  destinationCentreFiness: DESTINATION,
  fte: 8000,
  requestedOn: '2026-03-02',
};
const secondmentRequest: Request = { ...transferRequest, kind: 'secondment', endOn: '2028-09-01' };
const { type: _t, kind: _k, endOn: _e, ...transferData } = transferRequest;
const transferTerms: MobilityTerms = { ...transferData, kind: 'transfer', originFte: 8000 };
const secondmentTerms: MobilityTerms = { ...transferData, kind: 'secondment', endOn: '2028-09-01', originFte: 8000 };
const requested = (terms: MobilityTerms = transferTerms): MobilityEvent => ({ type: 'MobilityRequested', data: terms });

const favourable = (side: OpinionSide): OpinionRecord => ({ opinion: 'favourable', by: `${side}-manager` });
const unfavourable: OpinionRecord = { opinion: 'unfavourable', comment: 'no replacement before the summer', by: 'origin-manager' };
const opinionGiven = (side: OpinionSide, record: OpinionRecord = favourable(side)): MobilityEvent => ({
  type: 'MobilityOpinionGiven',
  data: { mobilityId: MOB, side, centreFiness: side === 'origin' ? ORIGIN : DESTINATION, ...record },
});
const heard = (terms: MobilityTerms = transferTerms): MobilityEvent[] => [requested(terms), opinionGiven('origin'), opinionGiven('destination')];
const approve = (effectiveOn?: string): MobilityCommand => ({
  type: 'DecideMobility',
  decision: 'approved',
  ...(effectiveOn && { effectiveOn }),
  decidedBy: 'coordinator-idf',
});
const reject: MobilityCommand = {
  type: 'DecideMobility',
  decision: 'rejected',
  reason: 'the origin centre would lose its only nurse',
  decidedBy: 'coordinator-idf',
};
const opinions = { origin: favourable('origin'), destination: favourable('destination') };
const approved = (terms: MobilityTerms = transferTerms, effectiveOn = '2026-09-01'): MobilityEvent => ({
  type: 'MobilityApproved',
  data: { ...terms, effectiveOn, opinions, decidedBy: 'coordinator-idf' },
});
const rejected: MobilityEvent = {
  type: 'MobilityRejected',
  data: { ...transferTerms, opinions, reason: 'the origin centre would lose its only nurse', decidedBy: 'coordinator-idf' },
};
const withdrawn: MobilityEvent = { type: 'MobilityWithdrawn', data: { mobilityId: MOB, professionalId: PRO, vacancyId: 'vac-42', by: PRO, on: '2026-04-01' } };
const lifecycle = (found: string) => ({
  kind: 'failed_precondition',
  violations: [{ type: 'LIFECYCLE', subject: 'status', description: expect.stringContaining(`found ${found}`) }],
});
const invalid = (field: string, description: string | object = expect.any(String)) => ({ kind: 'invalid_argument', violations: [{ field, description }] });

describe('requesting a mobility', () => {
  it('records a transfer, with the origin FTE defaulting to the FTE that moves', () => spec.given([]).when(transferRequest).then([requested()]));

  it('records a secondment and a temporary assignment with their end, and an origin FTE that differs', () => {
    spec
      .given([])
      .when(secondmentRequest)
      .then([requested(secondmentTerms)]);
    spec
      .given([])
      .when({ ...transferRequest, kind: 'temporary_assignment', endOn: '2027-03-01', originFte: 10000 })
      .then([requested({ ...transferData, kind: 'temporary_assignment', endOn: '2027-03-01', originFte: 10000 })]);
  });

  it('lives on the stream mobility-{mobilityId}', () => expect(mobilityStreamId(MOB)).toBe(`mobility-${MOB}`));

  it('refuses a mobility id already requested', () => spec.given([requested()]).when(transferRequest).thenThrows(AlreadyExistsError));

  it('requires an end for a secondment and a temporary assignment', () => {
    spec
      .given([])
      .when({ ...transferRequest, kind: 'secondment' })
      .thenThrows(invalid('endOn', 'is required for a secondment'));
    spec
      .given([])
      .when({ ...transferRequest, kind: 'temporary_assignment' })
      .thenThrows(invalid('endOn', 'is required for a temporary assignment'));
  });

  it('forbids an end for a transfer', () =>
    spec
      .given([])
      .when({ ...transferRequest, endOn: '2027-01-01' })
      .thenThrows(invalid('endOn', expect.stringContaining('must not be set for a transfer'))));

  it('refuses an end that is not a date, or not after the request', () => {
    spec
      .given([])
      .when({ ...secondmentRequest, endOn: '2028-02-30' })
      .thenThrows(invalid('endOn', expect.stringContaining('YYYY-MM-DD')));
    spec
      .given([])
      .when({ ...secondmentRequest, endOn: '2026-03-02' })
      .thenThrows(invalid('endOn', expect.stringContaining('after requestedOn (2026-03-02)')));
  });

  it('refuses a destination that is the origin centre', () =>
    spec
      .given([])
      .when({ ...transferRequest, destinationCentreFiness: ORIGIN })
      .thenThrows(invalid('destinationCentreFiness', expect.stringContaining(ORIGIN))));

  it('refuses FTEs out of range and an invalid request date, all at once', () =>
    spec
      .given([])
      .when({ ...transferRequest, fte: 0, originFte: 10001, requestedOn: '2026-3-2' })
      .thenThrows({
        kind: 'invalid_argument',
        violations: [
          expect.objectContaining({ field: 'fte' }),
          expect.objectContaining({ field: 'originFte' }),
          expect.objectContaining({ field: 'requestedOn' }),
        ],
      }));
});

describe('opinions of the origin and destination centres', () => {
  it('records each side once, with the centre that gives it', () => {
    spec
      .given([requested()])
      .when({ type: 'GiveOpinion', side: 'origin', opinion: 'favourable', by: 'origin-manager' })
      .then([opinionGiven('origin')]);
    spec
      .given([requested(), opinionGiven('origin')])
      .when({ type: 'GiveOpinion', side: 'destination', opinion: 'favourable', comment: 'welcome', by: 'destination-manager' })
      .then([opinionGiven('destination', { ...favourable('destination'), comment: 'welcome' })]);
  });

  it('records an unfavourable opinion with its grounds', () =>
    spec
      .given([requested()])
      .when({ type: 'GiveOpinion', side: 'origin', ...unfavourable })
      .then([opinionGiven('origin', unfavourable)]));

  it('refuses an unfavourable opinion without grounds, on the comment field', () => {
    spec.given([requested()]).when({ type: 'GiveOpinion', side: 'origin', opinion: 'unfavourable', by: 'origin-manager' }).thenThrows(invalid('comment'));
    spec
      .given([requested()])
      .when({ type: 'GiveOpinion', side: 'origin', opinion: 'unfavourable', comment: ' ', by: 'origin-manager' })
      .thenThrows(invalid('comment'));
  });

  it('refuses a second opinion from the same side, even a change of mind', () =>
    spec
      .given([requested(), opinionGiven('origin')])
      .when({ type: 'GiveOpinion', side: 'origin', ...unfavourable })
      .thenThrows({
        kind: 'failed_precondition',
        message: expect.stringContaining(`origin centre ${ORIGIN} already gave its opinion`),
        violations: [{ type: 'OPINION', subject: 'opinions.origin' }],
      }));

  it('refuses an opinion once the request is decided or withdrawn', () => {
    spec
      .given([requested(), opinionGiven('origin'), opinionGiven('destination'), approved()])
      .when({ type: 'GiveOpinion', side: 'origin', opinion: 'favourable', by: 'x' })
      .thenThrows(lifecycle('approved'));
    spec
      .given([...heard(), rejected])
      .when({ type: 'GiveOpinion', side: 'destination', opinion: 'favourable', by: 'x' })
      .thenThrows(lifecycle('rejected'));
    spec.given([requested(), withdrawn]).when({ type: 'GiveOpinion', side: 'destination', opinion: 'favourable', by: 'x' }).thenThrows(lifecycle('withdrawn'));
  });

  it('refuses an opinion on a request that does not exist', () =>
    spec.given([]).when({ type: 'GiveOpinion', side: 'origin', opinion: 'favourable', by: 'x' }).thenThrows(NotFoundError));
});

describe('the coordinator decides, after hearing both centres', () => {
  it('approves with the terms, the date and both opinions: all the process manager needs', () =>
    spec.given(heard()).when(approve('2026-09-01')).then([approved()]));

  it('approves against an unfavourable opinion, which the event keeps', () =>
    spec
      .given([requested(), opinionGiven('origin', unfavourable), opinionGiven('destination')])
      .when({ ...approve('2026-09-01'), reason: 'the network replaces the post at the origin' } as MobilityCommand)
      .then([
        {
          type: 'MobilityApproved',
          data: {
            ...transferTerms,
            effectiveOn: '2026-09-01',
            opinions: { origin: unfavourable, destination: favourable('destination') },
            reason: 'the network replaces the post at the origin',
            decidedBy: 'coordinator-idf',
          },
        },
      ]));

  it('approves on the day of the request, and the day before a fixed-term movement ends', () => {
    spec
      .given(heard())
      .when(approve('2026-03-02'))
      .then([approved(transferTerms, '2026-03-02')]);
    spec
      .given(heard(secondmentTerms))
      .when(approve('2028-08-31'))
      .then([approved(secondmentTerms, '2028-08-31')]);
  });

  it('rejects with its grounds and both opinions', () => spec.given(heard()).when(reject).then([rejected]));

  it('refuses to decide before both centres have given their opinion, naming the missing ones', () => {
    spec
      .given([requested()])
      .when(approve('2026-09-01'))
      .thenThrows({
        kind: 'failed_precondition',
        violations: [
          { type: 'OPINION_MISSING', subject: 'opinions.origin', description: expect.stringContaining(ORIGIN) },
          { type: 'OPINION_MISSING', subject: 'opinions.destination', description: expect.stringContaining(DESTINATION) },
        ],
      });
    spec
      .given([requested(), opinionGiven('destination')])
      .when(reject)
      .thenThrows({ violations: [{ type: 'OPINION_MISSING', subject: 'opinions.origin' }] });
  });

  it('requires an effective date to approve, a valid one, not before the request', () => {
    spec.given(heard()).when(approve()).thenThrows(invalid('effectiveOn', 'is required to approve a mobility'));
    spec
      .given(heard())
      .when(approve('2026-09-31'))
      .thenThrows(invalid('effectiveOn', expect.stringContaining('YYYY-MM-DD')));
    spec
      .given(heard())
      .when(approve('2026-03-01'))
      .thenThrows(invalid('effectiveOn', expect.stringContaining('on or after the request (2026-03-02)')));
  });

  it('requires a fixed-term movement to take effect before it ends', () =>
    spec
      .given(heard(secondmentTerms))
      .when(approve('2028-09-01'))
      .thenThrows(invalid('effectiveOn', expect.stringContaining('before the end of the secondment (2028-09-01)'))));

  it('requires grounds for a rejection, and no effective date', () => {
    spec.given(heard()).when({ type: 'DecideMobility', decision: 'rejected', decidedBy: 'c' }).thenThrows(invalid('reason'));
    spec.given(heard()).when({ type: 'DecideMobility', decision: 'rejected', reason: '', decidedBy: 'c' }).thenThrows(invalid('reason'));
    spec
      .given(heard())
      .when({ ...reject, effectiveOn: '2026-09-01' } as MobilityCommand)
      .thenThrows(invalid('effectiveOn', expect.stringContaining('must not be set for a rejection')));
  });

  it('decides once: an approved, rejected or withdrawn request takes no decision', () => {
    spec
      .given([...heard(), approved()])
      .when(approve('2026-10-01'))
      .thenThrows(lifecycle('approved'));
    spec
      .given([...heard(), rejected])
      .when(approve('2026-10-01'))
      .thenThrows(lifecycle('rejected'));
    spec
      .given([...heard(), withdrawn])
      .when(reject)
      .thenThrows(lifecycle('withdrawn'));
  });

  it('refuses to decide a request that does not exist', () => spec.given([]).when(reject).thenThrows(NotFoundError));
});

describe('the professional withdraws', () => {
  const withdraw = (by = PRO, on = '2026-04-01'): MobilityCommand => ({ type: 'WithdrawMobility', by, on });

  it('withdraws before the decision, with or without opinions', () => {
    spec.given([requested()]).when(withdraw()).then([withdrawn]);
    spec.given(heard()).when(withdraw()).then([withdrawn]);
  });

  it('refuses a withdrawal by anyone but the professional', () => {
    spec.given([requested()]).when(withdraw('origin-manager')).thenThrows(PermissionDeniedError);
    spec
      .given([requested()])
      .when(withdraw('origin-manager'))
      .thenThrows({ kind: 'permission_denied', message: expect.stringContaining(`only professional ${PRO}`) });
  });

  it('refuses a withdrawal date that is invalid or before the request', () => {
    spec
      .given([requested()])
      .when(withdraw(PRO, '2026-04-31'))
      .thenThrows(invalid('on', expect.stringContaining('YYYY-MM-DD')));
    spec
      .given([requested()])
      .when(withdraw(PRO, '2026-03-01'))
      .thenThrows(invalid('on', expect.stringContaining('on or after the request')));
  });

  it('refuses a withdrawal after the decision, or a second one', () => {
    spec
      .given([...heard(), approved()])
      .when(withdraw())
      .thenThrows(lifecycle('approved'));
    spec
      .given([...heard(), rejected])
      .when(withdraw())
      .thenThrows(lifecycle('rejected'));
    spec.given([requested(), withdrawn]).when(withdraw()).thenThrows(lifecycle('withdrawn'));
  });

  it('refuses to withdraw a request that does not exist', () => spec.given([]).when(withdraw()).thenThrows(NotFoundError));

  it('checks who withdraws only on a pending request (a decided one says so first)', () =>
    spec
      .given([...heard(), approved()])
      .when(withdraw('someone-else'))
      .thenThrows(lifecycle('approved')));
});

describe('state', () => {
  it('folds the opinions, the status and the dates', () => {
    const fold = (events: MobilityEvent[]): Mobility => events.reduce(mobilityDecider.evolve, mobilityDecider.initialState()) as Mobility;
    expect(fold([requested()])).toMatchObject({ status: 'pending', opinions: {} });
    expect(fold([requested(), opinionGiven('origin', unfavourable)]).opinions).toEqual({ origin: unfavourable });
    expect(fold([...heard(), approved()])).toMatchObject({ status: 'approved', effectiveOn: '2026-09-01' });
    expect(fold([...heard(), rejected]).status).toBe('rejected');
    expect(fold([requested(), withdrawn])).toMatchObject({ status: 'withdrawn', withdrawnOn: '2026-04-01' });
  });
});
