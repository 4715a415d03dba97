import type { EventStore, RelatedStreams } from '@pcn/eventsourcing';
import type { PanelEvent } from '../domain/panel/panel-events';
import { evolvePanel, initialPanelState, type PanelState } from '../domain/panel/panel-state';
import { attributionEventSchemas } from './event-schemas';
import { panelStream } from './stream-ids';

export interface LoadedPanel {
  readonly state: PanelState;
  /** Revision of the panel stream the state is folded up to (-1: no stream yet). */
  readonly revision: number;
}

/** Panels kept in memory at most; beyond, the cache starts again (each entry is a few numbers). */
const MAX_CACHED = 200_000;

/**
 * Panel states, folded incrementally: a panel's stream grows with every patient who joins or
 * leaves (thousands of events over a career), so each load reads only the events after the
 * revision already folded. The store stays the truth: the cache is a starting point, and an
 * append with a stale revision fails and is decided again. So the command handler, for which
 * panels are the related streams of a patient's command, may decide on `known` state without
 * reading at all (one round trip less per declaration) and read the tail only when its append
 * is refused.
 */
export class PanelBook implements RelatedStreams<PanelState, PanelEvent> {
  private readonly cache = new Map<string, LoadedPanel>();

  constructor(private readonly store: EventStore) {}

  streamId(rpps: string): string {
    return panelStream(rpps);
  }

  evolve(state: PanelState, event: PanelEvent): PanelState {
    return evolvePanel(state, event);
  }

  /** The state last folded or written here, without asking the store; undefined when never loaded. */
  known(rpps: string): LoadedPanel | undefined {
    return this.cache.get(rpps);
  }

  /** A write appended to the panel from `from` (the revision its decision read): `to` is now the state. */
  wrote(rpps: string, from: number, to: LoadedPanel): void {
    const cached = this.cache.get(rpps);
    // Only a state that follows the cached one: another path may have moved it meanwhile.
    if ((cached?.revision ?? -1) !== from) return;
    this.cache.set(rpps, to);
  }

  async load(rpps: string): Promise<LoadedPanel> {
    const cached = this.cache.get(rpps) ?? { state: initialPanelState(), revision: -1 };
    const events = await this.store.readStream(panelStream(rpps), { fromRevision: cached.revision + 1 });
    if (events.length === 0) return cached;
    const state = events
      .map((e) => attributionEventSchemas.upcast(e))
      .reduce((s, e) => evolvePanel(s, { type: e.type, data: e.data } as PanelEvent), cached.state);
    const loaded = { state, revision: events[events.length - 1]!.revision };
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(rpps, loaded);
    return loaded;
  }
}
