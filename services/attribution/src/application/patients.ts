import { isDeepStrictEqual } from 'node:util';
import { AlreadyExistsError, ValidationError, type CommandContext, type FieldViolation } from '@pcn/eventsourcing';
import { validateNir } from '@pcn/referential';
import { parseInput } from '@pcn/validation';
import { registerPatient, requireRegistered, updatePatient } from '../domain/patient/patient-decisions';
import type { PatientProfile } from '../domain/patient/patient-profile';
import { initialPatientState } from '../domain/patient/patient-state';
import type { NirPseudonymiser } from './patient-identity';
import { hidingIdOfNir, resolvePatient, type PatientRef } from './patient-ref';
import { patientView } from './patient-views';
import type { PatientWriter } from './patient-writer';
import { today, type Clock } from './ports';
import { registerPatientInput, updatePatientInput } from './schemas';
import type { PatientView } from './views';

/** Registration and updates of patients: the NIR becomes a pseudonymous id at the door. */
export class Patients {
  constructor(
    private readonly writer: PatientWriter,
    private readonly identity: NirPseudonymiser,
    private readonly clock: Clock,
  ) {}

  async register(input: unknown, context?: CommandContext): Promise<PatientView> {
    const { nir, ...profile } = parseInput(registerPatientInput, input);
    this.checkProfile(profile);
    checkAgainstNir(nir, profile);
    const patientId = this.identity.patientIdOf(nir);
    try {
      const outcome = await this.writer.write(patientId, ({ patient }) => ({ patient: registerPatient(patient.state, patientId, profile) }), {
        ...(context && { context }),
        command: { patientId, ...profile },
      });
      return patientView(outcome.patient, patientId);
    } catch (error) {
      // The NIR is the natural key: the same registration again (a retry after a lost answer,
      // key or no key) answers the patient it registered; any other is ALREADY_EXISTS.
      if (!(error instanceof AlreadyExistsError)) throw error;
      const registered = await this.writer.load(patientId);
      const [asked] = registerPatient(initialPatientState(), patientId, profile);
      const first = registered.events[0];
      if (!first || !asked || first.type !== asked.type || !isDeepStrictEqual(viaJson(first.data), viaJson(asked.data))) throw error;
      return patientView(registered, patientId);
    }
  }

  /** Changes the fields given; the others stay. `expectedVersion` (ETag) refuses a stale update. */
  async update(ref: PatientRef, input: unknown, options: { expectedVersion?: number; context?: CommandContext } = {}): Promise<PatientView> {
    const patientId = resolvePatient(ref, this.identity);
    return hidingIdOfNir(ref, async () => {
      const changes = parseInput(updatePatientInput, input);
      const outcome = await this.writer.write(
        patientId,
        ({ patient }) => {
          const current = requireRegistered(patient.state, patientId).profile;
          const profile: PatientProfile = { ...current, ...changes };
          this.checkProfile(profile);
          // Named by NIR, the update is checked against it as a registration is; by id, the NIR is not at hand.
          if ('nir' in ref && typeof ref.nir === 'string' && ref.nir !== '') checkAgainstNir(ref.nir, profile);
          return { patient: updatePatient(patient.state, patientId, profile) };
        },
        { ...options, command: { patientId, ...changes } },
      );
      return patientView(outcome.patient, patientId);
    });
  }

  async get(ref: PatientRef): Promise<PatientView> {
    const patientId = resolvePatient(ref, this.identity);
    return hidingIdOfNir(ref, async () => {
      return patientView(await this.writer.load(patientId), patientId);
    });
  }

  private checkProfile(profile: PatientProfile): void {
    checkProfile(profile, today(this.clock));
  }
}

/** Dates of a profile that cannot be: born in the future, a period before birth. */
export function checkProfile(profile: PatientProfile, day: string): void {
  if (profile.birthDate > day) throw ValidationError.field('birthDate', `must not be after today (${day})`);
  const early = [...profile.ald.map((p, i) => ['ald', i, p] as const), ...profile.c2s.map((p, i) => ['c2s', i, p] as const)].find(
    ([, , p]) => p.start < profile.birthDate,
  );
  if (early) throw ValidationError.field(`${early[0]}[${early[1]}].start`, `must not be before the birth date ${profile.birthDate}`);
}

/**
 * The NIR encodes sex, birth year and month: a profile that contradicts it is a typing error in
 * one or the other, caught before anything is written. (The NIR is not echoed in the message.)
 */
export function checkAgainstNir(nir: string, profile: Pick<PatientProfile, 'sex' | 'birthDate'>): void {
  const parsed = validateNir(nir);
  if (!parsed.ok) return;
  const p = parsed.value;
  const violations: FieldViolation[] = [];
  if (p.sex !== profile.sex) violations.push({ field: 'sex', description: `does not match the NIR, which is that of a ${p.sex} person` });
  if (p.birthYear !== profile.birthDate.slice(2, 4))
    violations.push({ field: 'birthDate', description: `the year does not match the NIR (born in a year ending ${p.birthYear})` });
  else if (p.birthMonth !== null && p.birthMonth !== Number(profile.birthDate.slice(5, 7)))
    violations.push({ field: 'birthDate', description: `the month does not match the NIR (month ${String(p.birthMonth).padStart(2, '0')})` });
  if (violations.length > 0) throw new ValidationError(violations);
}

/** Data as stored: absent and undefined fields are the same thing. */
const viaJson = (data: unknown): unknown => JSON.parse(JSON.stringify(data));
