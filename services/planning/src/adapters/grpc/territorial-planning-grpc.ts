import { planningV1 as pb } from '@pcn/contracts';
import { commandContextOf, compact, text, unaryService, type CallContext, type UnaryOptions } from '@pcn/grpc';
import { parseInput } from '@pcn/validation';
import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { TerritoryRef } from '../../domain/territory';
import type { Proposal, Scheme } from '../../domain/scheme';
import type { ComputationRecord } from '../../application/computations';
import {
  computeAccessibilitySchema,
  draftSchemeSchema,
  opinionSchema,
  openStageSchema,
  proposalSchema,
  suggestSitesSchema,
  territorySchema,
} from '../../application/schemas';
import type { SchemeView, WriteOptions } from '../../application/schemes';
import type { PlanningHttpServices } from '../http/planning-routes';

type PlanningServices = Pick<PlanningHttpServices, 'planning' | 'schemes'>;

const territoryOf = (ref: pb.TerritoryRef | undefined): TerritoryRef =>
  parseInput(territorySchema, { level: ref?.level ?? '', code: ref?.code ?? '' }) as TerritoryRef;

/** A scheme's writes are decided against the latest version unless the caller names the one it read. */
const writeOptions = (req: { expectedVersion?: number | undefined }, ctx: CallContext): WriteOptions => {
  const identity = ctx.grant?.identity;
  return {
    ...(req.expectedVersion !== undefined && { expectedVersion: req.expectedVersion }),
    context: commandContextOf(ctx),
    // A regional coordinator runs the schemes of its région: the application checks the scheme's territory.
    ...(identity?.role === 'regional_coordinator' && identity.scope.region !== undefined && { actingRegion: identity.scope.region }),
  };
};

const proposalInput = (p: pb.Proposal | undefined): Proposal =>
  parseInput(
    proposalSchema,
    p?.kind === 'strengthen-centre'
      ? { proposalId: p.proposalId, kind: p.kind, centreFiness: p.centreFiness, staffing: p.staffing }
      : { proposalId: p?.proposalId ?? '', kind: p?.kind ?? '', communeCode: p?.communeCode ?? '', staffing: p?.staffing ?? [] },
  ) as Proposal;

const toProposal = (p: Proposal): pb.Proposal =>
  pb.Proposal.fromPartial({
    proposalId: p.proposalId,
    kind: p.kind,
    staffing: [...p.staffing],
    ...(p.kind === 'open-centre' ? { communeCode: p.communeCode } : { centreFiness: p.centreFiness }),
  });

export function toSchemeMessage({ scheme, version }: { scheme: Scheme; version: number }): pb.Scheme {
  return pb.Scheme.fromPartial({
    schemeId: scheme.schemeId,
    territory: { level: scheme.territory.level, code: scheme.territory.code },
    title: scheme.title,
    status: scheme.status,
    proposals: scheme.proposals.map(toProposal),
    round: scheme.round,
    approvedStages: [...scheme.approvedStages],
    openStage: scheme.openStage?.stage ?? '',
    opinions: (scheme.openStage?.opinions ?? []).map((o) => ({ ...o })),
    fulfilled: Object.entries(scheme.fulfilled).map(([proposalId, f]) => ({ proposalId, centreFiness: f.centreFiness, accreditedOn: f.accreditedOn })),
    version,
  });
}

const toComputation = (record: ComputationRecord): pb.Computation =>
  pb.Computation.fromPartial({
    computationId: record.computationId,
    computedAt: record.computedAt,
    supplyPoints: record.supply.length,
    communesComputed: record.communes.length,
    underservedCommunes: record.underservedCommunes,
    underservedPopulation: record.underservedPopulation,
  });

const scheme = (view: SchemeView): pb.Scheme => toSchemeMessage(view);

/** `pcn.planning.v1.TerritorialPlanning` over the application services; inputs checked by the schemas REST uses (ADR 0006). */
export function territorialPlanningGrpc({ planning, schemes }: PlanningServices, options: UnaryOptions): UntypedServiceImplementation {
  return unaryService(
    pb.TerritorialPlanningService,
    {
      getTerritoryNeeds: async (req) => {
        const needs = await planning.territoryNeeds(territoryOf(req.territory));
        const { territory, ...rest } = needs;
        return pb.TerritoryNeeds.fromPartial({ ...rest, territory: { level: territory.level, code: territory.code }, name: territory.name });
      },
      computeAccessibility: async (req) => {
        const input = parseInput(computeAccessibilitySchema, {
          parameters: compact({
            speedKmh: req.speedKmh,
            zones: req.zones.length > 0 ? req.zones : undefined,
            underservedBelow: req.underservedBelow,
            supplyScope: text(req.supplyScope),
          }),
        });
        return toComputation(await planning.computeAccessibility(input.parameters ?? {}));
      },
      listUnderserved: async (req) => {
        const territory = req.territory ? territoryOf(req.territory) : { level: 'nation' as const, code: 'FR' };
        const communes = await planning.underserved(req.computationId, territory);
        return pb.ListUnderservedResponse.fromPartial({
          communes: communes.map((c) => ({ code: c.code, name: c.name, population: c.population, index: c.accessibility, accessibilityClass: c.class })),
        });
      },
      suggestSites: async (req) => {
        const query = parseInput(suggestSitesSchema, {
          territory: { level: req.territory?.level ?? '', code: req.territory?.code ?? '' },
          sites: req.sites,
          fte: req.fte,
          ...(req.exclude.length > 0 && { exclude: req.exclude }),
          ...(req.force.length > 0 && { force: req.force }),
        });
        const suggestion = await planning.suggestSites(req.computationId, query);
        return pb.SiteSuggestion.fromPartial({
          sites: suggestion.sites.map((s) => ({ code: s.code, forced: s.forced, gain: s.gain, newlyServed: s.newlyServed })),
          underservedPopulation: suggestion.underservedPopulation,
          gained: suggestion.gained,
        });
      },
      draftScheme: async (req, ctx) => {
        const input = parseInput(draftSchemeSchema, {
          schemeId: req.schemeId,
          territory: { level: req.territory?.level ?? '', code: req.territory?.code ?? '' },
          title: req.title,
        });
        return scheme(await schemes.draft(input, writeOptions({}, ctx)));
      },
      addProposal: async (req, ctx) => scheme(await schemes.addProposal(req.schemeId, proposalInput(req.proposal), writeOptions(req, ctx))),
      openConsultationStage: async (req, ctx) =>
        scheme(await schemes.openStage(req.schemeId, parseInput(openStageSchema, { stage: req.stage }).stage, writeOptions(req, ctx))),
      submitOpinion: async (req, ctx) => {
        const { stage } = parseInput(openStageSchema, { stage: req.stage });
        const opinion = parseInput(opinionSchema, {
          college: req.opinion?.college ?? '',
          participant: req.opinion?.participant ?? '',
          vote: req.opinion?.vote ?? '',
          opinion: req.opinion?.opinion ?? '',
        });
        return scheme(await schemes.submitOpinion(req.schemeId, { stage, ...opinion }, writeOptions(req, ctx)));
      },
      closeConsultationStage: async (req, ctx) =>
        scheme(await schemes.closeStage(req.schemeId, parseInput(openStageSchema, { stage: req.stage }).stage, writeOptions(req, ctx))),
      getScheme: async (req) => scheme(await schemes.get(req.schemeId)),
    },
    options,
  );
}
