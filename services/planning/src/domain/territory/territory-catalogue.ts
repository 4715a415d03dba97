import { NotFoundError } from '@pcn/eventsourcing';
import { NATION_CODE, type Place, type Territory, type TerritoryLevel, type TerritoryRef } from './territory';

/** An EPCI of the reference data and the INSEE codes of its member communes. */
export interface EpciSource {
  readonly siren: string;
  readonly name: string;
  readonly members: readonly string[];
}

export interface NamedDivision {
  readonly code: string;
  readonly name: string;
}

export interface CatalogueSources {
  readonly places: readonly Place[];
  readonly epcis: readonly EpciSource[];
  readonly departements: readonly NamedDivision[];
  readonly regions: readonly NamedDivision[];
}

const key = (level: TerritoryLevel, code: string): string => `${level}:${code}`;

/**
 * The territories of the reference data, built once: every place, EPCI, département, région and
 * the nation, with their places and census totals. A place counts once in each level above it, so
 * that the totals of a level add up to the nation's. Paris, Lyon and Marseille are present through
 * their arrondissements, which belong to their commune's EPCI.
 */
export class TerritoryCatalogue {
  private readonly byKey = new Map<string, Territory>();
  private readonly childrenByKey = new Map<string, TerritoryRef[]>();

  constructor(sources: CatalogueSources) {
    const epciOfCommune = new Map<string, EpciSource>();
    for (const epci of sources.epcis) for (const member of epci.members) epciOfCommune.set(member, epci);
    const departementNames = new Map(sources.departements.map((d) => [d.code, d.name]));
    const regionNames = new Map(sources.regions.map((r) => [r.code, r.name]));

    const groups = new Map<string, { ref: TerritoryRef; name: string; within: TerritoryRef[]; places: Place[] }>();
    const group = (ref: TerritoryRef, name: string, within: TerritoryRef[]) => {
      const k = key(ref.level, ref.code);
      let entry = groups.get(k);
      if (entry === undefined) {
        entry = { ref, name, within, places: [] };
        groups.set(k, entry);
      }
      return entry;
    };
    const nation: TerritoryRef = { level: 'nation', code: NATION_CODE };

    for (const place of sources.places) {
      const region: TerritoryRef = { level: 'region', code: place.region };
      const departement: TerritoryRef = { level: 'departement', code: place.departement };
      const epci = epciOfCommune.get(place.parent ?? place.code);
      const epciRef: TerritoryRef | undefined = epci && { level: 'epci', code: epci.siren };
      const placeRef: TerritoryRef = { level: 'commune', code: place.code };

      group(nation, 'France', []).places.push(place);
      group(region, regionNames.get(place.region) ?? place.region, [nation]).places.push(place);
      group(departement, departementNames.get(place.departement) ?? place.departement, [region]).places.push(place);
      // An EPCI may straddle départements: it lies within each of them.
      if (epciRef) {
        const entry = group(epciRef, epci!.name, []);
        if (!entry.within.some((ref) => ref.code === departement.code)) entry.within.push(departement);
        entry.places.push(place);
      }
      group(placeRef, place.name, epciRef ? [epciRef, departement] : [departement]).places.push(place);
    }

    for (const { ref, name, within, places } of groups.values()) {
      let population = 0;
      let unemployed = 0;
      let active = 0;
      for (const place of places) {
        population += place.population;
        unemployed += place.unemployed;
        active += place.active;
      }
      const territory: Territory = Object.freeze({
        ...ref,
        name,
        within: Object.freeze(within),
        places: Object.freeze(places.map((place) => place.code)),
        population,
        unemployed,
        active,
      });
      this.byKey.set(key(ref.level, ref.code), territory);
      for (const parent of within) {
        const k = key(parent.level, parent.code);
        const children = this.childrenByKey.get(k);
        if (children === undefined) this.childrenByKey.set(k, [ref]);
        else children.push(ref);
      }
    }
  }

  find(ref: TerritoryRef): Territory | undefined {
    return this.byKey.get(key(ref.level, ref.code));
  }

  /** The territory, or a NotFoundError naming it. */
  get(ref: TerritoryRef): Territory {
    const territory = this.find(ref);
    if (territory === undefined) throw new NotFoundError(`territory (${ref.level})`, ref.code);
    return territory;
  }

  /** The territories directly within this one (régions of the nation, communes and EPCIs of a département...). */
  children(ref: TerritoryRef): readonly TerritoryRef[] {
    return this.childrenByKey.get(key(ref.level, ref.code)) ?? [];
  }

  /** Every territory of one level. */
  list(level: TerritoryLevel): Territory[] {
    return [...this.byKey.values()].filter((territory) => territory.level === level);
  }
}
