import { randomUUID } from 'node:crypto';
import { NotFoundError, ValidationError, type FieldViolation } from '@pcn/eventsourcing';
import {
  APL_DEFAULTS,
  assembleSupply,
  classify,
  compareComputations,
  computeE2sfca,
  parameterViolations,
  type AccessibilityParameters,
  type CommuneAccessibility,
  type Comparison,
  type DemandIndex,
  type DemandPoint,
  type NetworkCentre,
} from '../domain/accessibility';
import { suggestSites, type SiteSuggestion } from '../domain/sites';
import { unemploymentRate, type Place, type TerritoryCatalogue, type TerritoryRef } from '../domain/territory';
import type { ComputationRecord, ComputationStore } from './computations';
import { gridDemandIndex } from './demand-indexes';
import type { Clock, NetworkSource, OutsideSupplyStore, PatientCounts, PatientSource } from './ports';
import { demandPoints } from './reference-territories';

export const REFERENCE_DATA = 'communes.csv (COG 2024, census 2021) and @etalab/decoupage-administratif 4.1';

export interface TerritorialPlanningDeps {
  readonly catalogue: TerritoryCatalogue;
  readonly places: readonly Place[];
  readonly network: NetworkSource;
  readonly patients: PatientSource;
  readonly outside: OutsideSupplyStore;
  readonly computations: ComputationStore;
  readonly clock: Clock;
  readonly newId?: () => string;
}

export interface TerritoryNeeds {
  readonly territory: TerritoryRef & { readonly name: string };
  readonly population: number;
  readonly unemploymentRate?: number;
  readonly centres: number;
  /** GP FTE of the network's centres in the territory. */
  readonly networkGpFte: number;
  /** GP FTE outside the network, as imported. */
  readonly outsideGpFte: number;
  /** Patients living there, with and without a médecin traitant (pcn.attribution.v1). */
  readonly patients: PatientCounts;
  readonly positions: Readonly<Record<string, number>>;
}

export interface SiteQuery {
  readonly territory: TerritoryRef;
  readonly sites: number;
  readonly fte: number;
  readonly exclude?: readonly string[];
  readonly force?: readonly string[];
}

export interface UnderservedCommune extends CommuneAccessibility {
  readonly name: string;
  readonly population: number;
  readonly latitude: number;
  readonly longitude: number;
}

/**
 * The use cases of planning over territories and accessibility. Accessibility is always computed
 * over the whole country (well under a second) and read per territory: people cross borders, so a
 * département cut out alone would lose the GPs and the demand just across them.
 */
export class TerritorialPlanning {
  private readonly demand: DemandPoint[];
  private readonly demandIndexOf: Map<string, number>;
  private readonly placeByCode: Map<string, Place>;
  private index: DemandIndex | undefined;
  private readonly newId: () => string;

  constructor(private readonly deps: TerritorialPlanningDeps) {
    this.demand = demandPoints(deps.places);
    this.demandIndexOf = new Map(this.demand.map((point, i) => [point.code, i]));
    this.placeByCode = new Map(deps.places.map((place) => [place.code, place]));
    this.newId = deps.newId ?? randomUUID;
  }

  async territoryNeeds(ref: TerritoryRef): Promise<TerritoryNeeds> {
    const territory = this.deps.catalogue.get(ref);
    const inside = new Set(territory.places);
    const [network, outside, patients] = await Promise.all([
      this.deps.network.snapshot(),
      this.deps.outside.list(),
      this.deps.patients.countsIn(territory.level === 'nation' ? undefined : territory.places),
    ]);
    const centres = network.centres.filter((centre) => inside.has(centre.communeCode));
    const rate = unemploymentRate(territory);
    return {
      territory: { level: territory.level, code: territory.code, name: territory.name },
      population: territory.population,
      ...(rate !== undefined && { unemploymentRate: rate }),
      centres: centres.length,
      networkGpFte: centres.reduce((sum, centre) => sum + centre.gpFte, 0),
      outsideGpFte: outside.supply.filter((entry) => inside.has(entry.communeCode)).reduce((sum, entry) => sum + entry.gpFte, 0),
      patients,
      positions: network.positions,
    };
  }

  /** Computes accessibility for every positioned place with these parameters (APL defaults for those not given), and stores it. */
  async computeAccessibility(overrides: Partial<AccessibilityParameters> = {}): Promise<ComputationRecord> {
    const parameters: AccessibilityParameters = { ...APL_DEFAULTS, ...overrides };
    const violations = parameterViolations(parameters);
    if (violations.length > 0) throw new ValidationError(violations.map((v) => ({ ...v, field: `parameters.${v.field}` })));
    const [network, outside] = await Promise.all([this.deps.network.snapshot(), this.deps.outside.list()]);

    const unplaced: string[] = [];
    const centres: NetworkCentre[] = [];
    for (const centre of network.centres) {
      const position =
        centre.latitude !== undefined && centre.longitude !== undefined
          ? { latitude: centre.latitude, longitude: centre.longitude }
          : this.positionOf(centre.communeCode);
      if (position === undefined) unplaced.push(`centre ${centre.finess} (commune ${centre.communeCode} has no position)`);
      else centres.push({ finess: centre.finess, ...position, gpFte: centre.gpFte });
    }
    const supply = assembleSupply(parameters.supplyScope, centres, outside.supply, (code) => this.positionOf(code));
    for (const entry of supply.unplaced) unplaced.push(`outside GPs of ${entry.communeCode} (no position)`);

    const result = computeE2sfca(this.demand, supply.points, parameters, this.demandIndex());
    let underservedCommunes = 0;
    let underservedPopulation = 0;
    const communes = this.demand.map((point, i): CommuneAccessibility => {
      const accessibility = result.accessibility[i]!;
      const klass = classify(accessibility, parameters);
      if (klass === 'underserved') {
        underservedCommunes++;
        underservedPopulation += point.population;
      }
      return { code: point.code, accessibility, class: klass };
    });
    const record: ComputationRecord = {
      computationId: this.newId(),
      computedAt: this.deps.clock.now().toISOString(),
      parameters,
      inputs: {
        positions: network.positions,
        outsideSupplyVersion: outside.version,
        referenceData: REFERENCE_DATA,
        centres: centres.length,
        outsideCommunes: parameters.supplyScope === 'all' ? outside.supply.length : 0,
        unplaced,
      },
      supply: supply.points,
      communes,
      underservedCommunes,
      underservedPopulation,
    };
    await this.deps.computations.save(record);
    return record;
  }

  async computation(computationId: string): Promise<ComputationRecord> {
    const record = await this.deps.computations.get(computationId);
    if (record === undefined) throw new NotFoundError('computation', computationId);
    return record;
  }

  /** The territory's communes of a computation, each with its name, population and position. */
  async accessibilityIn(computationId: string, ref: TerritoryRef): Promise<UnderservedCommune[]> {
    const record = await this.computation(computationId);
    const inside = new Set(this.deps.catalogue.get(ref).places);
    return record.communes
      .filter((commune) => inside.has(commune.code))
      .map((commune) => {
        const place = this.placeByCode.get(commune.code)!;
        // Every computed place is positioned: the demand holds no other.
        return { ...commune, name: place.name, population: place.population, latitude: place.latitude!, longitude: place.longitude! };
      });
  }

  /** The underserved communes of a territory, least accessible first. */
  async underserved(computationId: string, ref: TerritoryRef): Promise<UnderservedCommune[]> {
    const communes = await this.accessibilityIn(computationId, ref);
    return communes.filter((commune) => commune.class === 'underserved').sort((a, b) => a.accessibility - b.accessibility || a.code.localeCompare(b.code));
  }

  /** Communes that changed class from one computation to another, within a territory when given. */
  async compare(beforeId: string, afterId: string, ref?: TerritoryRef): Promise<Comparison> {
    const [before, after] = await Promise.all([this.computation(beforeId), this.computation(afterId)]);
    const inside = ref && new Set(this.deps.catalogue.get(ref).places);
    const keep = (communes: readonly CommuneAccessibility[]) => (inside ? communes.filter((commune) => inside.has(commune.code)) : communes);
    return compareComputations(keep(before.communes), keep(after.communes));
  }

  /** K sites in the territory for new centres of `fte` GP FTE, on the accessibility of a computation. */
  async suggestSites(computationId: string, query: SiteQuery): Promise<SiteSuggestion> {
    const record = await this.computation(computationId);
    const territory = this.deps.catalogue.get(query.territory);
    const violations: FieldViolation[] = [];
    const indexesOf = (field: 'exclude' | 'force', codes: readonly string[]): number[] =>
      codes.flatMap((code, k) => {
        const i = this.demandIndexOf.get(code.toUpperCase());
        if (i === undefined) violations.push({ field: `${field}[${k}]`, description: `is not a positioned commune of the reference data: "${code}"` });
        return i === undefined ? [] : [i];
      });
    const excluded = new Set(indexesOf('exclude', query.exclude ?? []));
    const forced = indexesOf('force', query.force ?? []);
    forced.forEach((i, k) => excluded.has(i) && violations.push({ field: `force[${k}]`, description: `${this.demand[i]!.code} is also excluded` }));
    if (violations.length > 0) throw new ValidationError(violations);
    const candidates = territory.places.flatMap((code) => {
      const i = this.demandIndexOf.get(code);
      return i === undefined || excluded.has(i) ? [] : [i];
    });
    const accessibility = Float64Array.from(record.communes, (commune) => commune.accessibility);
    return suggestSites(this.demand, accessibility, record.parameters, this.demandIndex(), { sites: query.sites, fte: query.fte, candidates, forced });
  }

  private positionOf(code: string): { latitude: number; longitude: number } | undefined {
    const i = this.demandIndexOf.get(code);
    return i === undefined ? undefined : { latitude: this.demand[i]!.latitude, longitude: this.demand[i]!.longitude };
  }

  private demandIndex(): DemandIndex {
    this.index ??= gridDemandIndex(this.demand);
    return this.index;
  }
}
