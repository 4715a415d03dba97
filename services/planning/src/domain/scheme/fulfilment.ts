import type { Proposal } from './proposal';
import type { Scheme } from './scheme-state';

/** A centre the registry accredited, as planning learnt it: a fact handed to the scheme. */
export interface AccreditedCentre {
  readonly centreFiness: string;
  readonly communeCode: string;
  /** First day of membership of the network (ISO date). */
  readonly accreditedOn: string;
}

/**
 * Whether a centre fulfils an open-centre proposal: it is in the proposed commune and was
 * accredited on or after the day the proposal was made. A centre accredited before already
 * served the commune when the coordinators proposed a new one, so it is not the centre they
 * asked for; one accredited since is, even while the scheme was still in consultation.
 * `proposedOn` is absent for a proposal recorded before planning kept the date: then any
 * accreditation in the commune counts, as it did.
 */
export function fulfils(proposal: Proposal, proposedOn: string | undefined, centre: AccreditedCentre): boolean {
  if (proposal.kind !== 'open-centre' || proposal.communeCode !== centre.communeCode) return false;
  return proposedOn === undefined || centre.accreditedOn >= proposedOn;
}

/**
 * The proposal of an adopted scheme that an accredited centre fulfils: the first one, in the
 * scheme's order, not yet fulfilled. None before adoption, and none when this centre already
 * fulfils a proposal of the scheme (one centre, one proposal), so that the same accreditation
 * seen twice, by the registry consumer and by the reconciliation at adoption, marks once.
 */
export function proposalFulfilledBy(scheme: Scheme, centre: AccreditedCentre): Proposal | undefined {
  if (scheme.status !== 'adopted') return undefined;
  if (Object.values(scheme.fulfilled).some((f) => f.centreFiness === centre.centreFiness)) return undefined;
  return scheme.proposals.find((p) => scheme.fulfilled[p.proposalId] === undefined && fulfils(p, scheme.proposedOn[p.proposalId], centre));
}
