import type { IsoDate } from '../domain/iso-date';
import { gpCapacity, requireMemberCentre, type GpFacts } from '../domain/gp/gp-eligibility';
import type { PanelNorms } from '../domain/panel/panel-capacity';
import type { CentreInfo, PractitionerDirectory } from './ports';

/**
 * The facts a declaration decides on, read from the directory in one round trip
 * (`declarationFacts`) before the write, never on a retry: the centre named, the GP's
 * assignments and the centres of those assignments. The rules are the domain's (gp/gp-eligibility).
 */
export async function readGpFacts(directory: PractitionerDirectory, norms: PanelNorms, centreFiness: string, rpps: string): Promise<GpFacts> {
  const facts = await directory.declarationFacts(centreFiness, rpps);
  const centre = facts.centres.find((c) => c.finess === centreFiness);
  return { ...(centre && { centre }), assignments: facts.assignments, centres: facts.centres, norms };
}

/** The centre, which must be a member of the network on the day. */
export async function memberCentre(directory: PractitionerDirectory, finess: string, on: IsoDate): Promise<CentreInfo> {
  return requireMemberCentre(await directory.centre(finess), finess, on);
}

/** The GP's capacity today: Σ FTE × norm of the centres they are assigned to, unless a coordinator set it. */
export async function capacityOf(directory: PractitionerDirectory, norms: PanelNorms, rpps: string, today: IsoDate, override?: number): Promise<number> {
  if (override !== undefined) return override;
  const assignments = (await directory.assignmentsOf(rpps)).filter((a) => a.startOn <= today && (a.endOn === undefined || today < a.endOn));
  const centres = await Promise.all([...new Set(assignments.map((a) => a.centreFiness))].map((finess) => directory.centre(finess)));
  return gpCapacity({ assignments, centres: centres.filter((c): c is CentreInfo => c !== undefined), norms }, today);
}
