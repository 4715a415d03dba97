import { attributionEventsV1 as ev, registryV1 as rpb } from '@pcn/contracts';
import { attributionReader, registryReader, topicConsumer, type MessageHandler, type ReceivedMessage } from '@pcn/messaging';
import type { CommandContext } from '@pcn/eventsourcing';
import type { Billing } from '../../application/billing';

export const BILLING_ATTRIBUTION_GROUP = 'billing-attribution';
export const BILLING_REGISTRY_GROUP = 'billing-centres';

const context = (message: ReceivedMessage): CommandContext => ({
  causationId: message.id,
  actor: message.source,
  ...(message.headers.traceparent && { traceparent: message.headers.traceparent }),
});

const day = (at: Date | undefined, message: ReceivedMessage): string => (at ?? new Date(message.time)).toISOString().slice(0, 10);
const periods = (list: readonly { start: string; end: string }[]) => list.map((p) => ({ start: p.start, ...(p.end !== '' && { end: p.end }) }));

/**
 * What billing learns from `pcn.attribution.v1`: patients' birth month, commune, ALD and C2S
 * periods, declarations and ends with their dates, each into billing's own record of the patient.
 * Every effect is idempotent on the record's state, so a redelivered message changes nothing.
 * `PatientErased` makes billing forget the patient's personal data (docs/adr/0025); snapshots
 * read after it (redelivered, or replayed from an older offset) are ignored.
 */
export function attributionConsumer(billing: Pick<Billing, 'learnPatient' | 'forgetPatient'>): MessageHandler {
  const learn = async (patient: ev.PatientSnapshot, occurredAt: Date | undefined, message: ReceivedMessage): Promise<void> => {
    await billing.learnPatient(
      {
        type: 'LearnPatient',
        patientId: patient.patientId,
        learnedOn: day(occurredAt, message),
        asOf: (occurredAt ?? new Date(message.time)).toISOString(),
        birthYearMonth: patient.birthYearMonth,
        communeInsee: patient.communeInsee,
        ald: periods(patient.ald),
        c2s: periods(patient.c2s),
      },
      context(message),
    );
  };
  return topicConsumer(attributionReader, {
    PatientRegistered: (e, m) => learn(e.patient!, e.occurredAt, m),
    PatientUpdated: (e, m) => learn(e.patient!, e.occurredAt, m),
    MedecinTraitantDeclared: async (e, m) => {
      if (e.patient !== undefined) await learn(e.patient, e.occurredAt, m);
      const patientId = e.patient?.patientId ?? m.key;
      await billing.learnPatient(
        {
          type: 'LearnDeclaration',
          patientId,
          attributionId: e.attributionId,
          centreFiness: e.centreFiness,
          effectiveDate: e.effectiveDate,
          ...(e.replaces !== undefined && e.replaces.attributionId !== '' && { replaces: e.replaces.attributionId }),
        },
        context(m),
      );
    },
    PatientErased: (e, m) => billing.forgetPatient({ patientId: e.patientId, erasedOn: e.erasedOn }, context(m)),
    AttributionEnded: (e, m) =>
      billing.learnPatient({ type: 'LearnAttributionEnd', patientId: e.patientId, attributionId: e.attributionId, endDate: e.endDate }, context(m)),
  });
}

/**
 * What billing learns from `pcn.registry.v1`: the days each centre is a member. Accreditation makes
 * it a member from `accredited_on`, suspension stops membership from the day it was recorded,
 * reinstatement resumes it, closure ends it on its effective date.
 */
export function registryConsumer(billing: Pick<Billing, 'learnCentre'>): MessageHandler {
  const learn = (finess: string, status: 'member' | 'not_member', from: string, m: ReceivedMessage) =>
    billing.learnCentre({ type: 'LearnMembership', finess, status, from }, context(m));
  return topicConsumer(registryReader, {
    CentreAccredited: (e, m) => learn(e.centre!.finess, 'member', e.accreditedOn !== '' ? e.accreditedOn : day(e.occurredAt, m), m),
    CentreSuspended: (e, m) => learn(e.centre!.finess, 'not_member', day(e.occurredAt, m), m),
    CentreReinstated: (e, m) => learn(e.centre!.finess, 'member', day(e.occurredAt, m), m),
    CentreClosed: (e, m) => learn(e.centre!.finess, 'not_member', e.effectiveDate, m),
    CentreRegistered: async (e, m) => {
      // A centre registered already a member (data migrated from before the network): member since then.
      if (e.centre!.status === rpb.CentreStatus.CENTRE_STATUS_MEMBER && e.centre!.memberSince !== '')
        await learn(e.centre!.finess, 'member', e.centre!.memberSince, m);
    },
  });
}
