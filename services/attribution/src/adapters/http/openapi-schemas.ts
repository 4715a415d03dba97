import { communeField, finessField, nirField, rppsField, TERRITORY_KINDS } from '../../application/schemas';
import { DECLARATION_CHANNELS, END_REASONS } from '../../domain/patient/patient-events';
import { SEXES } from '../../domain/patient/patient-profile';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

export const date = { type: 'string', format: 'date' } as const;
const nir = {
  type: 'string',
  description:
    'NIR (numéro de sécurité sociale): 13 characters and a 2-digit key, 2A or 2B at positions 6–7 for Corsica; spaces are ignored. It is checked, then hashed into the patient id: it is never stored nor answered.',
} as const;
export const rpps = { type: 'string', description: 'RPPS number: 11 digits, the last a check digit' } as const;
export const finess = {
  type: 'string',
  description: 'FINESS géographique of the centre: 9 characters (2A or 2B first for Corsica), the last a check digit',
} as const;
export const commune = {
  type: 'string',
  description: 'INSEE code of a commune (or municipal arrondissement) of the reference list, 2021 census',
  example: '93066',
} as const;

/**
 * The application's referential checks are zod transforms of `unknown`: JSON Schema would say
 * nothing of them. They are documented here, by identity.
 */
const checkedFields = new Map<unknown, object>([
  [nirField, nir],
  [rppsField, rpps],
  [finessField, finess],
  [communeField, commune],
]);

/** Renders a checked field as documented above (the route table's zod-openapi override). */
export const documentCheckedFields = (ctx: { readonly zodSchema: unknown; readonly jsonSchema: object }): void => {
  const doc = checkedFields.get(ctx.zodSchema);
  if (doc) Object.assign(ctx.jsonSchema, doc);
};

const object = (properties: Record<string, object>, required: readonly string[] = Object.keys(properties)) => ({ type: 'object', properties, required });
const array = (items: object) => ({ type: 'array', items });
const optional = (keys: readonly string[], properties: Record<string, object>) =>
  object(
    properties,
    Object.keys(properties).filter((k) => !keys.includes(k)),
  );
const uuid = { type: 'string', format: 'uuid' } as const;
const integer = { type: 'integer', minimum: 0 } as const;
const text = { type: 'string' } as const;
const patientId = { type: 'string', pattern: '^[0-9a-f]{32}$', description: 'Pseudonymous id of the patient: a keyed hash (HMAC) of the NIR' } as const;
const periods = (what: string) => ({ ...array(ref('PatientPeriod')), description: `${what} periods, by start` });

const attribution = optional(['end', 'endReason'], {
  attributionId: uuid,
  rpps,
  professionalId: uuid,
  centreFiness: finess,
  start: { ...date, description: 'First day with this médecin traitant' },
  end: { ...date, description: 'First day without this médecin traitant; absent while current' },
  endReason: { enum: [...END_REASONS, 'replaced'] },
  channel: { enum: DECLARATION_CHANNELS },
});

const proposal = object({
  proposalId: uuid,
  patientId,
  rpps,
  professionalId: uuid,
  centreFiness: finess,
  distanceKm: { type: 'number', description: "From the patient's commune to the centre, as the crow flies" },
  proposedOn: date,
});

const figures = {
  inhabitants: { ...integer, description: 'Municipal population (2021 census)' },
  patients: { ...integer, description: 'Registered patients living there (deceased excluded)' },
  withMedecinTraitant: integer,
  withoutMedecinTraitant: integer,
  chronicWithout: { ...integer, description: 'Without a médecin traitant and with an ALD running on asOf' },
};

/** Responses: the application's views. */
export const attributionSchemas = {
  PatientPeriod: optional(['end'], {
    start: { ...date, description: 'First day covered' },
    end: { ...date, description: 'First day no longer covered; absent while open' },
  }),
  Attribution: attribution,
  Proposal: proposal,
  Patient: optional(['current', 'waitlist', 'pendingProposal'], {
    patientId,
    birthDate: date,
    sex: { enum: SEXES },
    communeInsee: commune,
    ald: periods('Affection de longue durée'),
    c2s: periods('Complémentaire santé solidaire'),
    deceased: { type: 'boolean' },
    current: { ...ref('Attribution'), description: 'The current médecin traitant, if any' },
    waitlist: {
      ...object({
        waitingSince: date,
        enrolledBy: {
          oneOf: [
            object({ kind: { const: 'centre' }, centreFiness: finess }),
            object({ kind: { const: 'coordinator' } }),
            object({ kind: { const: 'departure' }, departureId: uuid }),
          ],
        },
        topPriority: { type: 'boolean', description: 'Their doctor or centre went away: they come before everyone else' },
      }),
      description: 'Set while the patient waits for a médecin traitant',
    },
    pendingProposal: { ...ref('Proposal'), description: 'A GP proposed to the patient, awaiting the centre’s answer' },
    version: { ...integer, description: 'Revision of the patient’s stream; the ETag' },
  }),
  PatientErasure: optional(['endedAttributionId'], {
    patientId,
    erasedOn: date,
    endedAttributionId: { ...uuid, description: 'The attribution the erasure ended, when the patient had one' },
  }),
  AttributionHistory: optional(['current'], {
    patientId,
    current: ref('Attribution'),
    history: { ...array(ref('Attribution')), description: 'Every attribution, oldest first, the current one included' },
  }),
  GpPanel: optional(['capacityOverride', 'nextPageToken'], {
    rpps,
    count: { ...integer, description: 'Patients on the panel (exact: from the panel’s stream)' },
    capacity: { ...integer, description: 'Assigned FTE × panel norm, or the capacity a coordinator set' },
    capacityOverride: { ...integer, description: 'Set when a coordinator fixed the capacity' },
    asOf: date,
    patients: array(object({ patientId, attributionId: uuid, centreFiness: finess, since: date })),
    nextPageToken: text,
  }),
  CentreRoster: optional(['nextPageToken'], {
    centreFiness: finess,
    asOf: date,
    items: array(
      optional(['until'], {
        patientId,
        attributionId: uuid,
        rpps,
        since: date,
        until: { ...date, description: 'First day off the roster, when known' },
        birthYearMonth: { type: 'string', pattern: '^\\d{4}-\\d{2}$' },
        sex: { enum: SEXES },
        communeInsee: commune,
        ald: array(ref('PatientPeriod')),
        c2s: array(ref('PatientPeriod')),
      }),
    ),
    nextPageToken: text,
  }),
  WaitlistMatch: object({
    proposals: array(ref('Proposal')),
    unmatched: array(object({ patientId, reason: { enum: ['no_location', 'no_gp_in_reach', 'changed_meanwhile'] } })),
    considered: { ...integer, description: 'Waiting patients considered in this run (at most the limit)' },
  }),
  // The shape of the gRPC contract (pcn.attribution.v1.Coverage): figures under `totals` and `parts[].figures`.
  Coverage: object({
    territory: object({ kind: { enum: TERRITORY_KINDS }, code: text, name: text }),
    asOf: date,
    totals: object(figures),
    parts: {
      ...array(object({ code: text, name: text, figures: object(figures) })),
      description: 'One level down: départements of a région, communes of a département; empty for a commune',
    },
  }),
};
