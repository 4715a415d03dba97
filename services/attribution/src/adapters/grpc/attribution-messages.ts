import { attributionV1 as pb } from '@pcn/contracts';
import { compact, fromProtoEnum, positive, text, toProtoEnum } from '@pcn/grpc';
import type { Period } from '../../domain/iso-date';
import type { Enroller } from '../../domain/patient/patient-events';
import type { PatientRef } from '../../application/patient-ref';
import type { RosterView } from '../../application/reports';
import type {
  AttributionHistoryView,
  AttributionView,
  CoverageFigures,
  CoverageView,
  MatchView,
  PanelView,
  PatientView,
  ProposalView,
  WaitlistView,
} from '../../application/views';

const sex = (v: number | undefined) => fromProtoEnum(pb.Sex, 'SEX_', v);
const channel = (v: number | undefined) => fromProtoEnum(pb.DeclarationChannel, 'DECLARATION_CHANNEL_', v);
const endReason = (v: number | undefined) => fromProtoEnum(pb.EndReason, 'END_REASON_', v);
const territoryKind = (v: number | undefined) => fromProtoEnum(pb.TerritoryKind, 'TERRITORY_KIND_', v);

/* Requests → the same plain inputs the REST API gives the application, which validates them. */

/** The oneof as the application's reference; neither set is reported on `patient`. */
export function patientRef(ref: pb.PatientRef | undefined): PatientRef {
  switch (ref?.ref?.$case) {
    case 'nir':
      return { nir: ref.ref.value };
    case 'patientId':
      return { patientId: ref.ref.value };
    default:
      return { patientId: undefined };
  }
}

const periodInput = (p: pb.Period): Record<string, unknown> => compact({ start: text(p.start), end: text(p.end) });

export function registerInput(req: pb.RegisterPatientRequest): Record<string, unknown> {
  return compact({
    nir: text(req.nir),
    birthDate: text(req.birthDate),
    sex: sex(req.sex),
    communeInsee: text(req.communeInsee),
    ald: req.ald.map(periodInput),
    c2s: req.c2s.map(periodInput),
  });
}

/**
 * Only what is present: `optional` scalars as given (a present empty string is validated, not
 * dropped), SEX_UNSPECIFIED as absent, and a present `PeriodList` (even empty) replaces the list.
 */
export function updateInput(req: pb.UpdatePatientRequest): Record<string, unknown> {
  return compact({
    birthDate: req.birthDate,
    sex: sex(req.sex),
    communeInsee: req.communeInsee,
    ald: req.ald?.periods.map(periodInput),
    c2s: req.c2s?.periods.map(periodInput),
  });
}

export const declareInput = (req: pb.DeclareMedecinTraitantRequest): Record<string, unknown> =>
  compact({ rpps: text(req.rpps), centreFiness: text(req.centreFiness), effectiveDate: text(req.effectiveDate), channel: channel(req.channel) });

export const endInput = (req: pb.EndAttributionRequest): Record<string, unknown> => compact({ endDate: text(req.endDate), reason: endReason(req.reason) });

export const panelInput = (req: pb.GetPanelRequest): Record<string, unknown> =>
  compact({ rpps: text(req.rpps), pageSize: positive(req.pageSize), pageToken: text(req.pageToken) });

/** An absent capacity is `null`: back to FTE × norm. */
export const setCapacityInput = (req: pb.SetPanelCapacityRequest): Record<string, unknown> =>
  compact({ rpps: text(req.rpps), capacity: req.capacity ?? null, reason: text(req.reason) });

export const rosterInput = (req: pb.GetCentreRosterRequest): Record<string, unknown> =>
  compact({ centreFiness: text(req.centreFiness), asOf: text(req.asOf), pageSize: positive(req.pageSize), pageToken: text(req.pageToken) });

export const enrolInput = (req: pb.EnrolOnWaitlistRequest): Record<string, unknown> => compact({ centreFiness: text(req.centreFiness) });

const territoryInput = (t: pb.Territory | undefined): Record<string, unknown> | undefined => t && compact({ kind: territoryKind(t.kind), code: text(t.code) });

export const matchInput = (req: pb.MatchWaitlistRequest): Record<string, unknown> =>
  compact({ territory: territoryInput(req.territory), maxDistanceKm: req.maxDistanceKm, limit: positive(req.limit) });

export const confirmInput = (req: pb.ConfirmProposalRequest): Record<string, unknown> => compact({ proposalId: text(req.proposalId) });

export const declineInput = (req: pb.DeclineProposalRequest): Record<string, unknown> =>
  compact({ proposalId: text(req.proposalId), reason: text(req.reason) });

export const coverageInput = (req: pb.GetCoverageRequest): Record<string, unknown> =>
  compact({ territory: territoryInput(req.territory), asOf: text(req.asOf) });

/* Views → messages: absent optional values become proto3 defaults ('' and UNSPECIFIED). */

export const sexEnum = (s: string): pb.Sex => toProtoEnum(pb.Sex, 'SEX_', s);
export const channelEnum = (c: string): pb.DeclarationChannel => toProtoEnum(pb.DeclarationChannel, 'DECLARATION_CHANNEL_', c);
export const endReasonEnum = (r: string | undefined): pb.EndReason =>
  r === undefined ? pb.EndReason.END_REASON_UNSPECIFIED : toProtoEnum(pb.EndReason, 'END_REASON_', r);
export const enrollerKindEnum = (k: Enroller['kind']): pb.EnrollerKind => toProtoEnum(pb.EnrollerKind, 'ENROLLER_KIND_', k);

export const toPeriod = (p: Period): pb.Period => ({ start: p.start, end: p.end ?? '' });

export function toAttributionRecord(a: AttributionView): pb.AttributionRecord {
  return {
    attributionId: a.attributionId,
    rpps: a.rpps,
    professionalId: a.professionalId,
    centreFiness: a.centreFiness,
    start: a.start,
    end: a.end ?? '',
    endReason: endReasonEnum(a.endReason),
    channel: channelEnum(a.channel),
  };
}

function toWaitlistPlace(w: WaitlistView): pb.WaitlistPlace {
  const e = w.enrolledBy;
  return {
    waitingSince: w.waitingSince,
    enrolledBy: {
      kind: enrollerKindEnum(e.kind),
      centreFiness: e.kind === 'centre' ? e.centreFiness : '',
      departureId: e.kind === 'departure' ? e.departureId : '',
    },
    topPriority: w.topPriority,
  };
}

export function toProposal(p: ProposalView): pb.Proposal {
  return {
    proposalId: p.proposalId,
    patientId: p.patientId,
    rpps: p.rpps,
    professionalId: p.professionalId,
    centreFiness: p.centreFiness,
    distanceKm: p.distanceKm,
    proposedOn: p.proposedOn,
  };
}

export function toPatientMessage(v: PatientView): pb.Patient {
  return {
    patientId: v.patientId,
    birthDate: v.birthDate,
    sex: sexEnum(v.sex),
    communeInsee: v.communeInsee,
    ald: v.ald.map(toPeriod),
    c2s: v.c2s.map(toPeriod),
    deceased: v.deceased,
    current: v.current && toAttributionRecord(v.current),
    waitlist: v.waitlist && toWaitlistPlace(v.waitlist),
    pendingProposal: v.pendingProposal && toProposal(v.pendingProposal),
    version: v.version,
  };
}

export function toAttributionHistory(v: AttributionHistoryView): pb.AttributionHistory {
  return { patientId: v.patientId, current: v.current && toAttributionRecord(v.current), history: v.history.map(toAttributionRecord) };
}

export function toPanelMessage(v: PanelView): pb.Panel {
  return pb.Panel.fromPartial({
    rpps: v.rpps,
    count: v.count,
    capacity: v.capacity,
    ...(v.capacityOverride !== undefined && { capacityOverride: v.capacityOverride }),
    asOf: v.asOf,
    patients: v.patients.map((m) => ({ patientId: m.patientId, attributionId: m.attributionId, centreFiness: m.centreFiness, since: m.since })),
    nextPageToken: v.nextPageToken ?? '',
  });
}

export function toRosterMessage(v: RosterView): pb.CentreRoster {
  return {
    centreFiness: v.centreFiness,
    asOf: v.asOf,
    entries: v.items.map((e) => ({
      patientId: e.patientId,
      attributionId: e.attributionId,
      rpps: e.rpps,
      since: e.since,
      until: e.until ?? '',
      birthYearMonth: e.birthYearMonth,
      sex: sexEnum(e.sex),
      communeInsee: e.communeInsee,
      ald: e.ald.map(toPeriod),
      c2s: e.c2s.map(toPeriod),
    })),
    nextPageToken: v.nextPageToken ?? '',
  };
}

export function toMatchResponse(v: MatchView): pb.MatchWaitlistResponse {
  return {
    proposals: v.proposals.map(toProposal),
    unmatched: v.unmatched.map((u) => ({ patientId: u.patientId, reason: toProtoEnum(pb.UnmatchedReason, 'UNMATCHED_REASON_', u.reason) })),
    considered: v.considered,
  };
}

const figures = (f: CoverageFigures): pb.CoverageFigures => ({
  inhabitants: f.inhabitants,
  patients: f.patients,
  withMedecinTraitant: f.withMedecinTraitant,
  withoutMedecinTraitant: f.withoutMedecinTraitant,
  chronicWithout: f.chronicWithout,
});

export function toCoverageMessage(v: CoverageView): pb.Coverage {
  return {
    territory: { kind: toProtoEnum(pb.TerritoryKind, 'TERRITORY_KIND_', v.territory.kind), code: v.territory.code },
    name: v.territory.name,
    asOf: v.asOf,
    totals: figures(v),
    parts: v.parts.map((p) => ({ code: p.code, name: p.name, figures: figures(p) })),
  };
}
