import { PreconditionFailedError } from '@pcn/eventsourcing';
import type { IsoDate } from '@pcn/time';
import type { CentreDirectory, CentreInfo } from './ports';

/**
 * A centre can take staff or post a vacancy when the registry has announced it and it is not
 * closed by `from`; a period must end by its closure date. The registry's events may lag a
 * moment behind a registration: the message says so, so the caller knows to retry.
 */
export async function requireOpenCentre(centres: CentreDirectory, finess: string, from: IsoDate, until?: IsoDate): Promise<CentreInfo> {
  const centre = await centres.get(finess);
  if (!centre) {
    throw new PreconditionFailedError(`centre ${finess} is not known to the staff service: it learns centres from the registry's events (pcn.registry.v1)`, [
      { type: 'CENTRE', subject: 'centreFiness', description: `no registry event about centre ${finess} has been received` },
    ]);
  }
  if (centre.closedOn !== undefined && (centre.closedOn <= from || until === undefined || until > centre.closedOn)) {
    throw new PreconditionFailedError(`centre ${finess} closes on ${centre.closedOn}`, [
      { type: 'CENTRE', subject: 'centreFiness', description: `centre ${finess} is closed from ${centre.closedOn}: the period must end by then` },
    ]);
  }
  return centre;
}
