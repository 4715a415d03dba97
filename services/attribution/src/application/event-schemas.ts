import { EventSchemas } from '@pcn/eventsourcing';

/**
 * Versions of the attribution service's events (patients, panels, departures). All are at
 * version 1; a change of shape adds an upcast here so stored events are read in today's shape.
 */
export const attributionEventSchemas = new EventSchemas({});
