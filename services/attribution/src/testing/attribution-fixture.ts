import { randomInt } from 'node:crypto';
import type { Express } from 'express';
import { PgliteSqlClient, type EventStore, type SqlClient } from '@pcn/eventsourcing';
import { TestClock } from '@pcn/eventsourcing/testing';
import { createTestIssuer, type TestIssuer } from '@pcn/auth/testing';
import { serveOverHttp } from '@pcn/service/testing';
import { createLogger } from '@pcn/observability';
import { completeFiness, completeRpps, nirKey } from '@pcn/referential';
import type { MessageBus } from '@pcn/messaging';
import { createAttributionModule, type AttributionModule } from '../attribution-service';
import type { CentreInfo, GpAssignment } from '../application/ports';
import type { PanelNorms } from '../domain/panel/panel-capacity';

/** A valid FINESS: 8 digits followed by their check digit. */
export const finess = completeFiness;
/** A valid RPPS number: 10 digits followed by their check digit. */
export const rpps = completeRpps;

/** The key of the tests' pseudonymisation: 32 bytes, as short as allowed. */
export const TEST_NIR_KEY = 'attribution-tests-key-0123456789';

/**
 * A valid NIR with its key. Defaults: a woman born in May 1980 in Paris (75056), order 123.
 * Corsica: pass departement '2A' or '2B'.
 */
export function nir(parts: { sex?: 'female' | 'male'; birthDate?: string; departement?: string; commune?: string; order?: string } = {}): string {
  const birth = parts.birthDate ?? '1980-05-12';
  const first13 = `${parts.sex === 'male' ? '1' : '2'}${birth.slice(2, 4)}${birth.slice(5, 7)}${parts.departement ?? '75'}${parts.commune ?? '056'}${parts.order ?? '123'}`;
  return `${first13}${String(nirKey(first13)).padStart(2, '0')}`;
}

/** A registration (application/REST shape) consistent with `nir(...)`'s defaults; `order` makes it another person. */
export function patientInput(order = 123, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const birthDate = (overrides.birthDate as string | undefined) ?? '1980-05-12';
  const sex = (overrides.sex as 'female' | 'male' | undefined) ?? 'female';
  return { nir: nir({ sex, birthDate, order: String(order).padStart(3, '0') }), birthDate, sex, communeInsee: '75056', ...overrides };
}

export interface TestGp {
  readonly rpps: string;
  readonly professionalId: string;
  readonly centreFiness: string;
  readonly assignmentId: string;
}

export interface AttributionFixture {
  readonly module: AttributionModule;
  readonly sql: SqlClient;
  readonly clock: TestClock;
  /** The REST API behind a real access gate: requests need a token (see `coordinator`, `issuer`). */
  readonly app: Express;
  /** The test issuer the app's access gate trusts: `bearer(role, scope)` for other callers. */
  readonly issuer: TestIssuer;
  /** `Bearer <token>` of a national coordinator (may call everything). */
  readonly coordinator: string;
  /** Member centre in Paris 11e (75111), polyvalent. */
  readonly centre: string;
  /** Member centre in Saint-Denis (93066), medical. */
  readonly otherCentre: string;
  /** Two GPs at `centre` full time, one at `otherCentre`. */
  readonly gp1: TestGp;
  readonly gp2: TestGp;
  readonly gp3: TestGp;
  /** Tells attribution about a centre, as a registry event would. */
  knowCentre(centre: Partial<CentreInfo> & { finess: string }, version?: number): Promise<void>;
  /** Tells attribution about a GP's assignment, as a staff event would. */
  assign(assignment: Partial<GpAssignment> & { rpps: string; centreFiness: string }): Promise<TestGp>;
  teardown(): Promise<void>;
}

let schemas = 0;

/**
 * The attribution service on an embedded database, its clock on 2026-03-02, with two member
 * centres and three GPs learnt as the registry's and staff's events would teach them.
 */
export async function startAttribution(
  options: {
    sql?: SqlClient;
    schema?: string;
    store?: EventStore;
    bus?: MessageBus;
    norms?: PanelNorms;
    nirKey?: string;
    directoryCheckIntervalMs?: number;
  } = {},
): Promise<AttributionFixture> {
  const ownSql = !options.sql;
  const sql = options.sql ?? (await PgliteSqlClient.open());
  const clock = new TestClock();
  const logger = createLogger({ service: 'attribution-test', level: 'silent' });
  const module = await createAttributionModule({
    sql,
    schema: options.schema ?? `attribution_t${++schemas}`,
    nirKey: options.nirKey ?? TEST_NIR_KEY,
    clock,
    logger,
    readModelWaitMs: 5000,
    dueDeparturesIntervalMs: 0,
    norms: options.norms ?? { national: 1000, byCentreType: { community_participatory: 800 } },
    ...(options.store && { store: options.store }),
    ...(options.bus && { bus: options.bus }),
    ...(options.directoryCheckIntervalMs !== undefined && { directoryCheckIntervalMs: options.directoryCheckIntervalMs }),
  });
  await module.start();
  const knowCentre = async (centre: Partial<CentreInfo> & { finess: string }, version = 1): Promise<void> => {
    await module.directory.recordCentre(
      sql,
      { name: `Centre ${centre.finess}`, type: 'polyvalent', communeInsee: '75111', departement: '75', region: '11', status: 'member', ...centre },
      version,
    );
  };
  let assignments = 0;
  const assign = async (a: Partial<GpAssignment> & { rpps: string; centreFiness: string }): Promise<TestGp> => {
    const n = ++assignments;
    const full: GpAssignment = { assignmentId: `asg-${n}`, professionalId: `pro-${a.rpps}`, fte: 1, startOn: '2026-01-05', ...a };
    await module.directory.recordAssignmentStarted(sql, full);
    return { rpps: full.rpps, professionalId: full.professionalId, centreFiness: full.centreFiness, assignmentId: full.assignmentId };
  };
  const centre = finess('75000011');
  const otherCentre = finess('93000066');
  await knowCentre({ finess: centre, communeInsee: '75111', latitude: 48.859, longitude: 2.38 });
  await knowCentre({ finess: otherCentre, type: 'medical', communeInsee: '93066', departement: '93', latitude: 48.936, longitude: 2.357 });
  // Fresh RPPS numbers on each start: panel streams never meet those of another run on a shared store.
  const gp1 = await assign({ rpps: freshRpps(), centreFiness: centre });
  const gp2 = await assign({ rpps: freshRpps(), centreFiness: centre });
  const gp3 = await assign({ rpps: freshRpps(), centreFiness: otherCentre });
  const issuer = await createTestIssuer();
  const app = serveOverHttp(module.http, logger, issuer.gate);
  const coordinator = await issuer.bearer('national_coordinator');
  return {
    issuer,
    coordinator,
    module,
    sql,
    clock,
    app,
    centre,
    otherCentre,
    gp1,
    gp2,
    gp3,
    knowCentre,
    assign,
    async teardown() {
      await module.stop();
      if (ownSql) await sql.close();
    },
  };
}

/** A valid RPPS number no other test run uses. */
export function freshRpps(): string {
  return rpps(`1${randomInt(0, 1_000_000_000).toString().padStart(9, '0')}`);
}
