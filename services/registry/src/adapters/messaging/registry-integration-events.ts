import { registryEventsV1 as ev, registryV1 as pb } from '@pcn/contracts';
import type { EventStore, RecordedEvent } from '@pcn/eventsourcing';
import { eventMessage, REGISTRY_TOPIC, type EventMapper, type OutgoingMessage } from '@pcn/messaging';
import { centreDecider } from '../../domain/centre-decider';
import { statusOn, type ExistingCentre } from '../../domain/centre-state';
import type { CentreEvent } from '../../domain/events';
import { centreEventSchemas } from '../../application/event-schemas';
import { toProtoEnum } from '@pcn/grpc';

/** Published on `REGISTRY_TOPIC`, keyed by FINESS so a centre's events stay in order. */
export const REGISTRY_SOURCE = '/pcn/registry';

/** The centre as it stood right after `event`, folded from its stream (exact on a replay too). */
async function centreAfter(store: EventStore, event: RecordedEvent): Promise<ExistingCentre | undefined> {
  const history = await store.readStream(event.streamId, { maxCount: event.revision + 1 });
  const state = history
    .map((e) => centreEventSchemas.upcast(e))
    .reduce((s, e) => centreDecider.evolve(s, { type: e.type, data: e.data } as CentreEvent), centreDecider.initialState());
  return state.exists ? state : undefined;
}

function snapshot(centre: ExistingCentre, event: RecordedEvent): ev.CentreSnapshot {
  const d = centre.details;
  return ev.CentreSnapshot.fromPartial({
    finess: centre.finess,
    name: d.name,
    type: toProtoEnum(pb.CentreType, 'CENTRE_TYPE_', d.type),
    communeInsee: d.location.communeInsee,
    departement: d.location.departement,
    region: d.location.region,
    coordinates: d.coordinates,
    status: toProtoEnum(pb.CentreStatus, 'CENTRE_STATUS_', statusOn(centre, event.metadata.occurredAt.slice(0, 10))),
    version: event.revision,
    memberSince: centre.accreditedOn ?? '',
  });
}

/** Domain keys named as the fields of pcn.registry.v1.AmendCentreRequest, as the contract says. */
function requestFieldName(key: string): string {
  return key === 'location' ? 'commune_insee' : key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function payload(event: CentreEvent, centre: ev.CentreSnapshot, occurredAt: Date): Uint8Array {
  switch (event.type) {
    case 'CentreRegistered':
      return ev.CentreRegistered.encode({
        centre,
        occurredAt,
        managerKind: toProtoEnum(pb.ManagerKind, 'MANAGER_KIND_', event.data.details.manager.kind),
      }).finish();
    case 'CentreAmended':
      return ev.CentreAmended.encode({ centre, occurredAt, amendedFields: Object.keys(event.data.changes).map(requestFieldName) }).finish();
    case 'CentreAccredited':
      return ev.CentreAccredited.encode({ centre, occurredAt, accreditedOn: event.data.accreditedOn }).finish();
    case 'CentreSuspended':
      return ev.CentreSuspended.encode({ centre, occurredAt, reason: event.data.reason }).finish();
    case 'CentreReinstated':
      return ev.CentreReinstated.encode({ centre, occurredAt }).finish();
    case 'CentreClosed':
      return ev.CentreClosed.encode({ centre, occurredAt, effectiveDate: event.data.effectiveDate, reason: event.data.reason }).finish();
  }
}

/**
 * Every centre event becomes a self-contained `pcn.events.v1` message: the message id is the
 * event id (so a re-publication is recognised), `ce_type` the protobuf message name, the key
 * the FINESS, and the trace context of the command that caused it travels along.
 */
export function registryEventMapper(store: EventStore): EventMapper {
  return async (recorded): Promise<OutgoingMessage | undefined> => {
    if (!recorded.streamId.startsWith('centre-')) return undefined;
    const centre = await centreAfter(store, recorded);
    if (!centre) return undefined;
    const event = centreEventSchemas.upcast(recorded) as unknown as CentreEvent;
    return eventMessage(recorded, {
      topic: REGISTRY_TOPIC,
      source: REGISTRY_SOURCE,
      message: recorded.type,
      key: centre.finess,
      data: payload({ type: recorded.type, data: event.data } as CentreEvent, snapshot(centre, recorded), new Date(recorded.metadata.occurredAt)),
    });
  };
}
