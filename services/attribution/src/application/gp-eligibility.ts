import { PreconditionFailedError } from '@pcn/eventsourcing';
import type { IsoDate } from '../domain/iso-date';
import { panelCapacity, type PanelNorms } from '../domain/panel/panel-capacity';
import type { CentreInfo, GpAssignment, PractitionerDirectory } from './ports';
import { centreStatusOn } from '../domain/centre/centre-membership';

/**
 * The checks a declaration makes outside the patient's and the panel's streams: the centre is a
 * member of the network on the date, and the practitioner is a GP assigned there on the date and
 * still there today. Both are learnt from the registry's and staff's events; a refusal says so,
 * since the events may lag a moment behind.
 */
export async function requireMemberCentre(directory: PractitionerDirectory, finess: string, on: IsoDate): Promise<CentreInfo> {
  const centre = await directory.centre(finess);
  if (!centre) {
    throw new PreconditionFailedError(
      `centre ${finess} is not known to the attribution service: it learns centres from the registry's events (pcn.registry.v1)`,
      [{ type: 'CENTRE', subject: 'centreFiness', description: `no registry event about centre ${finess} has been received` }],
    );
  }
  const status = centreStatusOn(centre, on);
  if (status === 'closed') {
    throw new PreconditionFailedError(`centre ${finess} is closed from ${centre.closedOn}`, [
      { type: 'CENTRE', subject: 'centreFiness', description: `the centre closed on ${centre.closedOn}` },
    ]);
  }
  if (status === 'member') return centre;
  // Billing pays on rosters: a declaration dated before membership, even one recorded in advance, is refused.
  if (centre.memberSince !== undefined && on < centre.memberSince) {
    throw new PreconditionFailedError(`centre ${finess} is a member of the network only from ${centre.memberSince}, after the declaration's date ${on}`, [
      {
        type: 'CENTRE',
        subject: 'effectiveDate',
        description: `the centre's membership starts on ${centre.memberSince}: a declaration must be dated on or after it`,
      },
    ]);
  }
  throw new PreconditionFailedError(`centre ${finess} is not a member of the network (${status})`, [
    { type: 'CENTRE', subject: 'centreFiness', description: `the centre is ${status}: only an accredited member centre takes declarations` },
  ]);
}

export async function requireAssignedGp(directory: PractitionerDirectory, rpps: string, finess: string, on: IsoDate, today: IsoDate): Promise<GpAssignment> {
  const assignments = (await directory.assignmentsOf(rpps)).filter((a) => a.centreFiness === finess);
  if (assignments.length === 0) {
    throw new PreconditionFailedError(`practitioner ${rpps} is not a GP assigned to centre ${finess}`, [
      {
        type: 'PRACTITIONER',
        subject: 'rpps',
        description: `no assignment of a general practitioner with RPPS ${rpps} at centre ${finess} is known (staff events, pcn.staff.v1)`,
      },
    ]);
  }
  const running = assignments.find((a) => a.startOn <= on && (a.endOn === undefined || on < a.endOn));
  if (!running) {
    throw new PreconditionFailedError(`practitioner ${rpps} is not assigned to centre ${finess} on ${on}`, [
      {
        type: 'PRACTITIONER',
        subject: 'effectiveDate',
        description: `the GP's assignments at this centre: ${assignments.map((a) => `${a.startOn}–${a.endOn ?? 'open'}`).join(', ')}`,
      },
    ]);
  }
  if (running.endOn !== undefined && running.endOn <= today) {
    throw new PreconditionFailedError(`practitioner ${rpps} left centre ${finess} on ${running.endOn}`, [
      {
        type: 'PRACTITIONER',
        subject: 'rpps',
        description: `the assignment ended on ${running.endOn}: the patient would be left without a médecin traitant at once`,
      },
    ]);
  }
  return running;
}

/** The GP's capacity today: Σ FTE × norm of the centres they are assigned to, unless a coordinator set it. */
export async function capacityOf(directory: PractitionerDirectory, norms: PanelNorms, rpps: string, today: IsoDate, override?: number): Promise<number> {
  if (override !== undefined) return override;
  const running = (await directory.assignmentsOf(rpps)).filter((a) => a.startOn <= today && (a.endOn === undefined || today < a.endOn));
  const shares = await Promise.all(running.map(async (a) => ({ fte: a.fte, centreType: (await directory.centre(a.centreFiness))?.type ?? 'unspecified' })));
  return panelCapacity(norms, shares);
}
