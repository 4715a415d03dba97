import { migrate, type SqlClient } from '@pcn/eventsourcing';
import type { OutsideSupply } from '../../domain/accessibility';
import type { OutsideSupplyStore } from '../../application/ports';

export async function migrateOutsideSupplyTables(sql: SqlClient, schema: string): Promise<void> {
  await migrate(sql, `${schema}-outside-supply`, [
    `CREATE SCHEMA IF NOT EXISTS ${schema}`,
    `CREATE TABLE IF NOT EXISTS ${schema}.outside_supply (commune_code text PRIMARY KEY, gp_fte double precision NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${schema}.outside_supply_version (id smallint PRIMARY KEY CHECK (id = 1), version bigint NOT NULL)`,
    `INSERT INTO ${schema}.outside_supply_version (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING`,
  ]);
}

/** The imported GPs outside the network, one row per commune; the version moves with each import that changes something. */
export class SqlOutsideSupply implements OutsideSupplyStore {
  constructor(
    private readonly sql: SqlClient,
    private readonly schema: string,
  ) {}

  async list(): Promise<{ version: number; supply: OutsideSupply[] }> {
    return this.sql.transaction(async (tx) => {
      const version = await tx.query<{ version: string | number }>(`SELECT version FROM ${this.schema}.outside_supply_version WHERE id = 1`);
      const rows = await tx.query<{ commune_code: string; gp_fte: number }>(
        `SELECT commune_code, gp_fte FROM ${this.schema}.outside_supply ORDER BY commune_code`,
      );
      return { version: Number(version.rows[0]!.version), supply: rows.rows.map((row) => ({ communeCode: row.commune_code, gpFte: Number(row.gp_fte) })) };
    });
  }

  async set(lines: readonly OutsideSupply[]): Promise<{ changed: number; version: number }> {
    return this.sql.transaction(async (tx) => {
      const t = `${this.schema}.outside_supply`;
      // Serialises imports: the version row is the lock.
      const current = await tx.query<{ version: string | number }>(`SELECT version FROM ${this.schema}.outside_supply_version WHERE id = 1 FOR UPDATE`);
      let changed = 0;
      for (const { communeCode, gpFte } of lines) {
        const result =
          gpFte === 0
            ? await tx.query(`DELETE FROM ${t} WHERE commune_code = $1`, [communeCode])
            : await tx.query(
                `INSERT INTO ${t} (commune_code, gp_fte) VALUES ($1, $2) ON CONFLICT (commune_code) DO UPDATE SET gp_fte = EXCLUDED.gp_fte WHERE ${t}.gp_fte <> EXCLUDED.gp_fte`,
                [communeCode, gpFte],
              );
        changed += result.rowCount;
      }
      let version = Number(current.rows[0]!.version);
      if (changed > 0) {
        version++;
        await tx.query(`UPDATE ${this.schema}.outside_supply_version SET version = $1 WHERE id = 1`, [version]);
      }
      return { changed, version };
    });
  }
}
