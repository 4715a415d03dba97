import {
  CommandHandler,
  NotFoundError,
  observeCommands,
  PermissionDeniedError,
  ValidationError,
  type CommandContext,
  type CommandObserver,
  type EventStore,
} from '@pcn/eventsourcing';
import { schemeEventSchemas } from './event-schemas';
import {
  schemeDecider,
  schemeStreamId,
  type College,
  type Proposal,
  type Scheme,
  type SchemeCommand,
  type SchemeEvent,
  type SchemeState,
  type SchemeTerritory,
  type Stage,
  type AccreditedCentre,
  type Vote,
} from '../domain/scheme';
import type { TerritoryCatalogue } from '../domain/territory';
import { today, type Clock } from './ports';

export interface SchemeView {
  readonly scheme: Scheme;
  /** Stream revision: the ETag / expected version of the next write. */
  readonly version: number;
}

export interface WriteOptions {
  readonly context?: CommandContext;
  /** The version the caller last saw; a mismatch is a concurrency conflict. */
  readonly expectedVersion?: number;
  /**
   * The région a regional coordinator acts for (INSEE code): the scheme's territory must be that
   * région or one of its départements. Absent for a national coordinator, who may run any scheme.
   */
  readonly actingRegion?: string;
}

/** Where the adopted schemes proposing a centre in a commune are found (the schemes read model). */
export interface AdoptedSchemes {
  openingIn(communeCode: string): Promise<string[]>;
}

/** Where the centres planning knows to be accredited are found (the network directory fed by the registry). */
export interface AccreditedCentres {
  /** The centres of these communes with an accreditation, not closed, earliest accredited first. */
  accreditedIn(communeCodes: readonly string[]): Promise<AccreditedCentre[]>;
}

/**
 * The name of the command recording that a centre was accredited, on each scheme: the consumer
 * of the registry and the reconciliation at adoption use the same, so that their events have the
 * same ids and, racing, the store keeps one.
 */
const accreditationCommand = (centreFiness: string): string => `centre-accredited:${centreFiness}`;

const actorOf = (options: WriteOptions): string => options.context?.actor ?? 'unknown';

/**
 * Schemes and their consultations: each command decided by the scheme decider on the stream
 * `scheme-{id}`. What needs the reference data is checked here: the territory exists, and a
 * centre is proposed in a commune of the scheme's territory.
 */
export class Schemes {
  private readonly handler: CommandHandler<SchemeCommand, SchemeState, SchemeEvent>;

  constructor(
    store: EventStore,
    private readonly catalogue: TerritoryCatalogue,
    private readonly clock: Clock,
    onCommand?: CommandObserver,
  ) {
    this.handler = new CommandHandler(store, schemeDecider, { schemas: schemeEventSchemas, ...(onCommand && { middleware: [observeCommands(onCommand)] }) });
  }

  async draft(input: { schemeId: string; territory: SchemeTerritory; title: string }, options: WriteOptions = {}): Promise<SchemeView> {
    if (input.territory.level !== 'nation' && this.catalogue.find(input.territory) === undefined) {
      throw ValidationError.field('territory.code', `no ${input.territory.level} has the code "${input.territory.code}"`);
    }
    this.checkRegion(input.territory, options);
    return this.run(input.schemeId, { type: 'DraftScheme', ...input, draftedBy: actorOf(options) }, options);
  }

  async addProposal(schemeId: string, proposal: Proposal, options: WriteOptions = {}): Promise<SchemeView> {
    const { scheme } = await this.get(schemeId);
    this.checkRegion(scheme.territory, options);
    if (proposal.kind === 'open-centre' && scheme.territory.level !== 'nation') {
      const inside = this.catalogue.get(scheme.territory).places;
      if (!inside.includes(proposal.communeCode)) {
        throw ValidationError.field(
          'proposal.communeCode',
          `${proposal.communeCode} is not a commune of the scheme's ${scheme.territory.level} ${scheme.territory.code}`,
        );
      }
    }
    const addedOn = today(this.clock);
    return this.run(schemeId, { type: 'AddProposal', proposal, addedBy: actorOf(options), addedOn }, options);
  }

  async removeProposal(schemeId: string, proposalId: string, options: WriteOptions = {}): Promise<SchemeView> {
    await this.checkSchemeRegion(schemeId, options);
    return this.run(schemeId, { type: 'RemoveProposal', proposalId, removedBy: actorOf(options) }, options);
  }

  async openStage(schemeId: string, stage: Stage, options: WriteOptions = {}): Promise<SchemeView> {
    await this.checkSchemeRegion(schemeId, options);
    return this.run(schemeId, { type: 'OpenConsultationStage', stage, openedBy: actorOf(options) }, options);
  }

  async submitOpinion(
    schemeId: string,
    input: { stage: Stage; college: College; participant: string; vote: Vote; opinion: string },
    options: WriteOptions = {},
  ): Promise<SchemeView> {
    await this.checkSchemeRegion(schemeId, options);
    return this.run(schemeId, { type: 'SubmitOpinion', ...input }, options);
  }

  async closeStage(schemeId: string, stage: Stage, options: WriteOptions = {}): Promise<SchemeView> {
    await this.checkSchemeRegion(schemeId, options);
    return this.run(schemeId, { type: 'CloseConsultationStage', stage, closedBy: actorOf(options) }, options);
  }

  /**
   * Marks fulfilled, in each adopted scheme proposing to open a centre in the commune, the
   * proposal the centre fulfils (the domain's rule, `proposalFulfilledBy`). Seen again, by a
   * redelivery or by the reconciliation at adoption, the accreditation changes nothing. Answers
   * the schemes that changed.
   */
  async recordCentreAccredited(centre: AccreditedCentre, adopted: AdoptedSchemes, context?: CommandContext): Promise<string[]> {
    const changed: string[] = [];
    for (const schemeId of await adopted.openingIn(centre.communeCode)) {
      if (await this.recordAccreditation(schemeId, centre, context)) changed.push(schemeId);
    }
    return changed;
  }

  /**
   * Reconciliation at adoption: the centres accredited in the communes of a scheme's open-centre
   * proposals before the registry consumer could find the scheme adopted, each recorded as the
   * consumer would have. Nothing happens to a scheme not adopted. Answers the proposals fulfilled.
   */
  async reconcileAdoption(schemeId: string, centres: AccreditedCentres, context?: CommandContext): Promise<string[]> {
    const { scheme } = await this.get(schemeId);
    if (scheme.status !== 'adopted') return [];
    const communes = [...new Set(scheme.proposals.flatMap((p) => (p.kind === 'open-centre' && !scheme.fulfilled[p.proposalId] ? [p.communeCode] : [])))];
    if (communes.length === 0) return [];
    const before = new Set(Object.keys(scheme.fulfilled));
    let after = scheme;
    for (const centre of await centres.accreditedIn(communes)) {
      after = (await this.recordAccreditation(schemeId, centre, context)) ?? after;
    }
    return Object.keys(after.fulfilled).filter((proposalId) => !before.has(proposalId));
  }

  /** One accreditation on one scheme, under its command name; the scheme after it when it changed. */
  private async recordAccreditation(schemeId: string, centre: AccreditedCentre, context?: CommandContext): Promise<Scheme | undefined> {
    const result = await this.handler.handle(
      schemeStreamId(schemeId),
      { type: 'RecordCentreAccredited', ...centre },
      { idempotencyName: accreditationCommand(centre.centreFiness), ...(context && { context }) },
    );
    return result.events.length > 0 && !result.replayed && result.state.exists ? result.state : undefined;
  }

  async get(schemeId: string): Promise<SchemeView> {
    const { state, revision } = await this.handler.load(schemeStreamId(schemeId));
    if (!state.exists) throw new NotFoundError('scheme', schemeId);
    return { scheme: state, version: revision };
  }

  /** A scheme's territory never changes once drafted, so checking it before the command is enough. */
  private async checkSchemeRegion(schemeId: string, options: WriteOptions): Promise<void> {
    if (options.actingRegion === undefined) return;
    this.checkRegion((await this.get(schemeId)).scheme.territory, options);
  }

  /** A regional coordinator runs the schemes of its région and of its départements; the nation's are national. */
  private checkRegion(territory: SchemeTerritory, options: WriteOptions): void {
    const region = options.actingRegion;
    if (region === undefined) return;
    const regionOfTerritory =
      territory.level === 'region' ? territory.code : territory.level === 'departement' ? this.catalogue.find(territory)?.within[0]?.code : undefined;
    if (regionOfTerritory === region) return;
    const where =
      territory.level === 'nation' ? 'the nation' : `${territory.level} ${territory.code}${regionOfTerritory ? ` (région ${regionOfTerritory})` : ''}`;
    throw new PermissionDeniedError(`a regional coordinator of région ${region} runs the schemes of its région and of its départements only, not of ${where}`);
  }

  private async run(schemeId: string, command: SchemeCommand, options: WriteOptions): Promise<SchemeView> {
    const result = await this.handler
      .handle(schemeStreamId(schemeId), command, {
        ...(options.context && { context: options.context }),
        ...(options.expectedVersion !== undefined && { expectedRevision: options.expectedVersion }),
      })
      .catch((error: unknown) => {
        // The decider does not know the id of a stream that does not exist: name it.
        throw error instanceof NotFoundError && error.resource === 'scheme' ? new NotFoundError('scheme', schemeId) : error;
      });
    if (!result.state.exists) throw new NotFoundError('scheme', schemeId);
    return { scheme: result.state, version: result.revision };
  }
}
