import type { PanelEvent } from './panel-events';

/** What a declaration needs to know of a panel: its size and a coordinator's capacity, if any. */
export interface PanelState {
  readonly size: number;
  readonly capacityOverride?: number;
}

export const initialPanelState = (): PanelState => ({ size: 0 });

export function evolvePanel(state: PanelState, event: PanelEvent): PanelState {
  switch (event.type) {
    case 'PanelPatientJoined':
    case 'PanelPatientLeft':
      return { ...state, size: event.data.size };
    case 'PanelCapacitySet': {
      const { capacityOverride: _o, ...rest } = state;
      return event.data.capacity === null ? rest : { ...rest, capacityOverride: event.data.capacity };
    }
  }
}
