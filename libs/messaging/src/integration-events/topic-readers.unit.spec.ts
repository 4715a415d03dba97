import { attributionEventsV1, planningEventsV1, registryEventsV1, staffEventsV1 } from '@pcn/contracts';
import { createLogger, Registry } from '@pcn/observability';
import { eventually } from '@pcn/eventsourcing/testing';
import { UnprocessableMessageError, UnreadableMessageError } from '../errors';
import { InMemoryBus } from '../in-memory/in-memory-bus';
import { newIntegrationMessage, type ReceivedMessage } from '../message';
import { parseDeadLetter } from '../consumer/dead-letter';
import { attributionReader, ATTRIBUTION_TOPIC } from './attribution-reader';
import { PLANNING_TOPIC, planningReader } from './planning-reader';
import { registryReader, REGISTRY_TOPIC } from './registry-reader';
import { staffReader, STAFF_TOPIC } from './staff-reader';
import { topicConsumer } from './topic-reader';
import { UnreadableRegistryMessageError, UnreadableStaffMessageError } from './unreadable-errors';

function received(topic: string, type: string, data: Uint8Array): ReceivedMessage {
  return { ...newIntegrationMessage({ type: `pcn.events.v1.${type}`, source: '/test', key: 'k', data }), topic, partition: 0, offset: '7', attempt: 1 };
}

const centre = (finess = '750000001') => ({
  finess,
  name: 'MSP',
  type: 0,
  communeInsee: '75056',
  departement: '75',
  region: '11',
  status: 0,
  version: 1,
  memberSince: '',
});
const registered = (c = centre()) =>
  received(
    REGISTRY_TOPIC,
    'CentreRegistered',
    registryEventsV1.CentreRegistered.encode(registryEventsV1.CentreRegistered.fromPartial({ centre: c, managerKind: 0 })).finish(),
  );

describe('topic readers', () => {
  it('decode a registry event by its ce_type and hand it typed', () => {
    const read = registryReader.read(registered());
    expect(read).toEqual({ type: 'CentreRegistered', event: expect.objectContaining({ centre: expect.objectContaining({ finess: '750000001' }) }) });
  });

  it('name the missing required field, located, in an error that dead-letters at once', () => {
    const noFiness = registered(centre(''));
    const error = (() => {
      try {
        registryReader.read(noFiness);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UnreadableRegistryMessageError);
    expect(error).toBeInstanceOf(UnprocessableMessageError);
    expect((error as Error).message).toBe(`registry message ${noFiness.id} (pcn.events.v1.CentreRegistered) at ${REGISTRY_TOPIC}/0@7: missing centre.finess`);
    const closure = received(
      REGISTRY_TOPIC,
      'CentreClosed',
      registryEventsV1.CentreClosed.encode(registryEventsV1.CentreClosed.fromPartial({ centre: centre(), effectiveDate: '31/03/2026', reason: 'x' })).finish(),
    );
    expect(() => registryReader.read(closure)).toThrow('effective_date must be a date YYYY-MM-DD, got "31/03/2026"');
    const noCentre = received(
      REGISTRY_TOPIC,
      'CentreClosed',
      registryEventsV1.CentreClosed.encode(registryEventsV1.CentreClosed.fromPartial({ effectiveDate: '2026-03-31', reason: 'x' })).finish(),
    );
    expect(() => registryReader.read(noCentre)).toThrow(/missing centre$/);
  });

  it('say undecodable bytes are unreadable', () => {
    const garbage = received(STAFF_TOPIC, 'AssignmentStarted', new Uint8Array([0xff, 0xff, 0xff]));
    expect(() => staffReader.read(garbage)).toThrow(UnreadableStaffMessageError);
    expect(() => staffReader.read(garbage)).toThrow(/undecodable payload/);
  });

  it('read a type added to the contract later as undefined', () => {
    expect(registryReader.read(received(REGISTRY_TOPIC, 'CentreRenamed', new Uint8Array()))).toBeUndefined();
    expect(registryReader.read({ ...registered(), type: 'org.other.CentreRegistered' })).toBeUndefined();
  });

  it('check the staff and attribution topics too', () => {
    const started = staffEventsV1.AssignmentStarted.encode(
      staffEventsV1.AssignmentStarted.fromPartial({
        professional: { professionalId: 'p1', rpps: '', profession: 0, specialty: 0 },
        assignmentId: 'a1',
        centreFiness: '',
        fte: '1',
        startOn: '2026-01-05',
        endOn: '',
        kind: 0,
      }),
    ).finish();
    expect(() => staffReader.read(received(STAFF_TOPIC, 'AssignmentStarted', started))).toThrow(/missing centre_finess$/);
    const ended = attributionEventsV1.AttributionEnded.encode(
      attributionEventsV1.AttributionEnded.fromPartial({
        patientId: 'pat',
        attributionId: '',
        rpps: '',
        professionalId: '',
        centreFiness: '',
        endDate: '2026-01-05',
        reason: 0,
      }),
    ).finish();
    expect(() => attributionReader.read(received(ATTRIBUTION_TOPIC, 'AttributionEnded', ended))).toThrow(/missing attribution_id$/);
    const waitlisted = attributionEventsV1.PatientWaitlisted.encode(
      attributionEventsV1.PatientWaitlisted.fromPartial({ patientId: 'pat', waitingSince: '2026-01-05', topPriority: false, enrolledBy: 0, centreFiness: '' }),
    ).finish();
    expect(attributionReader.read(received(ATTRIBUTION_TOPIC, 'PatientWaitlisted', waitlisted))).toMatchObject({
      type: 'PatientWaitlisted',
      event: { patientId: 'pat' },
    });
    const erased = (erasedOn: string) =>
      attributionEventsV1.PatientErased.encode(attributionEventsV1.PatientErased.fromPartial({ patientId: 'pat', erasedOn })).finish();
    expect(attributionReader.read(received(ATTRIBUTION_TOPIC, 'PatientErased', erased('2026-03-02')))).toMatchObject({
      type: 'PatientErased',
      event: { patientId: 'pat', erasedOn: '2026-03-02' },
    });
    expect(() => attributionReader.read(received(ATTRIBUTION_TOPIC, 'PatientErased', erased('02/03/2026')))).toThrow(/erased_on must be a date/);
  });
});

describe('the planning topic', () => {
  it('reads a fulfilment, and refuses one without its scheme or with a malformed date', () => {
    const fulfilled = (over: Partial<planningEventsV1.ProposalFulfilled>) =>
      planningEventsV1.ProposalFulfilled.encode(
        planningEventsV1.ProposalFulfilled.fromPartial({
          schemeId: 'ain-2027',
          proposalId: 'p1',
          centreFiness: '010000024',
          communeCode: '01004',
          accreditedOn: '2027-03-01',
          ...over,
        }),
      ).finish();
    expect(planningReader.read(received(PLANNING_TOPIC, 'ProposalFulfilled', fulfilled({})))).toMatchObject({
      type: 'ProposalFulfilled',
      event: { schemeId: 'ain-2027', proposalId: 'p1' },
    });
    expect(() => planningReader.read(received(PLANNING_TOPIC, 'ProposalFulfilled', fulfilled({ schemeId: '' })))).toThrow(/missing scheme_id/);
    expect(() => planningReader.read(received(PLANNING_TOPIC, 'ProposalFulfilled', fulfilled({ accreditedOn: '1/3/2027' })))).toThrow(
      /accredited_on must be a date/,
    );
  });
});

describe('topicConsumer', () => {
  it('hands each type to its handler and ignores the others unread', async () => {
    const seen: string[] = [];
    const consume = topicConsumer(registryReader, { CentreRegistered: async (event) => void seen.push(event.centre!.finess) });
    await consume(registered());
    // Not handled, so not read: a malformed message of a type this consumer ignores does not stop it.
    await consume(received(REGISTRY_TOPIC, 'CentreAmended', new Uint8Array([0xff, 0xff])));
    expect(seen).toEqual(['750000001']);
    await expect(consume(registered(centre('')))).rejects.toBeInstanceOf(UnreadableMessageError);
  });

  it('lets the bus dead-letter an unreadable message on its first attempt', async () => {
    const bus = new InMemoryBus({ logger: createLogger({ service: 'test', level: 'silent' }), registry: new Registry() });
    try {
      let attempts = 0;
      await bus.subscribe({
        topic: REGISTRY_TOPIC,
        groupId: 'g',
        retry: { maxAttempts: 5, initialBackoffMs: 0, maxBackoffMs: 0 },
        handler: async (message) => {
          attempts += 1;
          await topicConsumer(registryReader, { CentreRegistered: async () => undefined })(message);
        },
      });
      const dead: ReceivedMessage[] = [];
      await bus.subscribe({ topic: `${REGISTRY_TOPIC}.dlq`, groupId: 'dlq', handler: async (m) => void dead.push(m) });
      const poisoned = registered(centre(''));
      await bus.publish(REGISTRY_TOPIC, [poisoned]);
      await eventually(() => expect(dead).toHaveLength(1));
      expect(attempts).toBe(1);
      expect(parseDeadLetter(dead[0]!)).toMatchObject({ attempts: 1, consumer: 'g', reason: expect.stringContaining('missing centre.finess') });
    } finally {
      await bus.close();
    }
  });
});
