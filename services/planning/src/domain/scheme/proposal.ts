import type { FieldViolation } from '@pcn/eventsourcing';

/** Target staffing of one profession, in FTE. */
export interface Staffing {
  readonly profession: string;
  readonly fte: number;
}

export type Proposal =
  | { readonly proposalId: string; readonly kind: 'open-centre'; readonly communeCode: string; readonly staffing: readonly Staffing[] }
  | { readonly proposalId: string; readonly kind: 'strengthen-centre'; readonly centreFiness: string; readonly staffing: readonly Staffing[] };

const COMMUNE_CODE = /^(\d{5}|2[AB]\d{3})$/u;
const FINESS = /^[0-9]{2}[0-9AB][0-9]{6}$/u;
const MAX_STAFFING_FTE = 200;

/** Every reason the proposal cannot be recorded, each on its field under `proposal.`. */
export function proposalViolations(proposal: Proposal): FieldViolation[] {
  const violations: FieldViolation[] = [];
  if (proposal.proposalId.trim() === '') violations.push({ field: 'proposal.proposalId', description: 'is required' });
  if (proposal.kind === 'open-centre' && !COMMUNE_CODE.test(proposal.communeCode)) {
    violations.push({ field: 'proposal.communeCode', description: `must be an INSEE commune code (5 characters), got "${proposal.communeCode}"` });
  }
  if (proposal.kind === 'strengthen-centre' && !FINESS.test(proposal.centreFiness)) {
    violations.push({ field: 'proposal.centreFiness', description: `must be a FINESS number (9 characters), got "${proposal.centreFiness}"` });
  }
  if (proposal.staffing.length === 0) violations.push({ field: 'proposal.staffing', description: 'must name at least one profession with its target FTE' });
  const seen = new Set<string>();
  proposal.staffing.forEach((line, i) => {
    if (line.profession.trim() === '') violations.push({ field: `proposal.staffing[${i}].profession`, description: 'is required' });
    else if (seen.has(line.profession)) violations.push({ field: `proposal.staffing[${i}].profession`, description: `names ${line.profession} twice` });
    seen.add(line.profession);
    if (!(Number.isFinite(line.fte) && line.fte > 0 && line.fte <= MAX_STAFFING_FTE)) {
      violations.push({ field: `proposal.staffing[${i}].fte`, description: `must be above 0 and at most ${MAX_STAFFING_FTE} FTE, got ${line.fte}` });
    }
  });
  return violations;
}
