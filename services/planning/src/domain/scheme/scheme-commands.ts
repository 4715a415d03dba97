import type { College, SchemeLevel, Stage, Vote } from './consultation';
import type { AccreditedCentre } from './fulfilment';
import type { Proposal } from './proposal';

export interface SchemeTerritory {
  readonly level: SchemeLevel;
  readonly code: string;
}

export type SchemeCommand =
  | { readonly type: 'DraftScheme'; readonly schemeId: string; readonly territory: SchemeTerritory; readonly title: string; readonly draftedBy: string }
  | {
      readonly type: 'AddProposal';
      readonly proposal: Proposal;
      readonly addedBy: string;
      /** Today (ISO date), from the application's clock. */ readonly addedOn: string;
    }
  | { readonly type: 'RemoveProposal'; readonly proposalId: string; readonly removedBy: string }
  | { readonly type: 'OpenConsultationStage'; readonly stage: Stage; readonly openedBy: string }
  | {
      readonly type: 'SubmitOpinion';
      readonly stage: Stage;
      readonly college: College;
      readonly participant: string;
      readonly vote: Vote;
      readonly opinion: string;
    }
  | { readonly type: 'CloseConsultationStage'; readonly stage: Stage; readonly closedBy: string }
  /** The registry accredited a centre: it may fulfil an adopted proposal to open one in its commune (see `fulfils`). */
  | ({ readonly type: 'RecordCentreAccredited' } & AccreditedCentre);
