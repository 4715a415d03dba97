import { parseInput } from '@pcn/validation';
import { CommuneDirectory, listDepartements } from '@pcn/referential';
import type { IsoDate } from '../domain/iso-date';
import { today, type Clock } from './ports';
import type { AttributionReadModel, CommuneCoverage, PageOf, RosterEntry, Territory } from './read-model';
import { coverageQuery, rosterQuery } from './schemas';
import { territoryName } from './territories';
import type { CoverageFigures, CoverageView } from './views';

export interface RosterView extends PageOf<RosterEntry> {
  readonly centreFiness: string;
  readonly asOf: IsoDate;
}

/** What billing and coordinators read: a centre's roster on a day, and coverage of a territory. */
export class Reports {
  constructor(
    private readonly readModel: AttributionReadModel,
    private readonly clock: Clock,
  ) {}

  async roster(input: unknown): Promise<RosterView> {
    const { centreFiness, asOf = today(this.clock), pageSize, pageToken } = parseInput(rosterQuery, input);
    await this.readModel.catchUp();
    const page = await this.readModel.roster(centreFiness, asOf, { pageSize, ...(pageToken && { pageToken }) });
    return { centreFiness, asOf, ...page };
  }

  /**
   * Inhabitants (2021 census) beside the patients registered, with and without a médecin
   * traitant, for the territory and one level down.
   */
  async coverage(input: unknown): Promise<CoverageView> {
    const { territory, asOf = today(this.clock) } = parseInput(coverageQuery, input);
    const name = territoryName(territory);
    await this.readModel.catchUp();
    const rows = await this.readModel.coverage(territory, asOf);
    const communes = CommuneDirectory.shared();
    const partsOf = partition(territory);
    const parts = partsOf.map((part) => ({ ...part, ...figures(part.communes, rows) }));
    const all = territoryCommunes(territory);
    return { territory: { ...territory, name }, asOf, ...figures(all, rows), parts: parts.map(({ communes: _c, ...p }) => p) };

    function territoryCommunes(t: Territory): readonly string[] {
      if (t.kind === 'commune') return [t.code, ...communes.arrondissementsOf(t.code).map((a) => a.insee)];
      return withParents(t.kind === 'departement' ? communes.byDepartement(t.code) : communes.byRegion(t.code));
    }
    /** Paris, Lyon and Marseille are listed by arrondissement; a patient may live at the commune's own code. */
    function withParents(list: readonly { insee: string; parent?: string }[]): string[] {
      return [...new Set(list.flatMap((c) => (c.parent ? [c.insee, c.parent] : [c.insee])))];
    }
    function partition(t: Territory): { code: string; name: string; communes: readonly string[] }[] {
      if (t.kind === 'region')
        return listDepartements()
          .filter((d) => d.region === t.code)
          .map((d) => ({ code: d.code, name: d.name, communes: withParents(communes.byDepartement(d.code)) }));
      if (t.kind === 'departement') return communes.byDepartement(t.code).map((c) => ({ code: c.insee, name: c.name, communes: [c.insee] }));
      return [];
    }
  }
}

/** Sums the patients of these communes and their census population (arrondissements are counted once, through their commune). */
function figures(codes: readonly string[], rows: readonly CommuneCoverage[]): CoverageFigures {
  const communes = CommuneDirectory.shared();
  const wanted = new Set(codes);
  let inhabitants = 0;
  for (const code of wanted) {
    const commune = communes.get(code);
    if (commune && !(commune.kind === 'arrondissement' && commune.parent && wanted.has(commune.parent))) inhabitants += commune.population;
  }
  const sums = { patients: 0, withMedecinTraitant: 0, withoutMedecinTraitant: 0, chronicWithout: 0 };
  for (const row of rows) {
    if (!wanted.has(row.communeInsee)) continue;
    sums.patients += row.patients;
    sums.withMedecinTraitant += row.withMedecinTraitant;
    sums.withoutMedecinTraitant += row.withoutMedecinTraitant;
    sums.chronicWithout += row.chronicWithout;
  }
  return { inhabitants, ...sums };
}
