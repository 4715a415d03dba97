import type { attributionEventsV1 as ev } from '@pcn/contracts';
import type { SqlClient, SqlExecutor } from '@pcn/eventsourcing';
import { ATTRIBUTION_TOPIC, attributionReader, topicConsumer, type MessageHandler, type ReceivedMessage } from '@pcn/messaging';
import type { SqlNetworkDirectory } from '../persistence/sql-network-directory';
import type { SqlPatientDirectory } from '../persistence/sql-patient-directory';

export { ATTRIBUTION_TOPIC };
export const PLANNING_ATTRIBUTION_GROUP = 'planning-patients';

const positionOf = (message: ReceivedMessage) => ({ topic: message.topic, partition: message.partition, offset: Number(message.offset) });
const instant = (at: Date | undefined, message: ReceivedMessage): string => (at ?? new Date(message.time)).toISOString();

/**
 * What planning keeps of `pcn.attribution.v1` for the needs of territories: each patient's commune
 * and ALD periods, their attributions with dates, and their erasure; each message in one
 * transaction with the position reached in the log. Every effect is idempotent on the rows'
 * state, so a redelivered message counts nobody twice.
 */
export function attributionNeedsConsumer(deps: {
  sql: SqlClient;
  patients: SqlPatientDirectory;
  positions: Pick<SqlNetworkDirectory, 'recordPosition'>;
}): MessageHandler {
  const apply = (message: ReceivedMessage, effect: (tx: SqlExecutor) => Promise<void>): Promise<void> =>
    deps.sql.transaction(async (tx) => {
      await effect(tx);
      await deps.positions.recordPosition(tx, positionOf(message));
    });
  const learn = (tx: SqlExecutor, patient: ev.PatientSnapshot, occurredAt: Date | undefined, message: ReceivedMessage) =>
    deps.patients.recordPatient(tx, {
      patientId: patient.patientId,
      communeCode: patient.communeInsee,
      ald: patient.ald.map((p) => ({ start: p.start, ...(p.end !== '' && { end: p.end }) })),
      asOf: instant(occurredAt, message),
    });
  return topicConsumer(attributionReader, {
    PatientRegistered: (e, m) => apply(m, (tx) => learn(tx, e.patient!, e.occurredAt, m)),
    PatientUpdated: (e, m) => apply(m, (tx) => learn(tx, e.patient!, e.occurredAt, m)),
    MedecinTraitantDeclared: (e, m) =>
      apply(m, async (tx) => {
        // Read after an erasure, a declaration carries no snapshot: the message key is the patient.
        if (e.patient !== undefined) await learn(tx, e.patient, e.occurredAt, m);
        await deps.patients.recordAttribution(tx, {
          attributionId: e.attributionId,
          patientId: e.patient?.patientId ?? m.key,
          startOn: e.effectiveDate,
          ...(e.replaces !== undefined && e.replaces.attributionId !== '' && { replaces: e.replaces.attributionId }),
        });
      }),
    AttributionEnded: (e, m) => apply(m, (tx) => deps.patients.recordAttributionEnded(tx, e.attributionId, e.endDate)),
    PatientErased: (e, m) => apply(m, (tx) => deps.patients.erase(tx, e.patientId, e.erasedOn, instant(e.occurredAt, m))),
  });
}
