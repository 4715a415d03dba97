import { planningEventsV1 as ev, planningV1 as pb } from '@pcn/contracts';
import { eventMessage, PLANNING_TOPIC, type EventMapper, type OutgoingMessage } from '@pcn/messaging';
import type { CollegeTally, Proposal, SchemeEvent } from '../../domain/scheme';

export const PLANNING_SOURCE = '/pcn/planning';
export const SCHEME_PREFIX = 'scheme-';

type Payload = { readonly type: string; readonly data: Uint8Array };

const proposalMessage = (p: Proposal): pb.Proposal =>
  pb.Proposal.fromPartial({
    proposalId: p.proposalId,
    kind: p.kind,
    staffing: p.staffing.map((s) => ({ profession: s.profession, fte: s.fte })),
    ...(p.kind === 'open-centre' ? { communeCode: p.communeCode } : { centreFiness: p.centreFiness }),
  });
const tallyMessage = (t: CollegeTally): ev.CollegeTally => ({ ...t });

/** The protobuf payload of a scheme event: every step of a scheme leaves, without who performed it (that stays in planning's log). */
function payloadOf(event: SchemeEvent, schemeId: string, occurredAt: Date): Payload {
  switch (event.type) {
    case 'SchemeDrafted':
      return {
        type: event.type,
        data: ev.SchemeDrafted.encode({ schemeId, territory: { ...event.data.territory }, title: event.data.title, occurredAt }).finish(),
      };
    case 'ProposalAdded':
      return { type: event.type, data: ev.ProposalAdded.encode({ schemeId, proposal: proposalMessage(event.data.proposal), occurredAt }).finish() };
    case 'ProposalRemoved':
      return { type: event.type, data: ev.ProposalRemoved.encode({ schemeId, proposalId: event.data.proposalId, occurredAt }).finish() };
    case 'ConsultationStageOpened':
      return { type: event.type, data: ev.ConsultationStageOpened.encode({ schemeId, stage: event.data.stage, round: event.data.round, occurredAt }).finish() };
    case 'OpinionSubmitted': {
      const { stage, ...opinion } = event.data;
      return { type: event.type, data: ev.OpinionSubmitted.encode({ schemeId, stage, opinion, occurredAt }).finish() };
    }
    case 'ConsultationStageApproved':
    case 'ConsultationStageRejected':
      return {
        type: 'ConsultationStageClosed',
        data: ev.ConsultationStageClosed.encode({
          schemeId,
          stage: event.data.stage,
          round: event.data.round,
          approved: event.type === 'ConsultationStageApproved',
          tally: event.data.tally.map(tallyMessage),
          occurredAt,
        }).finish(),
      };
    case 'SchemeReturnedToDraft':
      return {
        type: event.type,
        data: ev.SchemeReturnedToDraft.encode({
          schemeId,
          stage: event.data.stage,
          objections: event.data.objections.map((o) => ({ stage: o.stage, college: o.college, participant: o.participant ?? '', opinion: o.opinion })),
          occurredAt,
        }).finish(),
      };
    case 'SchemeAdopted':
      return {
        type: event.type,
        data: ev.SchemeAdopted.encode({
          schemeId,
          territory: { ...event.data.territory },
          proposals: event.data.proposals.map(proposalMessage),
          adoptedAfterRound: event.data.adoptedAfterRound,
          occurredAt,
        }).finish(),
      };
    case 'ProposalFulfilled':
      return { type: event.type, data: ev.ProposalFulfilled.encode({ schemeId, ...event.data, occurredAt }).finish() };
  }
}

/**
 * What `pcn.planning.v1` carries: every step of every scheme, keyed by scheme id so that one
 * scheme's events stay in order. Envelope: `eventMessage` (id = event id, `ce_type` = the protobuf
 * message, trace context). A stage's approval and rejection both leave as `ConsultationStageClosed`
 * (`approved` says which); a rejection is followed by `SchemeReturnedToDraft`.
 */
export function planningEventMapper(): EventMapper {
  return async (recorded): Promise<OutgoingMessage | undefined> => {
    if (!recorded.streamId.startsWith(SCHEME_PREFIX)) return undefined;
    const schemeId = recorded.streamId.slice(SCHEME_PREFIX.length);
    const payload = payloadOf({ type: recorded.type, data: recorded.data } as SchemeEvent, schemeId, new Date(recorded.metadata.occurredAt));
    return eventMessage(recorded, { topic: PLANNING_TOPIC, source: PLANNING_SOURCE, message: payload.type, key: schemeId, data: payload.data });
  };
}
