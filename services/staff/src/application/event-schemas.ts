import { EventSchemas } from '@pcn/eventsourcing';

/**
 * Versions of the staff service's events (statute, professionals, vacancies, mobilities). All
 * are at version 1; a change of shape adds an upcast here so stored events are read in today's
 * shape.
 */
export const staffEventSchemas = new EventSchemas({});
