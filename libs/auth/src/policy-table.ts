import type { Role } from './identity';
import type { OperationPolicy, PolicyTable, ScopeCheck, TrailSpec } from './policy';

/*
 * THE access policy: every operation of every service, on both transports (the gRPC method name
 * is the REST route's operationId). A new service adds its entries here; an operation served
 * without an entry is refused at run time and fails the generated policy test.
 */

const N: Role = 'national_coordinator';
const R: Role = 'regional_coordinator';
const C: Role = 'centre';
const B: Role = 'billing';
const A: Role = 'auditor';
const P: Role = 'professional';
const EVERYONE: readonly Role[] = [N, R, C, B, A, P];

/** The FINESS a call names: `finess` (registry, REST paths) or `centreFiness` (attribution, staff bodies and messages). */
const byFiness: ScopeCheck = { by: 'finess', fields: ['finess', 'centreFiness'] };
const byRpps: ScopeCheck = { by: 'rpps', fields: ['rpps'] };
/** A professional's own record: the professional id named is the subject of their token. */
const bySelf: ScopeCheck = { by: 'self', fields: ['professionalId', 'id'] };
/**
 * A centre's own patients: those whose médecin traitant practises there, or (waitlist) the
 * proposals made to it. Only the patient's stream knows: the attribution application checks it
 * (services/attribution/src/domain/patient/centre-scope.ts).
 */
const byPatientsCentre: ScopeCheck = { by: 'application' };

const patientTrail: TrailSpec = { subject: 'patient', fields: ['patientId', 'patient'] };
const centreTrail: TrailSpec = { subject: 'centre', fields: ['centreFiness', 'finess'] };
const panelTrail: TrailSpec = { subject: 'practitioner', fields: ['rpps'] };

const allow = (roles: readonly Role[], scope?: ScopeCheck, trail?: TrailSpec): OperationPolicy => ({
  roles,
  ...(scope && { scope }),
  ...(trail && { trail }),
});

export const POLICY: PolicyTable = {
  // Registry: coordinators run the lifecycle; a centre amends and reads its own record.
  'registry.RegisterCentre': allow([N, R], byFiness),
  'registry.GetCentre': allow(EVERYONE),
  'registry.ListCentres': allow(EVERYONE),
  'registry.AmendCentre': allow([N, R, C], byFiness),
  'registry.AccreditCentre': allow([N, R], byFiness),
  'registry.SuspendCentre': allow([N, R], byFiness),
  'registry.ReinstateCentre': allow([N, R], byFiness),
  'registry.CloseCentre': allow([N, R], byFiness),
  'registry.GetCentreHistory': allow([N, R, C, A], byFiness),

  // Staff: the statute is national; teams and vacancies are the centres' and their région's.
  'staff.PublishPayGrid': allow([N]),
  'staff.PublishIndexPointValue': allow([N]),
  'staff.GetPayGrid': allow(EVERYONE),
  'staff.GetStatute': allow(EVERYONE),
  'staff.HireProfessional': allow([N, R]),
  // A professional's own career; regional coordinators do not see careers (a career spans régions).
  'staff.GetProfessional': allow([N, A, P], bySelf),
  'staff.ComputePay': allow([N, B, A, P], bySelf),
  'staff.GetProfessionalHistory': allow([N, A, P], bySelf),
  'staff.GetAssignment': allow([N, A, P], bySelf),
  'staff.AssignToCentre': allow([N, R, C], byFiness),
  'staff.EndAssignment': allow([N]),
  'staff.PromoteProfessional': allow([N]),
  'staff.RecordExit': allow([N]),
  'staff.PostVacancy': allow([N, R, C], byFiness),
  'staff.ListVacancies': allow(EVERYONE),
  'staff.GetVacancy': allow(EVERYONE),
  'staff.CancelVacancy': allow([N]),
  // A professional requests their own mobility and alone may withdraw it (the domain checks it is theirs).
  'staff.RequestMobility': allow([N, P], bySelf),
  'staff.GiveMobilityOpinion': allow([N]),
  'staff.DecideMobility': allow([N]),
  'staff.WithdrawMobility': allow([P], { by: 'application' }),
  'staff.GetMobility': allow([N, A]),
  'staff.ListCentreTeam': allow([N, R, C, B, A], byFiness),
  'staff.GetVacancyReport': allow([N, R, A]),
  'staff.GetPayEquityReport': allow([N, R, A]),
  'staff.RunAdvancements': allow([N]),

  // Attribution: patient-level data; every read of it is trailed.
  'attribution.RegisterPatient': allow([N, C]),
  'attribution.LookupPatient': allow([N, C], undefined, { subject: 'nir-lookup', fields: [] }),
  'attribution.GetPatient': allow([N, C, A], byPatientsCentre, patientTrail),
  'attribution.UpdatePatient': allow([N]),
  'attribution.DeclareMedecinTraitant': allow([N, C], byFiness),
  'attribution.EndAttribution': allow([N, C], byPatientsCentre),
  'attribution.GetAttribution': allow([N, C, A], byPatientsCentre, patientTrail),
  'attribution.GetPanel': allow([N, B, A, P], byRpps, panelTrail),
  'attribution.SetPanelCapacity': allow([N]),
  'attribution.GetCentreRoster': allow([N, R, C, B, A], byFiness, centreTrail),
  'attribution.EnrolOnWaitlist': allow([N, C], byFiness),
  'attribution.MatchWaitlist': allow([N]),
  'attribution.ConfirmProposal': allow([N, C], byPatientsCentre),
  'attribution.DeclineProposal': allow([N, C], byPatientsCentre),
  'attribution.GetCoverage': allow([N, R, A]),
  // Erasure (GDPR art. 17) is decided nationally: it destroys the patient's key for good.
  'attribution.ErasePatient': allow([N]),

  // Billing: billing staff run the money; a centre declares its mission units and reads its own
  // statements, whose lines are patient-level (trailed).
  'billing.PublishRateSchedule': allow([N]),
  'billing.GetRateSchedule': allow([N, R, C, B, A]),
  'billing.DeclareMissionActivity': allow([N, C, B], byFiness),
  'billing.RunPeriod': allow([N, B]),
  'billing.IssueStatement': allow([N, B]),
  'billing.GetStatement': allow([N, R, C, B, A], byFiness, centreTrail),
  'billing.ExportStatementCsv': allow([N, R, C, B, A], byFiness, centreTrail),
  'billing.ExportStatementFhir': allow([N, R, C, B, A], byFiness, centreTrail),
  'billing.ListStatements': allow([N, B, A]),
  'billing.ImportRemittance': allow([N, B]),
  'billing.ImportRemittanceFile': allow([N, B]),
  'billing.ListDiscrepancies': allow([N, B, A]),
  'billing.ResolveDiscrepancy': allow([N, B]),
  'billing.GetReconciliationReport': allow([N, B, A]),

  // Planning: coordinators compute and read accessibility (aggregates, no patient); schemes are
  // written by national coordinators until a scheme's territory is checked against a région.
  'planning.GetTerritoryNeeds': allow([N, R, A]),
  'planning.ImportOutsideSupply': allow([N]),
  'planning.ComputeAccessibility': allow([N, R]),
  'planning.GetComputation': allow([N, R, A]),
  'planning.ComputeCommuneAccessibility': allow([N, R, A]),
  'planning.ListUnderserved': allow([N, R, A]),
  'planning.GetAccessibilityGeoJson': allow([N, R, A]),
  'planning.GetAccessibilityMap': allow([N, R, A]),
  'planning.CompareComputations': allow([N, R, A]),
  'planning.SuggestSites': allow([N, R]),
  // A regional coordinator runs the schemes of its région and its départements: planning checks the scheme's territory.
  'planning.DraftScheme': allow([N, R], { by: 'application' }),
  'planning.GetScheme': allow([N, R, A]),
  'planning.AddProposal': allow([N, R], { by: 'application' }),
  'planning.RemoveProposal': allow([N, R], { by: 'application' }),
  'planning.OpenConsultationStage': allow([N, R], { by: 'application' }),
  'planning.SubmitOpinion': allow([N, R], { by: 'application' }),
  'planning.CloseConsultationStage': allow([N, R], { by: 'application' }),

  // Operations of the platform.
  'deadLetters.ListDeadLetters': allow([N]),
  'deadLetters.ReplayDeadLetter': allow([N]),
  'accessTrail.ListAccessTrail': allow([N, A]),
};
