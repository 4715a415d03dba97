import { isDeepStrictEqual } from 'node:util';
import { AlreadyExistsError, type CommandContext } from '@pcn/eventsourcing';
import { validateNir } from '@pcn/referential';
import { parseInput } from '@pcn/validation';
import { registerPatient } from '../domain/patient/patient-decisions';
import type { PatientProfile } from '../domain/patient/patient-profile';
import { initialPatientState } from '../domain/patient/patient-state';
import { checkAgainstNirFacts, checkProfile, type NirFacts } from '../domain/patient/profile-checks';
import type { PatientIdentity } from './patient-identity';
import { hidingIdOfNir, resolvePatient, type PatientRef } from './patient-ref';
import { patientView } from './patient-views';
import { written, type PatientCommands } from './patient-commands';
import { today, type Clock } from './ports';
import { registerPatientInput, updatePatientInput } from './schemas';
import type { PatientView } from './views';
import type { Acting } from './acting';
import { requireVisibleTo } from '../domain/patient/centre-scope';

/** Registration and updates of patients: the NIR becomes a pseudonymous id at the door. */
export class Patients {
  constructor(
    private readonly commands: PatientCommands,
    private readonly identity: PatientIdentity,
    private readonly clock: Clock,
  ) {}

  async register(input: unknown, context?: CommandContext): Promise<PatientView> {
    const { nir, ...profile } = parseInput(registerPatientInput, input);
    checkProfile(profile, today(this.clock));
    checkAgainstNir(nir, profile);
    const patientId = await this.identity.patientIdOf(nir);
    try {
      // A registration creates the patient's stream: decided without reading it (a repeat finds it there and is decided again).
      const result = await this.commands.handle(
        { type: 'RegisterPatient', patientId, profile },
        { ...(context && { context }), request: { patientId, ...profile }, assumeNew: true },
      );
      await this.identity.registered?.([{ nir, patientId }]);
      return patientView(written(result), patientId);
    } catch (error) {
      // The NIR is the natural key: the same registration again (a retry after a lost answer,
      // key or no key) answers the patient it registered; any other is ALREADY_EXISTS.
      if (!(error instanceof AlreadyExistsError)) throw error;
      const registered = await this.commands.load(patientId);
      const [asked] = registerPatient(initialPatientState(), patientId, profile);
      const first = registered.events[0];
      if (!first || !asked || first.type !== asked.type || !isDeepStrictEqual(viaJson(first.data), viaJson(asked.data))) throw error;
      return patientView(registered, patientId);
    }
  }

  /** Changes the fields given; the others stay. `expectedVersion` (ETag) refuses a stale update. */
  async update(ref: PatientRef, input: unknown, options: { expectedVersion?: number; context?: CommandContext } = {}): Promise<PatientView> {
    const patientId = await resolvePatient(ref, this.identity);
    return hidingIdOfNir(ref, async () => {
      const changes = parseInput(updatePatientInput, input);
      // Named by NIR, the update is checked against it as a registration is; by id, the NIR is not at hand.
      const nir = 'nir' in ref && typeof ref.nir === 'string' && ref.nir !== '' ? nirFactsOf(ref.nir) : undefined;
      const result = await this.commands.handle(
        { type: 'UpdatePatient', patientId, changes, today: today(this.clock), ...(nir && { nir }) },
        {
          ...(options.expectedVersion !== undefined && { expectedRevision: options.expectedVersion }),
          ...(options.context && { context: options.context }),
          request: { patientId, ...changes },
        },
      );
      return patientView(written(result), patientId);
    });
  }

  /** A centre (`acting`) reads its own patients only; a look-up by NIR passes no `acting`. */
  async get(ref: PatientRef, acting: Acting = {}): Promise<PatientView> {
    const patientId = await resolvePatient(ref, this.identity);
    return hidingIdOfNir(ref, async () => {
      const loaded = await this.commands.load(patientId);
      const view = patientView(loaded, patientId);
      requireVisibleTo(loaded.state, patientId, acting.centreFiness);
      return view;
    });
  }
}

/** What a valid NIR says of its holder; nothing for an invalid one (its own validation says why). */
function nirFactsOf(nir: string): NirFacts | undefined {
  const parsed = validateNir(nir);
  return parsed.ok ? { sex: parsed.value.sex, birthYear: parsed.value.birthYear, birthMonth: parsed.value.birthMonth } : undefined;
}

/** The NIR's sex, birth year and month against a profile (see `checkAgainstNirFacts`). */
export function checkAgainstNir(nir: string, profile: Pick<PatientProfile, 'sex' | 'birthDate'>): void {
  const facts = nirFactsOf(nir);
  if (facts) checkAgainstNirFacts(facts, profile);
}

/** Data as stored: absent and undefined fields are the same thing. */
const viaJson = (data: unknown): unknown => JSON.parse(JSON.stringify(data));
