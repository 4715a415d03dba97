import { registryEventsV1 as rev, registryV1 as rpb, staffEventsV1 as sev, staffV1 as spb } from '@pcn/contracts';
import { PgliteSqlClient } from '@pcn/eventsourcing';
import { REGISTRY_TOPIC, STAFF_TOPIC, type ReceivedMessage } from '@pcn/messaging';
import { completeFiness, completeRpps } from '@pcn/referential';
import type { Causation, DepartureRecorder } from '../../application/ports';
import { migrateDirectoryTables } from '../persistence/directory-tables';
import { SqlPractitionerDirectory } from '../persistence/sql-practitioner-directory';
import { UnreadableRegistryMessageError, UnreadableStaffMessageError } from '@pcn/messaging';
import { registryConsumer } from './registry-consumer';
import { staffConsumer } from './staff-consumer';

const finess = completeFiness;
const rpps = completeRpps;

const CENTRE_A = finess('93000001');
const CENTRE_B = finess('75000002');
const GP_RPPS = rpps('1000000001');
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

let sql: PgliteSqlClient;
let n = 0;
beforeAll(async () => {
  sql = await PgliteSqlClient.open();
}, 60_000);
afterAll(() => sql.close());

type Departure = { kind: 'assignmentEnded' | 'centreClosed'; departure: object; causation: Causation };

/** A departure recorder that only remembers what it was handed. */
class RecordingDepartures implements DepartureRecorder {
  readonly calls: Departure[] = [];
  async assignmentEnded(departure: Parameters<DepartureRecorder['assignmentEnded']>[0], causation: Causation): Promise<void> {
    this.calls.push({ kind: 'assignmentEnded', departure, causation });
  }
  async centreClosed(departure: Parameters<DepartureRecorder['centreClosed']>[0], causation: Causation): Promise<void> {
    this.calls.push({ kind: 'centreClosed', departure, causation });
  }
}

let offset = 0;
function received(
  topic: string,
  message: string,
  key: string,
  data: Uint8Array,
  headers: Record<string, string> = { traceparent: TRACEPARENT },
): ReceivedMessage {
  const at = ++offset;
  return {
    id: `msg-${at}`,
    type: `pcn.events.v1.${message}`,
    source: topic === REGISTRY_TOPIC ? '/pcn/registry' : '/pcn/staff',
    time: '2026-01-01T00:00:00Z',
    subject: key,
    key,
    contentType: 'application/protobuf',
    data,
    headers,
    topic,
    partition: 0,
    offset: String(at),
    attempt: 1,
  };
}

async function setUp(): Promise<{
  directory: SqlPractitionerDirectory;
  departures: RecordingDepartures;
  registry: (m: ReceivedMessage) => Promise<void>;
  staff: (m: ReceivedMessage) => Promise<void>;
}> {
  const schema = `attribution_directory_${++n}`;
  await migrateDirectoryTables(sql, schema);
  const directory = new SqlPractitionerDirectory(sql, schema);
  const departures = new RecordingDepartures();
  return { directory, departures, registry: registryConsumer({ sql, directory, departures }), staff: staffConsumer({ sql, directory, departures }) };
}

// --- registry messages -------------------------------------------------------------------------

const snapshot = (over: Partial<rev.CentreSnapshot> = {}): rev.CentreSnapshot =>
  rev.CentreSnapshot.fromPartial({
    finess: CENTRE_A,
    name: 'Centre de santé Pierre Rouquès',
    type: rpb.CentreType.CENTRE_TYPE_COMMUNITY_PARTICIPATORY,
    communeInsee: '93066',
    departement: '93',
    region: '11',
    coordinates: { latitude: 48.9362, longitude: 2.3574 },
    status: rpb.CentreStatus.CENTRE_STATUS_CANDIDATE,
    version: 0,
    ...over,
  });

const registered = (centre: rev.CentreSnapshot): ReceivedMessage =>
  received(
    REGISTRY_TOPIC,
    'CentreRegistered',
    centre.finess,
    rev.CentreRegistered.encode(rev.CentreRegistered.fromPartial({ centre, occurredAt: new Date() })).finish(),
  );
const amended = (centre: rev.CentreSnapshot): ReceivedMessage =>
  received(
    REGISTRY_TOPIC,
    'CentreAmended',
    centre.finess,
    rev.CentreAmended.encode(rev.CentreAmended.fromPartial({ centre, amendedFields: ['name'] })).finish(),
  );
const suspended = (centre: rev.CentreSnapshot): ReceivedMessage =>
  received(
    REGISTRY_TOPIC,
    'CentreSuspended',
    centre.finess,
    rev.CentreSuspended.encode(rev.CentreSuspended.fromPartial({ centre, reason: 'inspection' })).finish(),
  );
const closed = (centre: rev.CentreSnapshot, effectiveDate: string): ReceivedMessage =>
  received(
    REGISTRY_TOPIC,
    'CentreClosed',
    centre.finess,
    rev.CentreClosed.encode(rev.CentreClosed.fromPartial({ centre, effectiveDate, reason: 'merged' })).finish(),
  );

describe('the registry consumer', () => {
  it('learns a centre with its type, commune and coordinates', async () => {
    const { directory, registry } = await setUp();
    await registry(registered(snapshot()));
    await registry(
      registered(
        snapshot({ finess: CENTRE_B, type: rpb.CentreType.CENTRE_TYPE_UNSPECIFIED, coordinates: undefined, departement: '75', communeInsee: '75056' }),
      ),
    );

    expect(await directory.centre(CENTRE_A)).toEqual({
      finess: CENTRE_A,
      name: 'Centre de santé Pierre Rouquès',
      type: 'community_participatory',
      communeInsee: '93066',
      departement: '93',
      region: '11',
      latitude: 48.9362,
      longitude: 2.3574,
      status: 'candidate',
    });
    const b = await directory.centre(CENTRE_B);
    expect(b).toMatchObject({ type: 'unspecified', communeInsee: '75056', departement: '75' });
    expect(b).not.toHaveProperty('latitude');
    expect(b).not.toHaveProperty('longitude');
    expect((await directory.centres()).map((c) => c.finess)).toEqual([CENTRE_B, CENTRE_A].sort());
    expect(await directory.centre(finess('13000009'))).toBeUndefined();
  });

  it('learns when membership starts, also from an accreditation recorded in advance, and keeps it', async () => {
    const { directory, registry } = await setUp();
    const accredited = snapshot({ version: 1, status: rpb.CentreStatus.CENTRE_STATUS_CANDIDATE, memberSince: '2027-01-05' });
    await registry(
      received(
        REGISTRY_TOPIC,
        'CentreAccredited',
        CENTRE_A,
        rev.CentreAccredited.encode(rev.CentreAccredited.fromPartial({ centre: accredited, accreditedOn: '2027-01-05' })).finish(),
      ),
    );
    expect(await directory.centre(CENTRE_A)).toMatchObject({ status: 'candidate', memberSince: '2027-01-05' });
    // A message from a registry that predates the field says nothing of it: the date is kept.
    await registry(amended(snapshot({ version: 2, memberSince: '' })));
    expect(await directory.centre(CENTRE_A)).toMatchObject({ memberSince: '2027-01-05' });
  });

  it('ignores a message older than what it knows', async () => {
    const { directory, registry } = await setUp();
    await registry(registered(snapshot()));
    await registry(amended(snapshot({ name: 'CDS Rouquès', version: 2, status: rpb.CentreStatus.CENTRE_STATUS_MEMBER })));
    // Late: the suspension of revision 1 arrives after revision 2.
    await registry(suspended(snapshot({ version: 1, status: rpb.CentreStatus.CENTRE_STATUS_SUSPENDED })));
    expect(await directory.centre(CENTRE_A)).toMatchObject({ name: 'CDS Rouquès', status: 'member' });
  });

  it('keeps a closure, and hands the departure over with its causation', async () => {
    const { directory, departures, registry } = await setUp();
    await registry(registered(snapshot()));
    const closure = closed(snapshot({ version: 3, status: rpb.CentreStatus.CENTRE_STATUS_CLOSED }), '2026-06-30');
    await registry(closure);

    expect(await directory.centre(CENTRE_A)).toMatchObject({ status: 'closed', closedOn: '2026-06-30' });
    expect(departures.calls).toEqual([
      { kind: 'centreClosed', departure: { centreFiness: CENTRE_A, closedOn: '2026-06-30' }, causation: { causationId: closure.id, traceparent: TRACEPARENT } },
    ]);

    // A late amendment changes nothing; a later revision that says nothing of the closure keeps it.
    await registry(amended(snapshot({ name: 'Renamed late', version: 2, status: rpb.CentreStatus.CENTRE_STATUS_MEMBER })));
    expect(await directory.centre(CENTRE_A)).toMatchObject({ name: 'Centre de santé Pierre Rouquès', status: 'closed', closedOn: '2026-06-30' });
    await registry(amended(snapshot({ name: 'Renamed after', version: 4, status: rpb.CentreStatus.CENTRE_STATUS_CLOSED })));
    expect(await directory.centre(CENTRE_A)).toMatchObject({ name: 'Renamed after', status: 'closed', closedOn: '2026-06-30' });
  });

  it('changes nothing when a message is delivered again, and hands a closure over again to the idempotent recorder', async () => {
    const { directory, departures, registry } = await setUp();
    const closure = closed(snapshot({ version: 1, status: rpb.CentreStatus.CENTRE_STATUS_CLOSED }), '2026-06-30');
    await registry(registered(snapshot()));
    await registry(closure);
    const before = await directory.centres();
    await registry({ ...closure, attempt: 2 });
    await registry(registered(snapshot()));
    expect(await directory.centres()).toEqual(before);
    expect(departures.calls.map((c) => c.causation.causationId)).toEqual([closure.id, closure.id]);
  });

  it('leaves the traceparent out of the causation when the message has none', async () => {
    const { departures, registry } = await setUp();
    await registry(
      received(
        REGISTRY_TOPIC,
        'CentreClosed',
        CENTRE_A,
        rev.CentreClosed.encode(rev.CentreClosed.fromPartial({ centre: snapshot(), effectiveDate: '2026-06-30' })).finish(),
        {},
      ),
    );
    expect(departures.calls[0]?.causation).toEqual({ causationId: expect.any(String) });
  });

  it('ignores a message type it does not know (a newer contract)', async () => {
    const { directory, departures, registry } = await setUp();
    await registry(received(REGISTRY_TOPIC, 'CentreMerged', CENTRE_A, new Uint8Array([1, 2, 3])));
    expect(await directory.centres()).toEqual([]);
    expect(departures.calls).toEqual([]);
  });

  it('refuses a malformed message with an error naming where it sits', async () => {
    const { departures, registry } = await setUp();
    const garbage = received(REGISTRY_TOPIC, 'CentreRegistered', CENTRE_A, new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]));
    await expect(registry(garbage)).rejects.toThrow(UnreadableRegistryMessageError);
    await expect(registry(garbage)).rejects.toThrow(`${garbage.id} (pcn.events.v1.CentreRegistered) at ${REGISTRY_TOPIC}/0@${garbage.offset}`);

    const noSnapshot = received(
      REGISTRY_TOPIC,
      'CentreAmended',
      CENTRE_A,
      rev.CentreAmended.encode(rev.CentreAmended.fromPartial({ amendedFields: ['name'] })).finish(),
    );
    await expect(registry(noSnapshot)).rejects.toMatchObject({
      name: 'UnreadableRegistryMessageError',
      messageId: noSnapshot.id,
      topic: REGISTRY_TOPIC,
      partition: 0,
      offset: noSnapshot.offset,
    });

    await expect(registry(closed(snapshot(), ''))).rejects.toThrow(/effective_date/);
    expect(departures.calls).toEqual([]);
  });
});

// --- staff messages ----------------------------------------------------------------------------

const GP = { professionalId: 'pro-gp-1', rpps: GP_RPPS, profession: spb.Profession.PROFESSION_DOCTOR, specialty: spb.Specialty.SPECIALTY_GENERAL_PRACTICE };
const NURSE = { professionalId: 'pro-nurse-1', rpps: '', profession: spb.Profession.PROFESSION_NURSE, specialty: spb.Specialty.SPECIALTY_UNSPECIFIED };
const PAEDIATRICIAN = {
  professionalId: 'pro-paed-1',
  rpps: rpps('1000000002'),
  profession: spb.Profession.PROFESSION_DOCTOR,
  specialty: spb.Specialty.SPECIALTY_PAEDIATRICS,
};

const assignmentStarted = (over: Partial<sev.AssignmentStarted> = {}): ReceivedMessage => {
  const m = sev.AssignmentStarted.fromPartial({
    professional: GP,
    assignmentId: 'asg-1',
    centreFiness: CENTRE_A,
    fte: '0.6',
    startOn: '2026-01-05',
    endOn: '',
    kind: spb.AssignmentKind.ASSIGNMENT_KIND_REGULAR,
    occurredAt: new Date(),
    ...over,
  });
  return received(STAFF_TOPIC, 'AssignmentStarted', m.professional?.professionalId ?? 'none', sev.AssignmentStarted.encode(m).finish());
};

const assignmentEnded = (over: Partial<sev.AssignmentEnded> = {}): ReceivedMessage => {
  const m = sev.AssignmentEnded.fromPartial({
    professional: GP,
    assignmentId: 'asg-1',
    centreFiness: CENTRE_A,
    endOn: '2026-04-01',
    reason: 'transfer',
    occurredAt: new Date(),
    ...over,
  });
  return received(STAFF_TOPIC, 'AssignmentEnded', m.professional?.professionalId ?? 'none', sev.AssignmentEnded.encode(m).finish());
};

describe('the staff consumer', () => {
  it("records a GP's assignment, its end, and hands the departure over", async () => {
    const { directory, departures, staff } = await setUp();
    await staff(assignmentStarted());
    expect(await directory.assignmentsOf(GP_RPPS)).toEqual([
      { assignmentId: 'asg-1', professionalId: GP.professionalId, rpps: GP_RPPS, centreFiness: CENTRE_A, fte: 0.6, startOn: '2026-01-05' },
    ]);
    expect(departures.calls).toEqual([]);

    const ended = assignmentEnded();
    await staff(ended);
    expect(await directory.assignmentsOf(GP_RPPS)).toEqual([
      {
        assignmentId: 'asg-1',
        professionalId: GP.professionalId,
        rpps: GP_RPPS,
        centreFiness: CENTRE_A,
        fte: 0.6,
        startOn: '2026-01-05',
        endOn: '2026-04-01',
        endReason: 'transfer',
      },
    ]);
    expect(departures.calls).toEqual([
      {
        kind: 'assignmentEnded',
        departure: { assignmentId: 'asg-1', professionalId: GP.professionalId, rpps: GP_RPPS, centreFiness: CENTRE_A, endOn: '2026-04-01', reason: 'transfer' },
        causation: { causationId: ended.id, traceparent: TRACEPARENT },
      },
    ]);
  });

  it('records a fixed-term assignment with its planned end, and a full-time one as 1', async () => {
    const { directory, staff } = await setUp();
    await staff(
      assignmentStarted({
        assignmentId: 'mob-1:destination',
        centreFiness: CENTRE_B,
        fte: '1',
        startOn: '2026-04-01',
        endOn: '2026-10-01',
        kind: spb.AssignmentKind.ASSIGNMENT_KIND_SECONDMENT,
      }),
    );
    expect(await directory.assignmentsOf(GP_RPPS)).toEqual([
      expect.objectContaining({ assignmentId: 'mob-1:destination', fte: 1, startOn: '2026-04-01', endOn: '2026-10-01' }),
    ]);
    expect((await directory.assignmentsOf(GP_RPPS))[0]).not.toHaveProperty('endReason');
  });

  it('ignores nurses, doctors of another specialty, and a GP without an RPPS number', async () => {
    const { directory, departures, staff } = await setUp();
    for (const professional of [NURSE, PAEDIATRICIAN, { ...GP, professionalId: 'pro-gp-no-rpps', rpps: '' }]) {
      await staff(assignmentStarted({ professional, assignmentId: `asg-${professional.professionalId}` }));
      await staff(assignmentEnded({ professional, assignmentId: `asg-${professional.professionalId}` }));
    }
    expect(await directory.assignmentsAt(CENTRE_A, '2026-02-01')).toEqual([]);
    expect(await directory.assignmentsOf(PAEDIATRICIAN.rpps)).toEqual([]);
    expect(departures.calls).toEqual([]);
  });

  it('changes nothing when messages are delivered again: a repeated start does not reopen a recorded end', async () => {
    const { directory, departures, staff } = await setUp();
    const start = assignmentStarted();
    const end = assignmentEnded();
    await staff(start);
    await staff(end);
    const before = await directory.assignmentsOf(GP_RPPS);
    await staff({ ...start, attempt: 2 });
    await staff({ ...end, attempt: 2 });
    await staff(start);
    expect(await directory.assignmentsOf(GP_RPPS)).toEqual(before);
    expect(before[0]).toMatchObject({ endOn: '2026-04-01', endReason: 'transfer' });
    // The recorder is idempotent: it is handed the same departure again, under the same causation.
    expect(departures.calls.map((c) => c.causation.causationId)).toEqual([end.id, end.id]);
  });

  it('lets an end move earlier, never later', async () => {
    const { directory, staff } = await setUp();
    await staff(assignmentStarted({ endOn: '2026-10-01' }));
    await staff(assignmentEnded({ endOn: '2026-06-01', reason: 'request' }));
    await staff(assignmentEnded({ endOn: '2026-05-01', reason: 'centre_closed' }));
    await staff(assignmentEnded({ endOn: '2026-07-01', reason: 'exit' }));
    expect(await directory.assignmentsOf(GP_RPPS)).toEqual([expect.objectContaining({ endOn: '2026-05-01', endReason: 'centre_closed' })]);
  });

  it('hands over the end of an assignment whose start it never saw, without storing it', async () => {
    const { directory, departures, staff } = await setUp();
    await staff(assignmentEnded({ assignmentId: 'asg-before-my-time', endOn: '2026-03-01', reason: 'exit' }));
    expect(await directory.assignmentsOf(GP_RPPS)).toEqual([]);
    expect(departures.calls).toEqual([
      expect.objectContaining({ departure: expect.objectContaining({ assignmentId: 'asg-before-my-time', endOn: '2026-03-01', reason: 'exit' }) }),
    ]);
  });

  it('ignores hires, movements, exits, the statute and message types it does not know', async () => {
    const { directory, departures, staff } = await setUp();
    await staff(
      received(
        STAFF_TOPIC,
        'ProfessionalHired',
        GP.professionalId,
        sev.ProfessionalHired.encode(sev.ProfessionalHired.fromPartial({ professional: GP, hiredOn: '2026-01-05' })).finish(),
      ),
    );
    await staff(
      received(
        STAFF_TOPIC,
        'ProfessionalTransferred',
        GP.professionalId,
        sev.ProfessionalTransferred.encode(
          sev.ProfessionalTransferred.fromPartial({
            professional: GP,
            mobilityId: 'mob-1',
            originCentreFiness: CENTRE_A,
            destinationCentreFiness: CENTRE_B,
            effectiveOn: '2026-04-01',
          }),
        ).finish(),
      ),
    );
    await staff(
      received(
        STAFF_TOPIC,
        'ProfessionalExited',
        GP.professionalId,
        sev.ProfessionalExited.encode(sev.ProfessionalExited.fromPartial({ professional: GP, exitOn: '2026-12-31' })).finish(),
      ),
    );
    await staff(received(STAFF_TOPIC, 'PayGridPublished', 'statute', new Uint8Array([0x0a, 0x00])));
    await staff(received(STAFF_TOPIC, 'ProfessionalOnLeave', GP.professionalId, new Uint8Array([1, 2, 3])));
    expect(await directory.assignmentsOf(GP_RPPS)).toEqual([]);
    expect(departures.calls).toEqual([]);
  });

  it('refuses a malformed message with an error naming where it sits', async () => {
    const { directory, departures, staff } = await setUp();
    const garbage = received(STAFF_TOPIC, 'AssignmentStarted', GP.professionalId, new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]));
    await expect(staff(garbage)).rejects.toThrow(UnreadableStaffMessageError);
    await expect(staff(garbage)).rejects.toThrow(`${garbage.id} (pcn.events.v1.AssignmentStarted) at ${STAFF_TOPIC}/0@${garbage.offset}`);

    const anonymous = assignmentEnded({ professional: undefined });
    await expect(staff(anonymous)).rejects.toMatchObject({
      name: 'UnreadableStaffMessageError',
      messageId: anonymous.id,
      topic: STAFF_TOPIC,
      partition: 0,
      offset: anonymous.offset,
    });
    await expect(staff(assignmentStarted({ fte: '' }))).rejects.toThrow(/fte/);
    await expect(staff(assignmentStarted({ fte: '1.5' }))).rejects.toThrow(/fte/);
    await expect(staff(assignmentStarted({ startOn: '05/01/2026' }))).rejects.toThrow(/start_on/);
    await expect(staff(assignmentStarted({ endOn: '2026-01-05' }))).rejects.toThrow(/not after start_on/);
    await expect(staff(assignmentStarted({ centreFiness: '' }))).rejects.toThrow(/missing centre_finess/);
    await expect(staff(assignmentEnded({ reason: '' }))).rejects.toThrow(/missing reason/);
    await expect(staff(assignmentEnded({ endOn: '' }))).rejects.toThrow(/end_on/);
    expect(await directory.assignmentsOf(GP_RPPS)).toEqual([]);
    expect(departures.calls).toEqual([]);
  });
});

// --- the directory's queries -------------------------------------------------------------------

describe('the practitioner directory', () => {
  const OTHER_GP = { ...GP, professionalId: 'pro-gp-2', rpps: rpps('1000000003') };
  let directory: SqlPractitionerDirectory;

  beforeAll(async () => {
    const fx = await setUp();
    directory = fx.directory;
    // GP 1: at A from 5 January, transferred to B on 1 April; GP 2: at B, fixed term to 1 July, and at A part-time.
    await fx.staff(assignmentStarted({ assignmentId: 'g1-a', startOn: '2026-01-05' }));
    await fx.staff(assignmentEnded({ assignmentId: 'g1-a', endOn: '2026-04-01', reason: 'transfer' }));
    await fx.staff(assignmentStarted({ assignmentId: 'g1-b', centreFiness: CENTRE_B, startOn: '2026-04-01' }));
    await fx.staff(
      assignmentStarted({ professional: OTHER_GP, assignmentId: 'g2-b', centreFiness: CENTRE_B, fte: '0.5', startOn: '2026-02-01', endOn: '2026-07-01' }),
    );
    await fx.staff(assignmentStarted({ professional: OTHER_GP, assignmentId: 'g2-a', centreFiness: CENTRE_A, fte: '0.25', startOn: '2026-03-01' }));
  });

  const ids = (assignments: readonly { assignmentId: string }[]): string[] => assignments.map((a) => a.assignmentId);

  it('finds the assignments running at a centre on a day: the start included, the end excluded', async () => {
    expect(ids(await directory.assignmentsAt(CENTRE_A, '2026-01-04'))).toEqual([]);
    expect(ids(await directory.assignmentsAt(CENTRE_A, '2026-01-05'))).toEqual(['g1-a']);
    expect(ids(await directory.assignmentsAt(CENTRE_A, '2026-03-31'))).toEqual(['g1-a', 'g2-a']);
    expect(ids(await directory.assignmentsAt(CENTRE_A, '2026-04-01'))).toEqual(['g2-a']);
    expect(ids(await directory.assignmentsAt(CENTRE_B, '2026-06-30'))).toEqual(['g2-b', 'g1-b']);
    expect(ids(await directory.assignmentsAt(CENTRE_B, '2026-07-01'))).toEqual(['g1-b']);
    expect(await directory.assignmentsAt(CENTRE_A, '2026-03-15')).toContainEqual({
      assignmentId: 'g2-a',
      professionalId: OTHER_GP.professionalId,
      rpps: OTHER_GP.rpps,
      centreFiness: CENTRE_A,
      fte: 0.25,
      startOn: '2026-03-01',
    });
  });

  it('finds the assignments running on a day at any of several centres', async () => {
    expect(ids(await directory.assignmentsAtCentres([CENTRE_A, CENTRE_B], '2026-03-15')).sort()).toEqual(['g1-a', 'g2-a', 'g2-b']);
    expect(ids(await directory.assignmentsAtCentres([CENTRE_A, CENTRE_B], '2026-08-01')).sort()).toEqual(['g1-b', 'g2-a']);
    expect(ids(await directory.assignmentsAtCentres([CENTRE_B, CENTRE_B], '2026-08-01'))).toEqual(['g1-b']);
    expect(await directory.assignmentsAtCentres([finess('13000009')], '2026-03-15')).toEqual([]);
    expect(await directory.assignmentsAtCentres([], '2026-03-15')).toEqual([]);
  });

  it("lists a GP's assignments at any centre and any date", async () => {
    expect(await directory.assignmentsOf(GP_RPPS)).toEqual([
      {
        assignmentId: 'g1-a',
        professionalId: GP.professionalId,
        rpps: GP_RPPS,
        centreFiness: CENTRE_A,
        fte: 0.6,
        startOn: '2026-01-05',
        endOn: '2026-04-01',
        endReason: 'transfer',
      },
      { assignmentId: 'g1-b', professionalId: GP.professionalId, rpps: GP_RPPS, centreFiness: CENTRE_B, fte: 0.6, startOn: '2026-04-01' },
    ]);
    expect(ids(await directory.assignmentsOf(OTHER_GP.rpps))).toEqual(['g2-b', 'g2-a']);
    expect(await directory.assignmentsOf(rpps('1000000099'))).toEqual([]);
  });
});
