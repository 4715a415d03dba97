import type { Professional } from '../professional/professional-state';
import type { Vacancy } from '../vacancy/vacancy-state';
import type { MobilityCommand } from './mobility-commands';
import { requestPreconditions } from './request-preconditions';

const ORIGIN = '930000013';
const DESTINATION = '750000019';
const request: Extract<MobilityCommand, { type: 'RequestMobility' }> = {
  type: 'RequestMobility',
  mobilityId: 'mob-1',
  professionalId: 'pro-1',
  vacancyId: 'vac-42',
  kind: 'transfer',
  originCentreFiness: ORIGIN,
  originAssignmentId: 'a1',
  destinationCentreFiness: DESTINATION,
  fte: 8000,
  requestedOn: '2026-03-02',
};
const vacancy: Vacancy = {
  exists: true,
  vacancyId: 'vac-42',
  centreFiness: DESTINATION,
  profession: 'nurse',
  fte: 8000,
  startOn: '2026-09-01',
  postedBy: 'm',
  status: 'open',
};
const professional: Professional = {
  exists: true,
  professionalId: 'pro-1',
  identity: { lastName: 'Martin', firstName: 'Inès' },
  profession: 'nurse',
  grade: 'ide_b_cn',
  echelon: 3,
  echelonSince: '2024-09-01',
  retainedSeniorityMonths: 14,
  hiredOn: '2026-01-05',
  career: [{ grade: 'ide_b_cn', echelon: 3, effectiveOn: '2026-01-05', progressionFrom: '2024-09-01', retainedSeniorityMonths: 14 }],
  assignments: { a1: { assignmentId: 'a1', centreFiness: ORIGIN, fte: 8000, startOn: '2026-01-05', kind: 'regular' } },
};
const subjects = (...args: Parameters<typeof requestPreconditions>): string[] => requestPreconditions(...args).map((v) => `${v.type}:${v.subject}`);

describe('requestPreconditions: the request agrees with the vacancy and the professional', () => {
  it('is met by an open vacancy at the destination, for the profession and FTE, from a running origin assignment', () =>
    expect(requestPreconditions(request, vacancy, professional)).toEqual([]));

  it('requires an open vacancy', () => {
    expect(subjects(request, { ...vacancy, status: 'filled' }, professional)).toEqual(['LIFECYCLE:vacancyId']);
    expect(subjects(request, { ...vacancy, status: 'cancelled' }, professional)).toEqual(['LIFECYCLE:vacancyId']);
  });

  it('requires the destination to be the vacancy centre, the profession and the FTE posted', () =>
    expect(
      subjects(
        { ...request, destinationCentreFiness: '2A0000041', fte: 5000, originFte: 8000 },
        { ...vacancy },
        { ...professional, profession: 'physiotherapist' },
      ),
    ).toEqual(['VACANCY:destinationCentreFiness', 'VACANCY:vacancyId', 'VACANCY:fte']));

  it('refuses a professional who has left the network', () =>
    expect(subjects(request, vacancy, { ...professional, exitOn: '2026-03-01' })).toEqual(['CAREER:professionalId']));

  it('requires the origin assignment to exist, at the origin centre, worked on the request day, with the origin FTE', () => {
    expect(subjects({ ...request, originAssignmentId: 'zz' }, vacancy, professional)).toEqual(['ASSIGNMENT:originAssignmentId']);
    expect(subjects({ ...request, originCentreFiness: '2A0000041' }, vacancy, professional)).toEqual(['ASSIGNMENT:originCentreFiness']);
    const ended = { ...professional, assignments: { a1: { ...professional.assignments.a1!, endOn: '2026-03-02' } } };
    expect(subjects(request, vacancy, ended)).toEqual(['ASSIGNMENT:originAssignmentId']);
    expect(requestPreconditions({ ...request, originFte: 10000 }, vacancy, professional)).toEqual([
      { type: 'ASSIGNMENT', subject: 'originFte', description: 'assignment a1 is 8000 ten-thousandths, the request says 10000' },
    ]);
  });
});
