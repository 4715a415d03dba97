import type { IsoDate } from '../domain/iso-date';
import type { CentreInfo, DeclarationFacts, GpAssignment, PractitionerDirectory } from './ports';

/**
 * The directory as one declaration needs it, read in one round trip (`declarationFacts`): the
 * centre named, the GP's assignments and the centres of those assignments. The eligibility checks
 * and the capacity (gp-eligibility.ts) then ask it, not the database, however often they ask.
 * Anything outside what was read goes to the directory itself.
 */
export class DirectorySnapshot implements PractitionerDirectory {
  private readonly centresByFiness: ReadonlyMap<string, CentreInfo>;

  constructor(
    private readonly directory: PractitionerDirectory,
    private readonly facts: DeclarationFacts,
  ) {
    this.centresByFiness = new Map(facts.centres.map((c) => [c.finess, c]));
  }

  static async read(directory: PractitionerDirectory, centreFiness: string, rpps: string): Promise<DirectorySnapshot> {
    return new DirectorySnapshot(directory, await directory.declarationFacts(centreFiness, rpps));
  }

  async centre(finess: string): Promise<CentreInfo | undefined> {
    if (this.centresByFiness.has(finess) || this.facts.centresRead.includes(finess)) return this.centresByFiness.get(finess);
    return this.directory.centre(finess);
  }

  centres(): Promise<readonly CentreInfo[]> {
    return this.directory.centres();
  }

  async assignmentsOf(rpps: string): Promise<readonly GpAssignment[]> {
    return rpps === this.facts.rpps ? this.facts.assignments : this.directory.assignmentsOf(rpps);
  }

  assignmentsAt(centreFiness: string, day: IsoDate): Promise<readonly GpAssignment[]> {
    return this.directory.assignmentsAt(centreFiness, day);
  }

  assignmentsAtCentres(centres: readonly string[], day: IsoDate): Promise<readonly GpAssignment[]> {
    return this.directory.assignmentsAtCentres(centres, day);
  }

  declarationFacts(centreFiness: string, rpps: string): Promise<DeclarationFacts> {
    return this.directory.declarationFacts(centreFiness, rpps);
  }
}
