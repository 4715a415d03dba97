import { AlreadyExistsError, NotFoundError, PreconditionFailedError, ValidationError, type Decider, type FieldViolation } from '@pcn/eventsourcing';
import { COLLEGES, SCHEME_LEVELS, STAGES, VOTES, stagesFor, tally, type Opinion, type Stage } from './consultation';
import { proposalFulfilledBy } from './fulfilment';
import { proposalViolations } from './proposal';
import type { SchemeCommand, SchemeTerritory } from './scheme-commands';
import type { Objection, SchemeEvent } from './scheme-events';
import type { Scheme, SchemeState } from './scheme-state';

export const schemeStreamId = (schemeId: string): string => `scheme-${schemeId}`;

const TERRITORY_CODE: Record<SchemeTerritory['level'], RegExp> = {
  departement: /^(\d{2}|2[AB]|97[1-6])$/u,
  region: /^\d{2}$/u,
  nation: /^FR$/u,
};
const MAX_TEXT = 4000;

function refuseInvalid(violations: FieldViolation[]): void {
  if (violations.length > 0) throw new ValidationError(violations);
}

function required(field: string, value: string): FieldViolation[] {
  if (value.trim() === '') return [{ field, description: 'is required' }];
  return value.length > MAX_TEXT ? [{ field, description: `must be at most ${MAX_TEXT} characters, got ${value.length}` }] : [];
}

function opinionViolations(vote: string, opinion: string): FieldViolation[] {
  if (vote === 'unfavourable') return required('opinion', opinion);
  return opinion.length > MAX_TEXT ? [{ field: 'opinion', description: `must be at most ${MAX_TEXT} characters, got ${opinion.length}` }] : [];
}

function existing(state: SchemeState): Scheme {
  if (!state.exists) throw new NotFoundError('scheme', '(unknown)');
  return state;
}

function lifecycle(scheme: Scheme, action: string, expected: string): PreconditionFailedError {
  return new PreconditionFailedError(`cannot ${action}: scheme ${scheme.schemeId} is ${scheme.status}`, [
    { type: 'LIFECYCLE', subject: 'status', description: `${action} requires ${expected}, found ${scheme.status}` },
  ]);
}

function inDraft(scheme: Scheme, action: string): void {
  if (scheme.status !== 'draft') throw lifecycle(scheme, action, 'a draft');
}

/** The stage that is open, or a refusal naming the one that is (or that none is). */
function openStage(scheme: Scheme, stage: Stage, action: string): Opinion[] {
  if (scheme.openStage?.stage !== stage) {
    const open = scheme.openStage ? `the ${scheme.openStage.stage} stage is open` : 'no stage is open';
    throw new PreconditionFailedError(`cannot ${action} at the ${stage} stage of scheme ${scheme.schemeId}: ${open}`, [
      { type: 'CONSULTATION', subject: 'stage', description: `${action} requires the ${stage} stage to be open; ${open}` },
    ]);
  }
  return [...scheme.openStage.opinions];
}

function objectionsOf(stage: Stage, opinions: readonly Opinion[]): Objection[] {
  const result: Objection[] = opinions
    .filter((opinion) => opinion.vote === 'unfavourable')
    .map(({ college, participant, opinion }) => ({ stage, college, participant, opinion }));
  for (const college of COLLEGES) {
    if (!opinions.some((opinion) => opinion.college === college)) result.push({ stage, college, opinion: 'no opinion given by this college' });
  }
  return result;
}

export const schemeDecider: Decider<SchemeCommand, SchemeState, SchemeEvent> = {
  initialState: () => ({ exists: false }),

  decide(command, state): SchemeEvent[] {
    switch (command.type) {
      case 'DraftScheme': {
        if (state.exists) throw new AlreadyExistsError('scheme', command.schemeId);
        const { level, code } = command.territory;
        const levelKnown = (SCHEME_LEVELS as readonly string[]).includes(level);
        refuseInvalid([
          ...required('schemeId', command.schemeId),
          ...required('title', command.title),
          ...(levelKnown ? [] : [{ field: 'territory.level', description: `must be one of ${SCHEME_LEVELS.join(', ')}, got "${level}"` }]),
          ...(levelKnown && !TERRITORY_CODE[level].test(code) ? [{ field: 'territory.code', description: `is not a ${level} code: "${code}"` }] : []),
        ]);
        const { type: _type, ...data } = command;
        return [{ type: 'SchemeDrafted', data }];
      }
      case 'AddProposal': {
        const scheme = existing(state);
        inDraft(scheme, 'add a proposal');
        refuseInvalid(proposalViolations(command.proposal));
        if (scheme.proposals.some((p) => p.proposalId === command.proposal.proposalId)) throw new AlreadyExistsError('proposal', command.proposal.proposalId);
        return [{ type: 'ProposalAdded', data: { proposal: command.proposal, addedBy: command.addedBy, addedOn: command.addedOn } }];
      }
      case 'RemoveProposal': {
        const scheme = existing(state);
        inDraft(scheme, 'remove a proposal');
        if (!scheme.proposals.some((p) => p.proposalId === command.proposalId)) throw new NotFoundError('proposal', command.proposalId);
        return [{ type: 'ProposalRemoved', data: { proposalId: command.proposalId, removedBy: command.removedBy } }];
      }
      case 'OpenConsultationStage': {
        const scheme = existing(state);
        refuseInvalid(
          (STAGES as readonly string[]).includes(command.stage)
            ? []
            : [{ field: 'stage', description: `must be one of ${STAGES.join(', ')}, got "${command.stage}"` }],
        );
        if (scheme.status === 'adopted') throw lifecycle(scheme, 'open a consultation stage', 'a scheme not yet adopted');
        if (scheme.openStage) {
          throw new PreconditionFailedError(
            `cannot open the ${command.stage} stage of scheme ${scheme.schemeId}: the ${scheme.openStage.stage} stage is still open`,
            [{ type: 'CONSULTATION', subject: 'stage', description: `close the ${scheme.openStage.stage} stage first` }],
          );
        }
        const stages = stagesFor(scheme.territory.level);
        if (!stages.includes(command.stage)) {
          throw new PreconditionFailedError(`a scheme for a ${scheme.territory.level} stops at the ${stages.at(-1)} stage, not ${command.stage}`, [
            { type: 'CONSULTATION', subject: 'stage', description: `stages of this scheme: ${stages.join(', ')}` },
          ]);
        }
        const next = stages[scheme.approvedStages.length]!;
        if (command.stage !== next) {
          throw new PreconditionFailedError(`the next stage of scheme ${scheme.schemeId} is ${next}, not ${command.stage}`, [
            {
              type: 'CONSULTATION',
              subject: 'stage',
              description: `stages go ${stages.join(' → ')}; approved so far: ${scheme.approvedStages.join(', ') || 'none'}`,
            },
          ]);
        }
        if (scheme.proposals.length === 0) {
          throw new PreconditionFailedError(`scheme ${scheme.schemeId} has no proposal to consult on`, [
            { type: 'CONSULTATION', subject: 'proposals', description: 'add at least one proposal before opening the consultation' },
          ]);
        }
        const round = next === 'local' ? scheme.round + 1 : scheme.round;
        return [{ type: 'ConsultationStageOpened', data: { stage: command.stage, round, openedBy: command.openedBy } }];
      }
      case 'SubmitOpinion': {
        const scheme = existing(state);
        refuseInvalid([
          ...((COLLEGES as readonly string[]).includes(command.college)
            ? []
            : [{ field: 'college', description: `must be one of ${COLLEGES.join(', ')}, got "${command.college}"` }]),
          ...((VOTES as readonly string[]).includes(command.vote)
            ? []
            : [{ field: 'vote', description: `must be one of ${VOTES.join(', ')}, got "${command.vote}"` }]),
          ...required('participant', command.participant),
          // An objection goes back to the draft: it must say what to change.
          ...opinionViolations(command.vote, command.opinion),
        ]);
        openStage(scheme, command.stage, 'give an opinion');
        const { type: _type, ...data } = command;
        return [{ type: 'OpinionSubmitted', data }];
      }
      case 'CloseConsultationStage': {
        const scheme = existing(state);
        const opinions = openStage(scheme, command.stage, 'close a stage');
        const counts = tally(opinions);
        const base = { stage: command.stage, round: scheme.round, tally: counts, closedBy: command.closedBy };
        if (!counts.every((college) => college.approves)) {
          return [
            { type: 'ConsultationStageRejected', data: base },
            { type: 'SchemeReturnedToDraft', data: { stage: command.stage, objections: objectionsOf(command.stage, opinions) } },
          ];
        }
        const approved: SchemeEvent = { type: 'ConsultationStageApproved', data: base };
        if (command.stage !== stagesFor(scheme.territory.level).at(-1)) return [approved];
        return [
          approved,
          {
            type: 'SchemeAdopted',
            data: { schemeId: scheme.schemeId, territory: scheme.territory, proposals: [...scheme.proposals], adoptedAfterRound: scheme.round },
          },
        ];
      }
      case 'RecordCentreAccredited': {
        const proposal = state.exists ? proposalFulfilledBy(state, command) : undefined;
        if (proposal === undefined) return [];
        const { centreFiness, communeCode, accreditedOn } = command;
        return [{ type: 'ProposalFulfilled', data: { proposalId: proposal.proposalId, centreFiness, communeCode, accreditedOn } }];
      }
    }
  },

  evolve(state, event): SchemeState {
    if (event.type === 'SchemeDrafted') {
      const { schemeId, territory, title } = event.data;
      return {
        exists: true,
        schemeId,
        territory,
        title,
        status: 'draft',
        proposals: [],
        proposedOn: {},
        round: 0,
        approvedStages: [],
        objections: [],
        fulfilled: {},
      };
    }
    if (!state.exists) return state;
    switch (event.type) {
      case 'ProposalAdded': {
        const { proposal, addedOn } = event.data;
        return {
          ...state,
          proposals: [...state.proposals, proposal],
          ...(addedOn !== undefined && { proposedOn: { ...state.proposedOn, [proposal.proposalId]: addedOn } }),
        };
      }
      case 'ProposalRemoved': {
        const { [event.data.proposalId]: _removed, ...proposedOn } = state.proposedOn;
        return { ...state, proposals: state.proposals.filter((p) => p.proposalId !== event.data.proposalId), proposedOn };
      }
      case 'ConsultationStageOpened':
        return {
          ...state,
          status: 'consulting',
          round: event.data.round,
          openStage: { stage: event.data.stage, opinions: [] },
          ...(event.data.stage === 'local' && { approvedStages: [], objections: [] }),
        };
      case 'OpinionSubmitted': {
        if (!state.openStage) return state;
        const { college, participant, vote, opinion } = event.data;
        // A participant may change their mind while the stage is open: the last opinion counts.
        const others = state.openStage.opinions.filter((o) => !(o.college === college && o.participant === participant));
        return { ...state, openStage: { ...state.openStage, opinions: [...others, { college, participant, vote, opinion }] } };
      }
      case 'ConsultationStageApproved': {
        const { openStage: _closed, ...rest } = state;
        return { ...rest, approvedStages: [...state.approvedStages, event.data.stage] };
      }
      case 'ConsultationStageRejected': {
        const { openStage: _closed, ...rest } = state;
        return rest;
      }
      case 'SchemeReturnedToDraft':
        return { ...state, status: 'draft', approvedStages: [], objections: event.data.objections };
      case 'SchemeAdopted':
        return { ...state, status: 'adopted' };
      case 'ProposalFulfilled': {
        const { proposalId, centreFiness, accreditedOn } = event.data;
        return { ...state, fulfilled: { ...state.fulfilled, [proposalId]: { centreFiness, accreditedOn } } };
      }
    }
  },
};
