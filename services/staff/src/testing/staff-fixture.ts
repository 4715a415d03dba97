import type { Express } from 'express';
import type { EventStore, PgliteSqlClient } from '@pcn/eventsourcing';
import { TestClock } from '@pcn/eventsourcing/testing';
import { serveOverHttp } from '@pcn/service/testing';
import { createLogger } from '@pcn/observability';
import { completeFiness, completeRpps, validateFiness, validateRpps } from '@pcn/referential';
import type { MessageBus } from '@pcn/messaging';
import { createStaffModule, type StaffModule } from '../staff-service';
import type { CentreInfo } from '../application/ports';

/** A valid FINESS: 8 digits followed by their check digit. */
export const finess = completeFiness;
/** A valid RPPS number: 10 digits followed by their check digit. */
export const rpps = completeRpps;

export const CENTRE_A = finess('93000001');
export const CENTRE_B = finess('75000002');
export const CENTRE_C = finess('69000003');

export interface StaffFixture {
  readonly module: StaffModule;
  readonly app: Express;
  readonly clock: TestClock;
  /** Tells staff about a centre, as a registry event would (version: the registry's revision). */
  knowCentre(centre: Partial<CentreInfo> & { finess: string }, version?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The staff service on its own schema of an embedded database shared by the test file, with the
 * shipped statute only (no grid published by the test) and three known centres (A in 93, B in
 * 75, C in 69). The event store is the SQL one in that schema unless `store` is given (e.g. the
 * in-memory one).
 */
export async function startStaff(
  sql: PgliteSqlClient,
  schema: string,
  options: { bus?: MessageBus; advancementIntervalMs?: number; statuteDirectory?: string; store?: EventStore } = {},
): Promise<StaffFixture> {
  const clock = new TestClock();
  const logger = createLogger({ service: 'staff-test', level: 'silent' });
  const module = await createStaffModule({
    sql,
    schema,
    clock,
    logger,
    checkFiness: validateFiness,
    checkRpps: validateRpps,
    readModelWaitMs: 2000,
    advancementIntervalMs: options.advancementIntervalMs ?? 0,
    ...(options.bus && { bus: options.bus }),
    ...(options.statuteDirectory && { statuteDirectory: options.statuteDirectory }),
    ...(options.store && { store: options.store }),
  });
  await module.start();
  const knowCentre = async (centre: Partial<CentreInfo> & { finess: string }, version = 1): Promise<void> => {
    await module.centres.record(sql, { name: `Centre ${centre.finess}`, departement: '93', region: '11', status: 'member', ...centre }, version);
  };
  await knowCentre({ finess: CENTRE_A, departement: '93', region: '11' });
  await knowCentre({ finess: CENTRE_B, departement: '75', region: '11' });
  await knowCentre({ finess: CENTRE_C, departement: '69', region: '84' });
  const app = serveOverHttp(module.http, logger);
  return { module, app, clock, knowCentre, stop: () => module.stop() };
}

/** A nurse's hire (REST shape), on the shipped FPH grade ide_b_cn. */
export function nurseHire(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    lastName: 'Martin',
    firstName: 'Inès',
    profession: 'nurse',
    grade: 'ide_b_cn',
    echelon: 3,
    retainedSeniorityMonths: 6,
    hiredOn: '2026-01-05',
    ...overrides,
  };
}

/** A GP's hire (REST shape), on the shipped PH grid (grade `ph`, ph-2023-07-01). */
export function gpHire(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    lastName: 'Nguyen',
    firstName: 'Camille',
    rpps: rpps('1000345678'),
    profession: 'doctor',
    specialty: 'general_practice',
    grade: 'ph',
    echelon: 4,
    hiredOn: '2026-01-05',
    ...overrides,
  };
}
