import { CommandHandler, observeCommands, type CommandContext, type CommandObserver, type Decider, type EventStore } from '@pcn/eventsourcing';
import { parseInput } from '@pcn/validation';
import type { PanelNorms } from '../domain/panel/panel-capacity';
import { setPanelCapacity } from '../domain/panel/panel-decisions';
import type { PanelEvent } from '../domain/panel/panel-events';
import { evolvePanel, initialPanelState, type PanelState } from '../domain/panel/panel-state';
import { attributionEventSchemas } from './event-schemas';
import { capacityOf } from './gp-eligibility';
import type { PanelBook } from './panel-book';
import { today, type Clock, type PractitionerDirectory } from './ports';
import type { AttributionReadModel } from './read-model';
import { panelQuery, setCapacityInput } from './schemas';
import { panelStream } from './stream-ids';
import type { PanelView } from './views';

type SetCapacity = { readonly rpps: string; readonly capacity: number | null; readonly reason: string };

const capacityDecider: Decider<SetCapacity, PanelState, PanelEvent> = {
  initialState: initialPanelState,
  evolve: evolvePanel,
  decide: (command, state) => setPanelCapacity(state, command.rpps, command.capacity, command.reason),
};

/** A GP's panel: the count from the panel's stream (exact), the capacity, and who is on it. */
export class Panels {
  private readonly handler: CommandHandler<SetCapacity, PanelState, PanelEvent>;

  constructor(
    store: EventStore,
    private readonly book: PanelBook,
    private readonly directory: PractitionerDirectory,
    private readonly readModel: AttributionReadModel,
    private readonly norms: PanelNorms,
    private readonly clock: Clock,
    onCommand?: CommandObserver,
  ) {
    this.handler = new CommandHandler(store, capacityDecider, {
      schemas: attributionEventSchemas,
      clock,
      maxAttempts: 10,
      ...(onCommand && { middleware: [observeCommands(onCommand)] }),
    });
  }

  async get(input: unknown): Promise<PanelView> {
    const { rpps, pageSize, pageToken } = parseInput(panelQuery, input);
    const day = today(this.clock);
    const { state } = await this.book.load(rpps);
    const capacity = await capacityOf(this.directory, this.norms, rpps, day, state.capacityOverride);
    await this.readModel.catchUp();
    const page = await this.readModel.panelMembers(rpps, { pageSize, ...(pageToken && { pageToken }) });
    return {
      rpps,
      count: state.size,
      capacity,
      ...(state.capacityOverride !== undefined && { capacityOverride: state.capacityOverride }),
      asOf: day,
      patients: page.items,
      ...(page.nextPageToken && { nextPageToken: page.nextPageToken }),
    };
  }

  /** A coordinator sets the GP's capacity (or, with `null`, returns it to FTE × norm). */
  async setCapacity(input: unknown, context?: CommandContext): Promise<PanelView> {
    const command = parseInput(setCapacityInput, input);
    await this.handler.handle(panelStream(command.rpps), command, { ...(context && { context }) });
    return this.get({ rpps: command.rpps, pageSize: 1 });
  }
}
