import { attributionEventsV1 as ev, attributionV1 as pb } from '@pcn/contracts';
import { CommandHandler, InMemoryEventStore, InMemorySubjectKeyStore, SealedEventStore, type EventStore, type RecordedEvent } from '@pcn/eventsourcing';
import { TestClock } from '@pcn/eventsourcing/testing';
import type { OutgoingMessage } from '@pcn/messaging';
import { nirKey } from '@pcn/referential';
import { PanelBook } from '../../application/panel-book';
import { NirPseudonymiser } from '../../application/patient-identity';
import { PatientCommands } from '../../application/patient-commands';
import { PatientErasure } from '../../application/patient-erasure';
import { personalDataSealing } from '../../application/personal-data';
import { patientStream } from '../../application/stream-ids';
import { Patients } from '../../application/patients';
import { declare, endAttribution, enrolOnWaitlist, propose } from '../../domain/patient/patient-decisions';
import { ATTRIBUTION_TOPIC } from '@pcn/messaging';
import type { PatientEvent } from '../../domain/patient/patient-events';
import { evolvePatient, initialPatientState, type PatientState } from '../../domain/patient/patient-state';
import { ATTRIBUTION_SOURCE, attributionEventMapper } from './attribution-integration-events';

const first13 = '2800575056123';
/** A woman born on 12 May 1980 in Paris. */
const NIR = `${first13}${String(nirKey(first13)).padStart(2, '0')}`;
const BIRTH_DATE = '1980-05-12';
const GP1 = { rpps: '10000000019', professionalId: 'pro-1', centreFiness: '750000117' };
const GP2 = { rpps: '10000000027', professionalId: 'pro-2', centreFiness: '750000117' };

const decoders: Record<string, (data: Uint8Array) => unknown> = {
  PatientRegistered: (d) => ev.PatientRegistered.toJSON(ev.PatientRegistered.decode(d)),
  PatientUpdated: (d) => ev.PatientUpdated.toJSON(ev.PatientUpdated.decode(d)),
  MedecinTraitantDeclared: (d) => ev.MedecinTraitantDeclared.toJSON(ev.MedecinTraitantDeclared.decode(d)),
  AttributionEnded: (d) => ev.AttributionEnded.toJSON(ev.AttributionEnded.decode(d)),
  PatientWaitlisted: (d) => ev.PatientWaitlisted.toJSON(ev.PatientWaitlisted.decode(d)),
};

/** A patient's life through the application and the domain, on an in-memory store. */
async function patientLife<S extends EventStore = InMemoryEventStore>(store: S = new InMemoryEventStore() as unknown as S) {
  const clock = new TestClock();
  const commands = new PatientCommands(store, new PanelBook(store), { clock });
  const identity = new NirPseudonymiser('attribution-tests-key-0123456789');
  const patients = new Patients(commands, identity, clock);
  const { patientId } = await patients.register(
    { nir: NIR, birthDate: BIRTH_DATE, sex: 'female', communeInsee: '75111', ald: [{ start: '2020-01-01' }] },
    { actor: 'centre:reception' },
  );
  const ref = { patientId };
  // A corrected birth day: nothing another service sees changes.
  await patients.update(ref, { birthDate: '1980-05-21' });
  await patients.update(ref, { communeInsee: '75112', c2s: [{ start: '2025-01-01', end: '2026-01-01' }] });
  // The patient's stream alone, each step decided by the domain function it names.
  type Step = (scope: { patient: { state: PatientState } }) => { patient: readonly PatientEvent[] };
  const steps = new CommandHandler(store, {
    initialState: initialPatientState,
    evolve: evolvePatient,
    decide: (step: Step, state) => step({ patient: { state } }).patient,
  });
  const write = (step: Step) => steps.handle(patientStream(patientId), step);
  await write(({ patient }) => ({
    patient: declare(patient.state, patientId, { ...GP1, attributionId: 'att-1', effectiveDate: '2026-01-10', channel: 'paper_form' }),
  }));
  await write(({ patient }) => ({
    patient: declare(patient.state, patientId, { ...GP2, attributionId: 'att-2', effectiveDate: '2026-02-01', channel: 'teleservice' }),
  }));
  await write(({ patient }) => ({ patient: endAttribution(patient.state, patientId, { endDate: '2026-03-01', reason: 'moved_away' }) }));
  await write(({ patient }) => ({
    patient: enrolOnWaitlist(patient.state, patientId, {
      since: '2026-03-02',
      enrolledBy: { kind: 'centre', centreFiness: GP1.centreFiness },
      topPriority: false,
    }),
  }));
  await write(({ patient }) => ({ patient: propose(patient.state, patientId, { ...GP1, proposalId: 'prop-1', distanceKm: 1.2, proposedOn: '2026-03-02' }) }));
  return { store, patientId, patients, commands, identity, clock };
}

async function publish(store: EventStore, events: readonly RecordedEvent[]): Promise<OutgoingMessage[]> {
  const map = attributionEventMapper(store);
  const out: OutgoingMessage[] = [];
  for (const event of events) {
    const message = await map(event);
    if (message) out.push(message);
  }
  return out;
}

describe('attributionEventMapper', () => {
  it('publishes registrations, visible updates, declarations, ends and enrolments, keyed by patient id', async () => {
    const { store, patientId } = await patientLife();
    const messages = await publish(store, await store.readAll());
    expect(messages.map((m) => m.message.type)).toEqual([
      'pcn.events.v1.PatientRegistered',
      // The birth-day correction is not published.
      'pcn.events.v1.PatientUpdated',
      'pcn.events.v1.MedecinTraitantDeclared',
      'pcn.events.v1.MedecinTraitantDeclared',
      'pcn.events.v1.AttributionEnded',
      'pcn.events.v1.PatientWaitlisted',
      // The proposal is not published.
    ]);
    for (const { topic, message } of messages) {
      expect(topic).toBe(ATTRIBUTION_TOPIC);
      expect(message).toMatchObject({ key: patientId, subject: patientId, source: ATTRIBUTION_SOURCE, contentType: 'application/protobuf' });
    }
    const [registered, updated, declared, redeclared, ended, waitlisted] = messages.map((m) => m.message.data);
    const snapshot = { patientId, birthYearMonth: '1980-05', sex: pb.Sex.SEX_FEMALE, communeInsee: '75111', ald: [{ start: '2020-01-01', end: '' }], c2s: [] };
    expect(ev.PatientRegistered.decode(registered!)).toMatchObject({ patient: snapshot });
    expect(ev.PatientUpdated.decode(updated!)).toMatchObject({
      patient: { ...snapshot, communeInsee: '75112', c2s: [{ start: '2025-01-01', end: '2026-01-01' }] },
      changed: ['commune_insee', 'c2s'],
    });
    expect(ev.MedecinTraitantDeclared.decode(declared!)).toMatchObject({
      attributionId: 'att-1',
      ...GP1,
      effectiveDate: '2026-01-10',
      channel: pb.DeclarationChannel.DECLARATION_CHANNEL_PAPER_FORM,
      replaces: undefined,
      patient: { patientId, birthYearMonth: '1980-05', communeInsee: '75112' },
    });
    expect(ev.MedecinTraitantDeclared.decode(redeclared!)).toMatchObject({ attributionId: 'att-2', replaces: { attributionId: 'att-1', ...GP1 } });
    expect(ev.AttributionEnded.decode(ended!)).toMatchObject({
      patientId,
      attributionId: 'att-2',
      ...GP2,
      endDate: '2026-03-01',
      reason: pb.EndReason.END_REASON_MOVED_AWAY,
    });
    expect(ev.PatientWaitlisted.decode(waitlisted!)).toMatchObject({
      patientId,
      waitingSince: '2026-03-02',
      topPriority: false,
      enrolledBy: pb.EnrollerKind.ENROLLER_KIND_CENTRE,
      centreFiness: GP1.centreFiness,
    });
  });

  it('never carries the NIR nor the birth day', async () => {
    const { store } = await patientLife();
    const messages = await publish(store, await store.readAll());
    expect(messages.length).toBeGreaterThan(0);
    for (const { message } of messages) {
      const bytes = Buffer.from(message.data).toString('latin1');
      const decoded = JSON.stringify(decoders[message.type.replace('pcn.events.v1.', '')]!(message.data));
      for (const text of [bytes, decoded, JSON.stringify({ ...message, data: undefined })]) {
        expect(text).not.toContain(NIR);
        expect(text).not.toContain(first13);
        expect(text).not.toContain(BIRTH_DATE);
        expect(text).not.toContain('1980-05-21');
      }
    }
  });

  it('maps an event as the patient stood at its revision, also when replayed later', async () => {
    const { store, patientId, patients } = await patientLife();
    await patients.update({ patientId }, { communeInsee: '75113' });
    const all = await store.readAll();
    const declaredEvent = all.find((e) => e.type === 'MedecinTraitantDeclared')!;
    const [message] = await publish(store, [declaredEvent]);
    // The stream has moved on, but the snapshot is the one of the declaration's revision.
    expect(ev.MedecinTraitantDeclared.decode(message!.message.data).patient?.communeInsee).toBe('75112');
    expect(message!.message.id).toBe(declaredEvent.id);
  });

  it('publishes nothing of panel or departure streams', async () => {
    const store = new InMemoryEventStore();
    const metadata = { occurredAt: '2026-03-02T09:00:00.000Z' };
    await store.append(
      'panel-10000000019',
      [
        {
          id: '00000000-0000-4000-8000-000000000001',
          type: 'PanelCapacitySet',
          schemaVersion: 1,
          data: { rpps: '10000000019', capacity: 1, reason: 'x' },
          metadata,
        },
      ],
      'no_stream',
    );
    await store.append(
      'departure-d1',
      [{ id: '00000000-0000-4000-8000-000000000002', type: 'DepartureStarted', schemaVersion: 1, data: {}, metadata }],
      'no_stream',
    );
    expect(await publish(store, await store.readAll())).toEqual([]);
  });

  it('publishes PatientErased, and nothing of a registration or update read after the erasure', async () => {
    const keys = new InMemorySubjectKeyStore();
    const { store, patientId, commands, identity, clock } = await patientLife(new SealedEventStore(new InMemoryEventStore(), personalDataSealing(keys)));
    await new PatientErasure({ commands, keys, identity, clock }).erase({ patientId });
    // The relay replaying the whole stream after the erasure, as after a lost checkpoint.
    const messages = await publish(store, await store.readAll());
    expect(messages.map((m) => m.message.type)).toEqual([
      'pcn.events.v1.MedecinTraitantDeclared',
      'pcn.events.v1.MedecinTraitantDeclared',
      'pcn.events.v1.AttributionEnded',
      'pcn.events.v1.PatientWaitlisted',
      'pcn.events.v1.PatientErased',
    ]);
    const erased = messages.at(-1)!.message;
    expect(erased).toMatchObject({ key: patientId, subject: patientId });
    expect(ev.PatientErased.decode(erased.data)).toMatchObject({ patientId, erasedOn: '2026-03-02' });
    // The declarations no longer carry the patient's snapshot.
    expect(ev.MedecinTraitantDeclared.decode(messages[0]!.message.data).patient).toBeUndefined();
    for (const { message } of messages) expect(Buffer.from(message.data).toString('latin1')).not.toMatch(/1980|75111|75112|2020-01-01/);
  });
});
