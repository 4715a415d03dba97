import { PgliteSqlClient } from '@pcn/eventsourcing';
import type { ComputationRecord } from '../../application/computations';
import { migrateComputationTables, SqlComputations } from './sql-computations';

let sql: PgliteSqlClient;
beforeAll(async () => {
  sql = await PgliteSqlClient.open();
  await migrateComputationTables(sql, 'planning_computations');
}, 30_000);
afterAll(() => sql.close());

const record = (computationId: string): ComputationRecord => ({
  computationId,
  computedAt: '2026-12-06T05:00:00.000Z',
  parameters: { speedKmh: 45, zones: [{ upToMinutes: 10, weight: 1 }], underservedBelow: 2.5, supplyScope: 'network' },
  inputs: { positions: { 'pcn.registry.v1': 3 }, outsideSupplyVersion: 1, referenceData: 'test', centres: 1, outsideCommunes: 0, unplaced: [] },
  supply: [{ id: '010000016', latitude: 46.2, longitude: 5.2, fte: 1 }],
  communes: [{ code: '01053', accessibility: 3.1, class: 'served' }],
  underservedCommunes: 0,
  underservedPopulation: 0,
});

describe('computations in SQL', () => {
  it('reads a computation back from another store on the same database (a restart), and keeps the most recent ones', async () => {
    await new SqlComputations(sql, 'planning_computations', 2).save(record('c1'));
    const afterRestart = new SqlComputations(sql, 'planning_computations', 2);
    expect(await afterRestart.get('c1')).toEqual(record('c1'));
    await afterRestart.save(record('c2'));
    await afterRestart.save(record('c3'));
    await afterRestart.save(record('c3'));
    expect(await afterRestart.get('c1')).toBeUndefined();
    expect((await afterRestart.get('c2'))?.computationId).toBe('c2');
    expect((await afterRestart.get('c3'))?.computationId).toBe('c3');
    expect(await afterRestart.get('unknown')).toBeUndefined();
  });
});
