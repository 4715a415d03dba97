import type { College, SchemeLevel, Stage, Vote } from './consultation';
import type { Proposal } from './proposal';

export interface SchemeTerritory {
  readonly level: SchemeLevel;
  readonly code: string;
}

export type SchemeCommand =
  | { readonly type: 'DraftScheme'; readonly schemeId: string; readonly territory: SchemeTerritory; readonly title: string; readonly draftedBy: string }
  | { readonly type: 'AddProposal'; readonly proposal: Proposal; readonly addedBy: string }
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
  /** The registry accredited a centre: it fulfils an adopted proposal to open one in its commune. */
  | { readonly type: 'RecordCentreAccredited'; readonly centreFiness: string; readonly communeCode: string; readonly accreditedOn: string };
