import { PgliteSqlClient, SqlEventStore, type EventStore, type StreamAppend } from '@pcn/eventsourcing';
import { eventually } from '@pcn/eventsourcing/testing';
import { departureStream, panelStream, patientStream } from './stream-ids';
import { patientInput, startAttribution, type AttributionFixture } from '../testing';

/** The store, except that one chosen multi-stream append fails as a crash would. */
function crashingOnce(store: EventStore, crashAt: number): EventStore {
  let calls = 0;
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'appendMany') {
        return async (appends: readonly StreamAppend[]) => {
          if (appends.some((a) => a.events.some((e) => (e.data as { departureId?: string }).departureId)) && ++calls === crashAt)
            throw new Error('simulated crash in the middle of a departure');
          return target.appendMany(appends);
        };
      }
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe('when a GP leaves a centre', () => {
  let sql: PgliteSqlClient;
  let fx: AttributionFixture;
  const ids: string[] = [];
  beforeAll(async () => {
    sql = await PgliteSqlClient.open();
    const store = crashingOnce(await SqlEventStore.open(sql, 'departures_store', { pollIntervalMs: 20 }), 3);
    fx = await startAttribution({ sql, store });
    // Five of GP 1's patients, two with a chronic condition; GP 2 has room for two more.
    for (let i = 0; i < 5; i++) {
      const ald = i === 3 || i === 4 ? [{ start: '2020-01-01' }] : [];
      const { patientId } = await fx.module.patients.register(patientInput(300 + i, { ald }));
      ids.push(patientId);
      await fx.module.attributions.declare({ patientId }, { rpps: fx.gp1.rpps, centreFiness: fx.centre, effectiveDate: '2026-02-01', channel: 'paper_form' });
    }
    await fx.module.panels.setCapacity({ rpps: fx.gp2.rpps, capacity: 2, reason: 'part-time this year' });
  }, 60_000);
  afterAll(async () => {
    await fx.teardown();
    await sql.close();
  });

  it('re-attributes chronic patients first to a colleague with room, waitlists the rest at top priority, and survives a crash midway handling each patient once', async () => {
    await fx.module.directory.recordAssignmentEnded(sql, fx.gp1.assignmentId, '2026-03-01', 'request');
    await fx.module.departureBook.assignmentEnded(
      {
        assignmentId: fx.gp1.assignmentId,
        professionalId: fx.gp1.professionalId,
        rpps: fx.gp1.rpps,
        centreFiness: fx.centre,
        endOn: '2026-03-01',
        reason: 'request',
      },
      { causationId: 'msg-1' },
    );

    const stream = departureStream(`assignment-${fx.gp1.assignmentId}`);
    await eventually(
      async () => expect((await fx.module.store.readStream(stream)).map((e) => e.type)).toEqual(['DepartureRecorded', 'DepartureHandled']),
      20_000,
    );

    const outcomes = await Promise.all(
      ids.map(async (id) => {
        const events = await fx.module.store.readStream(patientStream(id));
        const departureOf = (data: unknown): string | undefined =>
          (data as { departureId?: string }).departureId ?? (data as { enrolledBy?: { departureId?: string } }).enrolledBy?.departureId;
        return events.filter((e) => departureOf(e.data) !== undefined).map((e) => e.type);
      }),
    );
    // Patients 3 and 4 (ALD) went to GP 2; the others lost their médecin traitant and wait first in line.
    expect(outcomes).toEqual([
      ['AttributionEnded', 'WaitlistEnrolled'],
      ['AttributionEnded', 'WaitlistEnrolled'],
      ['AttributionEnded', 'WaitlistEnrolled'],
      ['MedecinTraitantDeclared'],
      ['MedecinTraitantDeclared'],
    ]);
    const waiting = await fx.module.patients.get({ patientId: ids[0]! });
    expect(waiting.waitlist).toMatchObject({ topPriority: true, waitingSince: '2026-03-01', enrolledBy: { kind: 'departure' } });
    expect((await fx.module.patients.get({ patientId: ids[3]! })).current).toMatchObject({ rpps: fx.gp2.rpps, channel: 'reattribution', start: '2026-03-01' });
    // The attribution the colleague took over ended because the GP left, not as a plain replacement.
    expect((await fx.module.attributions.history({ patientId: ids[3]! })).history[0]).toMatchObject({
      rpps: fx.gp1.rpps,
      end: '2026-03-01',
      endReason: 'practitioner_departed',
    });

    const handled = (await fx.module.store.readStream(stream))[1]!.data as { reattributed: number; waitlisted: number; alreadyHandled: number };
    // The crash struck after two patients were handled (the two ALD patients, re-attributed): the
    // rerun no longer finds them on GP 1's panel, and handles the three others.
    expect(handled).toMatchObject({ reattributed: 0, waitlisted: 3 });
    expect((await fx.module.panels.get({ rpps: fx.gp1.rpps, pageSize: 10 })).count).toBe(0);
    expect((await fx.module.panels.get({ rpps: fx.gp2.rpps, pageSize: 10 })).count).toBe(2);
    const gp1Panel = await fx.module.store.readStream(panelStream(fx.gp1.rpps));
    expect(gp1Panel.filter((e) => e.type === 'PanelPatientLeft')).toHaveLength(5);
  }, 30_000);

  it('does nothing more when the same departure is told again', async () => {
    const before = await fx.module.store.headPosition();
    await fx.module.departureBook.assignmentEnded(
      {
        assignmentId: fx.gp1.assignmentId,
        professionalId: fx.gp1.professionalId,
        rpps: fx.gp1.rpps,
        centreFiness: fx.centre,
        endOn: '2026-03-01',
        reason: 'request',
      },
      { causationId: 'msg-1-again' },
    );
    await fx.module.departures.waitForPosition(before, 5_000);
    expect(await fx.module.store.headPosition()).toBe(before);
  });
});

describe('when a centre closes', () => {
  let fx: AttributionFixture;
  beforeAll(async () => {
    fx = await startAttribution();
  }, 60_000);
  afterAll(() => fx.teardown());

  it('puts every patient of the centre on the waitlist with top priority: there is no colleague to take them', async () => {
    const ids: string[] = [];
    for (const [i, gp] of [fx.gp1, fx.gp2].entries()) {
      const { patientId } = await fx.module.patients.register(patientInput(400 + i));
      ids.push(patientId);
      await fx.module.attributions.declare({ patientId }, { rpps: gp.rpps, centreFiness: fx.centre, effectiveDate: '2026-02-01', channel: 'paper_form' });
    }
    await fx.knowCentre({ finess: fx.centre, status: 'closed', closedOn: '2026-03-02' }, 2);
    await fx.module.departureBook.centreClosed({ centreFiness: fx.centre, closedOn: '2026-03-02' }, { causationId: 'msg-2' });
    await eventually(async () => {
      for (const id of ids) expect((await fx.module.patients.get({ patientId: id })).waitlist).toMatchObject({ topPriority: true });
    }, 20_000);
    const history = await fx.module.attributions.history({ patientId: ids[0]! });
    expect(history.history[0]).toMatchObject({ end: '2026-03-02', endReason: 'centre_closed' });
  }, 30_000);
});

describe('when a fixed term lapses without a message', () => {
  let fx: AttributionFixture;
  beforeAll(async () => {
    fx = await startAttribution();
  }, 60_000);
  afterAll(() => fx.teardown());

  it('is found by the sweep, once, and its patients are looked after like any departure', async () => {
    const seconded = await fx.assign({ rpps: fx.gp3.rpps, centreFiness: fx.centre, startOn: '2026-01-05', endOn: '2026-04-01' });
    const { patientId } = await fx.module.patients.register(patientInput(500));
    await fx.module.attributions.declare({ patientId }, { rpps: seconded.rpps, centreFiness: fx.centre, effectiveDate: '2026-02-01', channel: 'paper_form' });
    expect(await fx.module.dueDepartures.sweep()).toBe(0);

    fx.clock.set('2026-04-01T06:00:00Z');
    expect(await fx.module.dueDepartures.sweep()).toBe(1);
    expect(await fx.module.dueDepartures.sweep()).toBe(1);
    await eventually(
      async () =>
        expect((await fx.module.patients.get({ patientId })).current).toMatchObject({ channel: 'reattribution', start: '2026-04-01', centreFiness: fx.centre }),
      20_000,
    );
    expect(await fx.module.store.readStream(departureStream(`assignment-${seconded.assignmentId}`))).toHaveLength(2);
  }, 30_000);
});

describe('when an end is announced ahead of time', () => {
  let fx: AttributionFixture;
  beforeAll(async () => {
    fx = await startAttribution();
  }, 60_000);
  afterAll(() => fx.teardown());

  it('waits for its day: the GP keeps their patients, and takes new ones, until then', async () => {
    const { patientId } = await fx.module.patients.register(patientInput(600));
    await fx.module.attributions.declare({ patientId }, { rpps: fx.gp1.rpps, centreFiness: fx.centre, effectiveDate: '2026-03-02', channel: 'paper_form' });
    await fx.module.directory.recordAssignmentEnded(fx.sql, fx.gp1.assignmentId, '2026-06-01', 'request');
    const ended = {
      assignmentId: fx.gp1.assignmentId,
      professionalId: fx.gp1.professionalId,
      rpps: fx.gp1.rpps,
      centreFiness: fx.centre,
      endOn: '2026-06-01',
      reason: 'request',
    };
    await fx.module.departureBook.assignmentEnded(ended, { causationId: 'msg-early' });
    const stream = departureStream(`assignment-${fx.gp1.assignmentId}`);
    expect(await fx.module.store.readStream(stream)).toEqual([]);
    const late = await fx.module.patients.register(patientInput(601));
    await fx.module.attributions.declare(
      { patientId: late.patientId },
      { rpps: fx.gp1.rpps, centreFiness: fx.centre, effectiveDate: '2026-03-02', channel: 'paper_form' },
    );

    fx.clock.set('2026-06-01T05:00:00Z');
    await fx.module.dueDepartures.sweep();
    for (const id of [patientId, late.patientId]) {
      await eventually(
        async () =>
          expect((await fx.module.patients.get({ patientId: id })).current).toMatchObject({ rpps: fx.gp2.rpps, channel: 'reattribution', start: '2026-06-01' }),
        20_000,
      );
    }
  }, 30_000);
});
