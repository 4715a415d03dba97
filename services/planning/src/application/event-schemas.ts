import { EventSchemas } from '@pcn/eventsourcing';

/** The scheme events' versions and upcasters: all at their first version. */
export const schemeEventSchemas = new EventSchemas({});
