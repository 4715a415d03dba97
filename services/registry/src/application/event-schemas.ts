import { EventSchemas } from '@pcn/eventsourcing';

/**
 * Versions of the registry's events. All are at version 1; a change of shape adds an upcast
 * here (version n → n + 1) so stored events are read in today's shape.
 */
export const centreEventSchemas = new EventSchemas({});
