import type { CentreDetails } from './centre';

/** A centre that meets every accreditation criterion; tests change one thing at a time. */
export function eligibleCentre(overrides: Partial<CentreDetails> = {}): CentreDetails {
  return {
    name: 'Centre de santé Louise-Michel',
    manager: { kind: 'commune', name: 'Ville de Saint-Denis' },
    type: 'polyvalent',
    location: { communeInsee: '93066', communeName: 'Saint-Denis', departement: '93', region: '11' },
    address: { line1: '12 rue de la République', postalCode: '93200', city: 'Saint-Denis' },
    coordinates: { latitude: 48.9358, longitude: 2.3574 },
    commitments: { sector1FeesOnly: true, fullThirdPartyPayment: true, salariedStaff: true },
    governance: { electedOfficialsSeats: 3, usersSeats: 3, staffSeats: 3 },
    healthProject: { adoptedOn: '2026-01-15', axes: ['prevention', 'access_to_rights'] },
    services: ['general_medicine', 'nursing'],
    secpaParticipation: false,
    ...overrides,
  };
}
