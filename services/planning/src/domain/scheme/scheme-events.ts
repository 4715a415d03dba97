import type { DomainEvent } from '@pcn/eventsourcing';
import type { CollegeTally, College, Stage, Vote } from './consultation';
import type { Proposal } from './proposal';
import type { SchemeTerritory } from './scheme-commands';

/** An unfavourable opinion, or a college that gave none, carried back to the draft. */
export interface Objection {
  readonly stage: Stage;
  readonly college: College;
  /** Absent when the college gave no opinion at all. */
  readonly participant?: string;
  readonly opinion: string;
}

export type SchemeEvent =
  | DomainEvent<'SchemeDrafted', { schemeId: string; territory: SchemeTerritory; title: string; draftedBy: string }>
  | DomainEvent<'ProposalAdded', { proposal: Proposal; addedBy: string; /** ISO date; absent in events recorded before it was kept. */ addedOn?: string }>
  | DomainEvent<'ProposalRemoved', { proposalId: string; removedBy: string }>
  | DomainEvent<'ConsultationStageOpened', { stage: Stage; round: number; openedBy: string }>
  | DomainEvent<'OpinionSubmitted', { stage: Stage; college: College; participant: string; vote: Vote; opinion: string }>
  | DomainEvent<'ConsultationStageApproved', { stage: Stage; round: number; tally: CollegeTally[]; closedBy: string }>
  | DomainEvent<'ConsultationStageRejected', { stage: Stage; round: number; tally: CollegeTally[]; closedBy: string }>
  | DomainEvent<'SchemeReturnedToDraft', { stage: Stage; objections: Objection[] }>
  | DomainEvent<'SchemeAdopted', { schemeId: string; territory: SchemeTerritory; proposals: Proposal[]; adoptedAfterRound: number }>
  | DomainEvent<'ProposalFulfilled', { proposalId: string; centreFiness: string; communeCode: string; accreditedOn: string }>;
