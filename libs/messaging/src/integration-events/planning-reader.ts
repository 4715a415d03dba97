import { planningEventsV1 as ev } from '@pcn/contracts';
import { fields, schema, topicReader, type ReadEvent } from './topic-reader';
import { UnreadablePlanningMessageError } from './unreadable-errors';

/** The planning topic, keyed by scheme id: one scheme's events stay in order. */
export const PLANNING_TOPIC = 'pcn.planning.v1';

const planningSchemas = {
  SchemeDrafted: schema(ev.SchemeDrafted, (e) => fields().text('scheme_id', e.schemeId).message('territory', e.territory).problems),
  ProposalAdded: schema(
    ev.ProposalAdded,
    (e) =>
      fields()
        .text('scheme_id', e.schemeId)
        .message('proposal', e.proposal, (checks, p) => void checks.text('proposal.proposal_id', p.proposalId)).problems,
  ),
  ProposalRemoved: schema(ev.ProposalRemoved, (e) => fields().text('scheme_id', e.schemeId).text('proposal_id', e.proposalId).problems),
  ConsultationStageOpened: schema(ev.ConsultationStageOpened, (e) => fields().text('scheme_id', e.schemeId).text('stage', e.stage).problems),
  OpinionSubmitted: schema(ev.OpinionSubmitted, (e) => fields().text('scheme_id', e.schemeId).text('stage', e.stage).message('opinion', e.opinion).problems),
  ConsultationStageClosed: schema(ev.ConsultationStageClosed, (e) => fields().text('scheme_id', e.schemeId).text('stage', e.stage).problems),
  SchemeReturnedToDraft: schema(ev.SchemeReturnedToDraft, (e) => fields().text('scheme_id', e.schemeId).text('stage', e.stage).problems),
  SchemeAdopted: schema(ev.SchemeAdopted, (e) => fields().text('scheme_id', e.schemeId).message('territory', e.territory).problems),
  ProposalFulfilled: schema(
    ev.ProposalFulfilled,
    (e) =>
      fields().text('scheme_id', e.schemeId).text('proposal_id', e.proposalId).text('centre_finess', e.centreFiness).date('accredited_on', e.accreditedOn)
        .problems,
  ),
};

export type PlanningEvent = ReadEvent<typeof planningSchemas>;

export const planningReader = topicReader(PLANNING_TOPIC, (message, why) => new UnreadablePlanningMessageError(message, why), planningSchemas);
