import type { EventStore, SqlClient } from '@pcn/eventsourcing';
import { PanelFullError } from '../domain/panel/panel-decisions';
import { panelStream } from '../application/stream-ids';
import { patientInput, startAttribution, type AttributionFixture } from './attribution-fixture';

/**
 * The two invariants of issue 5 under concurrency, for one event store adapter: N simultaneous
 * declarations for the last places of a panel admit exactly as many as fit, and simultaneous
 * declarations for one patient leave exactly one médecin traitant. The read model and directory
 * stay on `sql`; only the store changes.
 */
export function declarationRaces(
  adapter: string,
  setup: () => Promise<{ sql?: SqlClient; schema?: string; nirKey?: string; store: EventStore; cleanup?: () => Promise<void> }>,
): void {
  describe(`declarations under concurrency on ${adapter}`, () => {
    let fx: AttributionFixture;
    let cleanup: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      const { cleanup: c, ...options } = await setup();
      cleanup = c;
      fx = await startAttribution(options);
    }, 60_000);
    afterAll(async () => {
      await fx.teardown();
      await cleanup?.();
    });

    it('admits exactly as many of N simultaneous declarations as the panel has places left', async () => {
      const { patients, attributions, panels } = fx.module;
      await panels.setCapacity({ rpps: fx.gp1.rpps, capacity: 5, reason: 'race test' });
      const ids: string[] = [];
      for (let i = 0; i < 14; i++) ids.push((await patients.register(patientInput(100 + i))).patientId);
      // Two places taken beforehand: three are left for twelve racers.
      for (const id of ids.slice(0, 2)) await attributions.declare({ patientId: id }, declaration(fx.gp1));

      const outcomes = await Promise.allSettled(ids.slice(2).map((id) => attributions.declare({ patientId: id }, declaration(fx.gp1))));
      const admitted = outcomes.filter((o) => o.status === 'fulfilled');
      const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
      expect(admitted).toHaveLength(3);
      expect(refused).toHaveLength(9);
      for (const error of refused) expect(error).toEqual(expect.objectContaining({ constructor: PanelFullError, count: 5, capacity: 5 }));

      const panel = await panels.get({ rpps: fx.gp1.rpps, pageSize: 100 });
      expect(panel).toMatchObject({ count: 5, capacity: 5 });
      const joined = (await fx.module.store.readStream(panelStream(fx.gp1.rpps))).filter((e) => e.type === 'PanelPatientJoined');
      expect(joined).toHaveLength(5);
      expect(panel.patients).toHaveLength(5);
    });

    it('leaves one patient with exactly one médecin traitant after simultaneous declarations to three GPs', async () => {
      const { patients, attributions } = fx.module;
      const { patientId } = await patients.register(patientInput(200));
      const gps = [fx.gp2, fx.gp3, fx.gp2, fx.gp3, fx.gp2, fx.gp3];
      const outcomes = await Promise.allSettled(gps.map((gp) => attributions.declare({ patientId }, declaration(gp))));
      expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);

      const history = await attributions.history({ patientId });
      expect(history.current).toBeDefined();
      expect(history.history.filter((a) => a.end === undefined)).toEqual([history.current]);
      // Each panel counts the patient once at most, and only the current GP's does.
      const sizes = await Promise.all([fx.gp2, fx.gp3].map(async (gp) => ({ gp: gp.rpps, members: await membersOf(fx, gp.rpps, patientId) })));
      expect(sizes.filter((s) => s.members === 1).map((s) => s.gp)).toEqual([history.current!.rpps]);
      expect(sizes.every((s) => s.members <= 1)).toBe(true);
    });
  });
}

function declaration(gp: { rpps: string; centreFiness: string }): Record<string, unknown> {
  return { rpps: gp.rpps, centreFiness: gp.centreFiness, effectiveDate: '2026-03-02', channel: 'centre_software' };
}

/** Joins minus leaves of one patient on a panel's stream: 1 while on it, 0 once gone. */
async function membersOf(fx: AttributionFixture, rpps: string, patientId: string): Promise<number> {
  const events = await fx.module.store.readStream(panelStream(rpps));
  return events.reduce(
    (n, e) =>
      (e.data as { patientId?: string }).patientId !== patientId ? n : e.type === 'PanelPatientJoined' ? n + 1 : e.type === 'PanelPatientLeft' ? n - 1 : n,
    0,
  );
}
