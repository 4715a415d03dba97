import { attributionEventsV1 as ev, registryEventsV1 as rev, registryV1 as rpb } from '@pcn/contracts';
import { ATTRIBUTION_TOPIC, REGISTRY_TOPIC, type ReceivedMessage } from '@pcn/messaging';
import type { Billing } from '../application/billing';
import { attributionConsumer, registryConsumer } from '../adapters/messaging/fact-consumers';

let offset = 0;
/** An integration event as billing's consumers receive it from the attribution or registry topic. */
export function factMessage(topic: string, type: string, key: string, data: Uint8Array): ReceivedMessage {
  const at = ++offset;
  return {
    id: `fixture-msg-${process.pid}-${at}`,
    type: `pcn.events.v1.${type}`,
    source: topic === REGISTRY_TOPIC ? '/pcn/registry' : '/pcn/attribution',
    time: '2026-03-01T08:00:00Z',
    subject: key,
    key,
    contentType: 'application/protobuf',
    data,
    headers: {},
    topic,
    partition: 0,
    offset: String(at),
    attempt: 1,
  };
}

/** A declaration of GP 10000000001 at `finess`, as the attribution topic carries it (an adult without ALD by default). */
export function declaredMessage(
  patientId: string,
  attributionId: string,
  finess: string,
  effectiveDate: string,
  patient: ev.PatientSnapshot = { patientId, birthYearMonth: '1986-05', sex: 0, communeInsee: '93066', ald: [], c2s: [] },
): ReceivedMessage {
  return factMessage(
    ATTRIBUTION_TOPIC,
    'MedecinTraitantDeclared',
    patientId,
    ev.MedecinTraitantDeclared.encode(
      ev.MedecinTraitantDeclared.fromPartial({
        attributionId,
        rpps: '10000000001',
        professionalId: 'gp-1',
        centreFiness: finess,
        effectiveDate,
        channel: 0,
        patient,
        occurredAt: new Date(`${effectiveDate}T10:00:00Z`),
      }),
    ).finish(),
  );
}

/** Feeds billing the registry and attribution events it learns its facts from. */
export function factFeeder(billing: Billing): {
  accredit(finess: string, on: string): Promise<void>;
  declare(patientId: string, attributionId: string, finess: string, effectiveDate: string): Promise<void>;
} {
  const registry = registryConsumer(billing);
  const attribution = attributionConsumer(billing);
  return {
    accredit: (finess, on) =>
      registry(
        factMessage(
          REGISTRY_TOPIC,
          'CentreAccredited',
          finess,
          rev.CentreAccredited.encode({
            centre: rev.CentreSnapshot.fromPartial({
              finess,
              name: 'CDS',
              status: rpb.CentreStatus.CENTRE_STATUS_MEMBER,
              version: 2,
              memberSince: on,
              departement: '93',
              region: '11',
            }),
            occurredAt: new Date(`${on}T09:00:00Z`),
            accreditedOn: on,
          }).finish(),
        ),
      ),
    declare: (patientId, attributionId, finess, effectiveDate) => attribution(declaredMessage(patientId, attributionId, finess, effectiveDate)),
  };
}
