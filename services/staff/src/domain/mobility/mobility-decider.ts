import {
  AlreadyExistsError,
  NotFoundError,
  PermissionDeniedError,
  PreconditionFailedError,
  ValidationError,
  type Decider,
  type FieldViolation,
  type PreconditionViolation,
} from '@pcn/eventsourcing';
import { FTE_SCALE } from '../statute/fte';
import { isIsoDate } from '@pcn/time';
import type { MobilityCommand } from './mobility-commands';
import { OPINION_SIDES, type MobilityEvent, type MobilityTerm, type MobilityTerms, type Opinions } from './mobility-events';
import { centreOf, type Mobility, type MobilityState } from './mobility-state';

export const mobilityStreamId = (mobilityId: string): string => `mobility-${mobilityId}`;

const KIND_NAMES = { transfer: 'transfer', secondment: 'secondment', temporary_assignment: 'temporary assignment' } as const;

function dateViolation(field: string, value: string): FieldViolation[] {
  return isIsoDate(value) ? [] : [{ field, description: `must be a calendar date written YYYY-MM-DD, got "${value}"` }];
}

function fteViolation(field: string, fte: number): FieldViolation[] {
  return Number.isInteger(fte) && fte >= 1 && fte <= FTE_SCALE
    ? []
    : [{ field, description: `must be a whole number of ten-thousandths of a full-time post, from 1 to ${FTE_SCALE} (0.0001 to 1.0), got ${fte}` }];
}

const blank = (text: string | undefined): boolean => text === undefined || text.trim() === '';

function refuseInvalid(violations: FieldViolation[]): void {
  if (violations.length > 0) throw new ValidationError(violations);
}

function existing(state: MobilityState): Mobility {
  if (!state.exists) throw new NotFoundError('mobility', '(unknown)');
  return state;
}

/** Approved, rejected and withdrawn are final: a new movement is a new request. */
function pending(mobility: Mobility, action: string): Mobility {
  if (mobility.status === 'pending') return mobility;
  throw new PreconditionFailedError(`cannot ${action} mobility ${mobility.terms.mobilityId}: it was ${mobility.status}`, [
    { type: 'LIFECYCLE', subject: 'status', description: `${action} requires a pending request, found ${mobility.status}` },
  ]);
}

function requestViolations(command: Extract<MobilityCommand, { type: 'RequestMobility' }>): FieldViolation[] {
  const { kind, endOn, requestedOn } = command;
  const violations = [
    ...fteViolation('fte', command.fte),
    ...(command.originFte === undefined ? [] : fteViolation('originFte', command.originFte)),
    ...dateViolation('requestedOn', requestedOn),
  ];
  if (kind === 'transfer') {
    if (endOn !== undefined) violations.push({ field: 'endOn', description: 'must not be set for a transfer: a transfer is for good' });
  } else if (endOn === undefined) {
    violations.push({ field: 'endOn', description: `is required for a ${KIND_NAMES[kind]}` });
  } else if (!isIsoDate(endOn)) {
    violations.push(...dateViolation('endOn', endOn));
  } else if (isIsoDate(requestedOn) && endOn <= requestedOn) {
    violations.push({ field: 'endOn', description: `must be after requestedOn (${requestedOn}), got ${endOn}` });
  }
  if (command.originCentreFiness === command.destinationCentreFiness) {
    violations.push({ field: 'destinationCentreFiness', description: `must differ from the origin centre (${command.originCentreFiness})` });
  }
  return violations;
}

export const mobilityDecider: Decider<MobilityCommand, MobilityState, MobilityEvent> = {
  initialState: () => ({ exists: false }),

  decide(command, state): MobilityEvent[] {
    if (command.type === 'RequestMobility') {
      if (state.exists) throw new AlreadyExistsError('mobility', command.mobilityId);
      refuseInvalid(requestViolations(command));
      const { type: _type, kind, endOn, originFte, ...rest } = command;
      // Checked above: a transfer has no end, the fixed-term movements have one.
      const term: MobilityTerm = kind === 'transfer' ? { kind } : { kind, endOn: endOn! };
      const terms: MobilityTerms = { ...rest, ...term, originFte: originFte ?? command.fte };
      return [{ type: 'MobilityRequested', data: terms }];
    }
    const m = existing(state);
    const { terms } = m;
    switch (command.type) {
      case 'GiveOpinion': {
        // An unfavourable opinion must give its grounds: the coordinator decides on them.
        if (command.opinion === 'unfavourable' && blank(command.comment)) {
          throw ValidationError.field('comment', 'is required with an unfavourable opinion: give the grounds the coordinator will weigh');
        }
        pending(m, 'give an opinion on');
        const given = m.opinions[command.side];
        if (given) {
          throw new PreconditionFailedError(
            `the ${command.side} centre ${centreOf(terms, command.side)} already gave its opinion on mobility ${terms.mobilityId}`,
            [
              {
                type: 'OPINION',
                subject: `opinions.${command.side}`,
                description: `a ${given.opinion} opinion was given by ${given.by}; each centre gives one`,
              },
            ],
          );
        }
        const { side, opinion, comment, by } = command;
        return [
          {
            type: 'MobilityOpinionGiven',
            data: { mobilityId: terms.mobilityId, side, centreFiness: centreOf(terms, side), opinion, ...(comment !== undefined && { comment }), by },
          },
        ];
      }
      case 'DecideMobility': {
        const { decision, effectiveOn, reason, decidedBy } = command;
        if (decision === 'approved') {
          if (effectiveOn === undefined) throw ValidationError.field('effectiveOn', 'is required to approve a mobility');
          refuseInvalid(dateViolation('effectiveOn', effectiveOn));
          if (effectiveOn < terms.requestedOn)
            throw ValidationError.field('effectiveOn', `must be on or after the request (${terms.requestedOn}), got ${effectiveOn}`);
          if (terms.endOn !== undefined && effectiveOn >= terms.endOn) {
            throw ValidationError.field('effectiveOn', `must be before the end of the ${KIND_NAMES[terms.kind]} (${terms.endOn}), got ${effectiveOn}`);
          }
        } else {
          if (effectiveOn !== undefined) throw ValidationError.field('effectiveOn', 'must not be set for a rejection: nothing takes effect');
          // An unfavourable individual decision states its grounds (CRPA, art. L211-2).
          if (blank(reason)) throw ValidationError.field('reason', 'is required to reject a mobility');
        }
        pending(m, 'decide');
        const missing: PreconditionViolation[] = OPINION_SIDES.filter((side) => m.opinions[side] === undefined).map((side) => ({
          type: 'OPINION_MISSING',
          subject: `opinions.${side}`,
          description: `the ${side} centre ${centreOf(terms, side)} has not given its opinion`,
        }));
        if (missing.length > 0) {
          throw new PreconditionFailedError(`cannot decide mobility ${terms.mobilityId} before both centres have given their opinion`, missing);
        }
        const opinions: Opinions = { origin: m.opinions.origin!, destination: m.opinions.destination! };
        if (decision === 'approved') {
          return [{ type: 'MobilityApproved', data: { ...terms, effectiveOn: effectiveOn!, opinions, ...(reason !== undefined && { reason }), decidedBy } }];
        }
        return [{ type: 'MobilityRejected', data: { ...terms, opinions, reason: reason!, decidedBy } }];
      }
      case 'WithdrawMobility': {
        refuseInvalid(dateViolation('on', command.on));
        if (command.on < terms.requestedOn) throw ValidationError.field('on', `must be on or after the request (${terms.requestedOn}), got ${command.on}`);
        pending(m, 'withdraw');
        if (command.by !== terms.professionalId) {
          throw new PermissionDeniedError(
            `only professional ${terms.professionalId} may withdraw mobility ${terms.mobilityId}; a coordinator rejects it instead`,
          );
        }
        return [
          {
            type: 'MobilityWithdrawn',
            data: { mobilityId: terms.mobilityId, professionalId: terms.professionalId, vacancyId: terms.vacancyId, by: command.by, on: command.on },
          },
        ];
      }
    }
  },

  evolve(state, event): MobilityState {
    if (event.type === 'MobilityRequested') return { exists: true, terms: event.data, status: 'pending', opinions: {} };
    if (!state.exists) return state;
    switch (event.type) {
      case 'MobilityOpinionGiven': {
        const { side, opinion, comment, by } = event.data;
        return { ...state, opinions: { ...state.opinions, [side]: { opinion, ...(comment !== undefined && { comment }), by } } };
      }
      case 'MobilityApproved':
        return { ...state, status: 'approved', effectiveOn: event.data.effectiveOn };
      case 'MobilityRejected':
        return { ...state, status: 'rejected' };
      case 'MobilityWithdrawn':
        return { ...state, status: 'withdrawn', withdrawnOn: event.data.on };
    }
  },
};
