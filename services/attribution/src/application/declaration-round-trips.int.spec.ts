import { randomUUID } from 'node:crypto';
import { PgliteSqlClient, type SqlClient } from '@pcn/eventsourcing';
import { panelStream } from './stream-ids';
import { patientInput, startAttribution, type AttributionFixture } from '../testing';

/** The database as the service sees it, counting the statements sent. */
function counting(sql: SqlClient): { sql: SqlClient; statements: string[] } {
  const statements: string[] = [];
  const wrapped = new Proxy(sql, {
    get(target, property, receiver) {
      if (property === 'query') {
        return (text: string, params?: readonly unknown[]) => {
          statements.push(text);
          return target.query(text, params);
        };
      }
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { sql: wrapped, statements };
}

describe('a declaration of médecin traitant', () => {
  let db: PgliteSqlClient;
  let counted: ReturnType<typeof counting>;
  let fx: AttributionFixture;
  beforeAll(async () => {
    db = await PgliteSqlClient.open();
    counted = counting(db);
    // The directory's facts are reused for a minute here, so that the counts do not depend on the machine's speed.
    fx = await startAttribution({ sql: counted.sql, directoryCheckIntervalMs: 60_000 });
    // Only the request under test talks to the database from here on.
    await fx.module.stop();
  }, 60_000);
  afterAll(async () => {
    await fx.teardown();
    await db.close();
  });

  it('costs one round trip once the GP’s panel, the patient and the directory’s facts are known here: the append', async () => {
    const declare = async (order: number): Promise<string[]> => {
      const { patientId } = await fx.module.patients.register(patientInput(order));
      counted.statements.length = 0;
      const view = await fx.module.attributions.declare(
        { patientId },
        { rpps: fx.gp1.rpps, centreFiness: fx.centre, effectiveDate: '2026-02-02', channel: 'paper_form' },
      );
      expect(view.current?.rpps).toBe(fx.gp1.rpps);
      return [...counted.statements];
    };
    // The patient's state is the one their registration left here; the first declaration on this
    // GP reads the directory's facts and the panel's stream too.
    const first = await declare(701);
    expect(first).toHaveLength(3);
    expect(first[0]).toContain('gp_assignments');
    expect(first[1]).toContain('.events WHERE stream_id = $1');
    const second = await declare(702);
    expect(second).toHaveLength(1);
    expect(second[0]).toContain('append_streams');
  });

  it('reads the directory again once it changed, and decides on what it says now', async () => {
    // The second GP at the centre: their facts are read, then reused.
    const { rpps, assignmentId } = fx.gp2;
    const declareWith = async (order: number) => {
      const { patientId } = await fx.module.patients.register(patientInput(order));
      counted.statements.length = 0;
      return fx.module.attributions.declare({ patientId }, { rpps, centreFiness: fx.centre, effectiveDate: '2026-02-02', channel: 'paper_form' });
    };
    await declareWith(705);
    await declareWith(706);
    expect(counted.statements.some((s) => s.includes('gp_assignments'))).toBe(false);
    // The GP's assignment ends (staff's event, recorded by this process): the next declaration reads the directory and is refused.
    await fx.module.directory.recordAssignmentEnded(db, assignmentId, '2026-01-15', 'transfer');
    await expect(declareWith(707)).rejects.toThrow(/assign/i);
    expect(counted.statements[0]).toContain('gp_assignments');
  });

  it('reads the panel again only when its append is refused because the panel moved meanwhile', async () => {
    // The panel moves behind this instance's back: another instance records a capacity change.
    const rpps = fx.gp1.rpps;
    await fx.module.store.append(
      panelStream(rpps),
      [
        {
          id: randomUUID(),
          type: 'PanelCapacitySet',
          schemaVersion: 1,
          data: { rpps, capacity: 50, reason: 'temporary' },
          metadata: { occurredAt: new Date().toISOString() },
        },
      ],
      'any',
    );
    const { patientId } = await fx.module.patients.register(patientInput(703));
    counted.statements.length = 0;
    const view = await fx.module.attributions.declare(
      { patientId },
      { rpps: fx.gp1.rpps, centreFiness: fx.centre, effectiveDate: '2026-02-02', channel: 'paper_form' },
    );
    expect(view.current?.rpps).toBe(fx.gp1.rpps);
    expect(counted.statements.filter((s) => s.includes('append_streams'))).toHaveLength(2);
    const panel = await fx.module.store.readStream(panelStream(fx.gp1.rpps));
    expect(panel.map((e) => e.type)).toEqual(['PanelPatientJoined', 'PanelPatientJoined', 'PanelCapacitySet', 'PanelPatientJoined']);
    expect(panel[3]!.data).toMatchObject({ size: 3 });
  });

  it('costs no look-up of the NIR pseudonyms when the patient, named by NIR, was registered or named here before', async () => {
    const input = patientInput(704);
    await fx.module.patients.register(input);
    counted.statements.length = 0;
    const view = await fx.module.attributions.declare(
      { nir: input.nir },
      { rpps: fx.gp1.rpps, centreFiness: fx.centre, effectiveDate: '2026-02-02', channel: 'paper_form' },
    );
    expect(view.current?.rpps).toBe(fx.gp1.rpps);
    expect(counted.statements).toHaveLength(1);
    expect(counted.statements.some((s) => s.includes('nir_pseudonyms'))).toBe(false);
  });

  it('registers a new patient without reading their (absent) stream, and still answers a repeat with the patient it registered', async () => {
    const input = patientInput(708);
    counted.statements.length = 0;
    const first = await fx.module.patients.register(input);
    expect(counted.statements.some((s) => s.includes('.events WHERE stream_id = $1'))).toBe(false);
    expect(counted.statements.filter((s) => /\.append_(streams|events)\(/u.test(s))).toHaveLength(1);
    // Four in all: the NIR pseudonym's look-up, the patient's key, the append, the pseudonym's entry.
    expect(counted.statements).toHaveLength(4);
    // The same registration again, as after a lost answer: the append is refused, the stream read, the patient answered.
    const again = await fx.module.patients.register(input);
    expect(again).toEqual(first);
  });
});
