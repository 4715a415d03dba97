import { registryEventsV1 as ev } from '@pcn/contracts';
import { fields, schema, topicReader, type FieldChecks, type ReadEvent } from './topic-reader';
import { UnreadableRegistryMessageError } from './unreadable-errors';

/** The registry's topic: one message per centre lifecycle event, keyed by FINESS. */
export const REGISTRY_TOPIC = 'pcn.registry.v1';

/** Every registry event carries the centre as it is after the event; without its FINESS it is about no one. */
const snapshot = (checks: FieldChecks, centre: ev.CentreSnapshot): void => void checks.text('centre.finess', centre.finess);
const withCentre = (e: { centre?: ev.CentreSnapshot | undefined }): readonly string[] => fields().message('centre', e.centre, snapshot).problems;

const registrySchemas = {
  CentreRegistered: schema(ev.CentreRegistered, withCentre),
  CentreAmended: schema(ev.CentreAmended, withCentre),
  CentreAccredited: schema(ev.CentreAccredited, withCentre),
  CentreSuspended: schema(ev.CentreSuspended, withCentre),
  CentreReinstated: schema(ev.CentreReinstated, withCentre),
  CentreClosed: schema(ev.CentreClosed, (e) => fields().message('centre', e.centre, snapshot).date('effective_date', e.effectiveDate).problems),
};

export type RegistryEvent = ReadEvent<typeof registrySchemas>;

export const registryReader = topicReader(REGISTRY_TOPIC, (message, why) => new UnreadableRegistryMessageError(message, why), registrySchemas);
