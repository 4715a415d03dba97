import { PgliteSqlClient } from '@pcn/eventsourcing';
import { completeFiness, completeRpps } from '@pcn/referential';
import { migrateDirectoryTables } from './directory-tables';
import { SqlPractitionerDirectory } from './sql-practitioner-directory';

const CENTRE = completeFiness('75000011');
const RPPS = completeRpps('1000000001');

describe('SqlPractitionerDirectory, two instances on one database', () => {
  let sql: PgliteSqlClient;
  beforeAll(async () => {
    sql = await PgliteSqlClient.open();
    await migrateDirectoryTables(sql, 'directory_two');
  }, 30_000);
  afterAll(async () => sql.close());

  it('reuses facts until its check interval has passed, then sees what the other instance wrote', async () => {
    let now = 1_000;
    const writer = new SqlPractitionerDirectory(sql, 'directory_two');
    const reader = new SqlPractitionerDirectory(sql, 'directory_two', { checkIntervalMs: 100, maxEntries: 10, now: () => now });
    await writer.recordCentre(
      sql,
      { finess: CENTRE, name: 'Centre', type: 'polyvalent', communeInsee: '75111', departement: '75', region: '11', status: 'member' },
      1,
    );
    await writer.recordAssignmentStarted(sql, {
      assignmentId: 'asg-1',
      professionalId: 'pro-1',
      rpps: RPPS,
      centreFiness: CENTRE,
      fte: 1,
      startOn: '2026-01-05',
    });
    expect((await reader.declarationFacts(CENTRE, RPPS)).assignments[0]?.endOn).toBeUndefined();

    await writer.recordAssignmentEnded(sql, 'asg-1', '2026-03-01', 'transfer');
    now += 99;
    expect((await reader.declarationFacts(CENTRE, RPPS)).assignments[0]?.endOn).toBeUndefined();
    now += 1;
    expect((await reader.declarationFacts(CENTRE, RPPS)).assignments[0]).toMatchObject({ endOn: '2026-03-01', endReason: 'transfer' });
  });
});
