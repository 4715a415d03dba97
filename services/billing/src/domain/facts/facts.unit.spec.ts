import { deciderSpec } from '@pcn/eventsourcing/testing';
import { NotFoundError } from '@pcn/eventsourcing';
import { OPEN_END, toEpochDay } from '../schedule/calendar';
import { centreRecordDecider, membershipRanges, type CentreRecordEvent } from './centre-record';
import { patientFactsFor, patientRecordDecider, type PatientRecordEvent } from './patient-record';

const patients = deciderSpec(patientRecordDecider);
const learn = {
  type: 'LearnPatient' as const,
  patientId: 'p-1',
  learnedOn: '2026-03-10',
  asOf: '2026-03-10T09:00:00.000Z',
  birthYearMonth: '1951-03',
  communeInsee: '93066',
  ald: [{ start: '2020-01-01' }],
  c2s: [],
};
const learned: PatientRecordEvent[] = [
  { type: 'PatientLearned', data: { patientId: 'p-1', asOf: '2026-03-10T09:00:00.000Z', birthYearMonth: '1951-03', ald: [{ start: '2020-01-01' }], c2s: [] } },
  { type: 'CommuneLearned', data: { insee: '93066', from: '1900-01-01' } },
];
const declared: PatientRecordEvent = { type: 'AttributionLearned', data: { attributionId: 'a-1', centreFiness: '930000013', start: '2026-03-16' } };

describe('learning a patient from pcn.attribution.v1', () => {
  it('records birth month, ALD and C2S periods and the first commune (for every earlier day)', () => patients.given([]).when(learn).then(learned));
  it('records nothing when an update changes nothing billing reads', () => patients.given(learned).when(learn).then([]));
  it('ignores an older snapshot redelivered after a newer one', () =>
    patients
      .given(learned)
      .when({ ...learn, asOf: '2026-03-01T00:00:00.000Z', ald: [] })
      .then([]));
  it('records a move from the day it was learned', () =>
    patients
      .given(learned)
      .when({ ...learn, communeInsee: '75111', learnedOn: '2026-04-02', asOf: '2026-04-02T08:00:00.000Z' })
      .then([{ type: 'CommuneLearned', data: { insee: '75111', from: '2026-04-02' } }]));
  it('refuses a malformed birth month or period, naming the field', () =>
    patients
      .given([])
      .when({ ...learn, birthYearMonth: '1951-13', c2s: [{ start: '2026-02-01', end: '2026-01-01' }] })
      .thenThrows({ violations: [expect.objectContaining({ field: 'patient.birth_year_month' }), expect.objectContaining({ field: 'patient.c2s[0]' })] }));
});

describe('declarations and ends', () => {
  it('records a declaration once', () => {
    patients
      .given(learned)
      .when({ type: 'LearnDeclaration', patientId: 'p-1', attributionId: 'a-1', centreFiness: '930000013', effectiveDate: '2026-03-16' })
      .then([declared]);
    patients
      .given([...learned, declared])
      .when({ type: 'LearnDeclaration', patientId: 'p-1', attributionId: 'a-1', centreFiness: '930000013', effectiveDate: '2026-03-16' })
      .then([]);
  });
  it('ends the replaced attribution on the day the new one starts', () =>
    patients
      .given([...learned, declared])
      .when({ type: 'LearnDeclaration', patientId: 'p-1', attributionId: 'a-2', centreFiness: '750000001', effectiveDate: '2026-05-01', replaces: 'a-1' })
      .then([
        { type: 'AttributionEndLearned', data: { attributionId: 'a-1', end: '2026-05-01' } },
        { type: 'AttributionLearned', data: { attributionId: 'a-2', centreFiness: '750000001', start: '2026-05-01' } },
      ]));
  it('records an end (possibly backdated) once', () => {
    patients
      .given([...learned, declared])
      .when({ type: 'LearnAttributionEnd', patientId: 'p-1', attributionId: 'a-1', endDate: '2026-03-20' })
      .then([{ type: 'AttributionEndLearned', data: { attributionId: 'a-1', end: '2026-03-20' } }]);
    patients
      .given([...learned, declared, { type: 'AttributionEndLearned', data: { attributionId: 'a-1', end: '2026-03-20' } }])
      .when({ type: 'LearnAttributionEnd', patientId: 'p-1', attributionId: 'a-1', endDate: '2026-03-20' })
      .then([]);
  });
});

describe('prevention indicators recorded by a centre', () => {
  const record = {
    type: 'RecordPreventionIndicator' as const,
    patientId: 'p-1',
    centreFiness: '930000013',
    indicator: 'oral-examination',
    validatedOn: '2026-03-10',
    recordedBy: 'centre@930000013',
  };
  it('records an indicator validated on a date', () =>
    patients
      .given(learned)
      .when(record)
      .then([
        {
          type: 'PreventionIndicatorRecorded',
          data: { centreFiness: '930000013', indicator: 'oral-examination', validatedOn: '2026-03-10', recordedBy: 'centre@930000013' },
        },
      ]));
  it('records nothing for the same indicator validated again later the same year', () =>
    patients
      .given([
        ...learned,
        { type: 'PreventionIndicatorRecorded', data: { centreFiness: '930000013', indicator: 'oral-examination', validatedOn: '2026-03-10', recordedBy: 'c' } },
      ])
      .when({ ...record, validatedOn: '2026-06-01' })
      .then([]));
  it('refuses an unknown patient', () => patients.given([]).when(record).thenThrows(NotFoundError));
  it('refuses a malformed code or date, naming the field', () =>
    patients
      .given(learned)
      .when({ ...record, indicator: 'Oral Exam', validatedOn: '2026-02-30' })
      .thenThrows({ violations: [expect.objectContaining({ field: 'indicator' }), expect.objectContaining({ field: 'validatedOn' })] }));
});

describe('erasure of a patient (PatientErased on pcn.attribution.v1)', () => {
  const erase = { type: 'ForgetPatient' as const, patientId: 'p-1', erasedOn: '2026-04-02' };
  const erased: PatientRecordEvent = { type: 'PatientErased', data: { patientId: 'p-1', erasedOn: '2026-04-02' } };
  const fold = (events: PatientRecordEvent[]) => events.reduce(patientRecordDecider.evolve, patientRecordDecider.initialState());

  it('records the erasure once, even for a patient billing never heard of', () => {
    patients
      .given([...learned, declared])
      .when(erase)
      .then([erased]);
    patients
      .given([...learned, declared, erased])
      .when(erase)
      .then([]);
    patients.given([]).when(erase).then([erased]);
  });
  it('keeps only the pseudonymous id and the attributions: no birth month, commune, ALD, C2S or indicator', () =>
    expect(fold([...learned, declared, erased])).toEqual({
      patientId: 'p-1',
      communes: [],
      ald: [],
      c2s: [],
      prevention: [],
      attributions: [{ attributionId: 'a-1', centreFiness: '930000013', start: '2026-03-16' }],
      erasedOn: '2026-04-02',
    }));
  it('learns nothing from a snapshot or a declaration replayed after the erasure', () => {
    patients
      .given([...learned, erased])
      .when({ ...learn, asOf: '2026-05-01T00:00:00.000Z' })
      .then([]);
    patients.given([erased]).when(learn).then([]);
    patients
      .given([...learned, erased])
      .when({ type: 'LearnDeclaration', patientId: 'p-1', attributionId: 'a-9', centreFiness: '930000013', effectiveDate: '2026-03-01' })
      .then([]);
  });
  it('gives no facts to a run, and refuses a prevention indicator', () => {
    expect(patientFactsFor(fold([...learned, declared, erased]), '930000013')).toBeUndefined();
    patients
      .given([...learned, erased])
      .when({
        type: 'RecordPreventionIndicator',
        patientId: 'p-1',
        centreFiness: '930000013',
        indicator: 'vaccination',
        validatedOn: '2026-03-01',
        recordedBy: 'c',
      })
      .thenThrows(NotFoundError);
  });
  it('folds the events read redacted (key destroyed) without their personal fields', () =>
    expect(
      fold([
        { type: 'PatientLearned', data: { patientId: 'p-1', asOf: '2026-03-10T09:00:00.000Z', $redacted: ['birthYearMonth', 'ald', 'c2s'] } as never },
        { type: 'CommuneLearned', data: { $redacted: ['insee', 'from'] } as never },
        declared,
        erased,
      ]),
    ).toEqual(fold([...learned, declared, erased])));
});

describe('the facts one centre reads', () => {
  it('keep only the attributions to that centre, as day ranges', () => {
    const record = [
      ...learned,
      declared,
      { type: 'AttributionLearned', data: { attributionId: 'a-9', centreFiness: '750000001', start: '2025-01-01' } } as PatientRecordEvent,
    ].reduce(patientRecordDecider.evolve, patientRecordDecider.initialState());
    expect(patientFactsFor(record, '930000013')).toEqual({
      patientId: 'p-1',
      birthYear: 1951,
      birthMonth: 3,
      communes: [{ from: toEpochDay('1900-01-01'), insee: '93066' }],
      ald: [{ start: toEpochDay('2020-01-01'), end: OPEN_END }],
      c2s: [],
      attributed: [{ start: toEpochDay('2026-03-16'), end: OPEN_END }],
      prevention: [],
    });
  });
});

describe('centre membership from pcn.registry.v1', () => {
  const centres = deciderSpec(centreRecordDecider);
  const member: CentreRecordEvent = { type: 'CentreMembershipLearned', data: { finess: '930000013', status: 'member', from: '2026-01-10' } };
  it('records a change once', () => {
    centres.given([]).when({ type: 'LearnMembership', finess: '930000013', status: 'member', from: '2026-01-10' }).then([member]);
    centres.given([member]).when({ type: 'LearnMembership', finess: '930000013', status: 'member', from: '2026-01-10' }).then([]);
  });
  it('turns changes into member day ranges, whatever the order they were learned in', () => {
    const record = [
      { type: 'CentreMembershipLearned', data: { finess: '930000013', status: 'not_member', from: '2026-06-01' } } as CentreRecordEvent,
      member,
      { type: 'CentreMembershipLearned', data: { finess: '930000013', status: 'member', from: '2026-07-15' } } as CentreRecordEvent,
    ].reduce(centreRecordDecider.evolve, centreRecordDecider.initialState());
    expect(membershipRanges(record)).toEqual([
      { start: toEpochDay('2026-01-10'), end: toEpochDay('2026-06-01') },
      { start: toEpochDay('2026-07-15'), end: OPEN_END },
    ]);
  });
});
