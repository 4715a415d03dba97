import { completeFiness } from '@pcn/referential';

/** A valid FINESS: 8 digits followed by their check digit. */
export const finess = completeFiness;

/** A registration body that meets every accreditation criterion (REST shape), for an accreditation dated from 2025-12-15 on. */
export function registration(first8 = '93000001', overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    finess: finess(first8),
    name: 'Centre de santé Louise-Michel',
    manager: { kind: 'commune', name: 'Ville de Saint-Denis' },
    type: 'polyvalent',
    communeInsee: '93066',
    address: { line1: '12 rue de la République', postalCode: '93200', city: 'Saint-Denis' },
    commitments: { sector1FeesOnly: true, fullThirdPartyPayment: true, salariedStaff: true },
    governance: { electedOfficialsSeats: 3, usersSeats: 3, staffSeats: 3 },
    healthProject: { adoptedOn: '2025-12-15', axes: ['prevention', 'access_to_rights'] },
    services: ['general_medicine', 'nursing'],
    ...overrides,
  };
}
