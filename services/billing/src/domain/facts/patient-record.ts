import { isDeepStrictEqual } from 'node:util';
import { isRedacted, NotFoundError, ValidationError, type Decider, type DomainEvent, type FieldViolation } from '@pcn/eventsourcing';
import { isIsoDate, OPEN_END, toEpochDay, type DayRange, type IsoDate } from '../schedule/calendar';
import type { PatientFacts } from '../capitation/patient-facts';

/**
 * What billing has learned about one patient, from `pcn.attribution.v1` and from the indicators
 * centres record. Billing keeps its own copy as events (stream `billing-patient-{id}`), so a
 * statement names the position of the facts it was computed from and a re-run reads the same.
 */
export const patientRecordStreamId = (patientId: string): string => `billing-patient-${patientId}`;

/** Half-open, as the attribution events write them; `end` empty = open. */
export interface Period {
  readonly start: IsoDate;
  readonly end?: IsoDate;
}

export interface PatientSnapshot {
  /** `YYYY-MM`. */
  readonly birthYearMonth: string;
  readonly communeInsee: string;
  readonly ald: readonly Period[];
  readonly c2s: readonly Period[];
}

export type PatientRecordCommand =
  | ({
      readonly type: 'LearnPatient';
      readonly patientId: string;
      readonly learnedOn: IsoDate;
      /** When the snapshot was taken (the event's occurred_at): an older snapshot never overwrites a newer one. */
      readonly asOf: string;
    } & PatientSnapshot)
  | {
      readonly type: 'LearnDeclaration';
      readonly patientId: string;
      readonly attributionId: string;
      readonly centreFiness: string;
      readonly effectiveDate: IsoDate;
      readonly replaces?: string;
    }
  | { readonly type: 'LearnAttributionEnd'; readonly patientId: string; readonly attributionId: string; readonly endDate: IsoDate }
  | {
      readonly type: 'RecordPreventionIndicator';
      readonly patientId: string;
      readonly centreFiness: string;
      readonly indicator: string;
      readonly validatedOn: IsoDate;
      readonly recordedBy: string;
    }
  /** The patient exercised the right to erasure in attribution (`PatientErased` on `pcn.attribution.v1`). */
  | { readonly type: 'ForgetPatient'; readonly patientId: string; readonly erasedOn: IsoDate };

export type PatientRecordEvent =
  | DomainEvent<
      'PatientLearned',
      { readonly patientId: string; readonly asOf: string; readonly birthYearMonth: string; readonly ald: readonly Period[]; readonly c2s: readonly Period[] }
    >
  | DomainEvent<'CommuneLearned', { readonly insee: string; readonly from: IsoDate }>
  | DomainEvent<'AttributionLearned', { readonly attributionId: string; readonly centreFiness: string; readonly start: IsoDate }>
  | DomainEvent<'AttributionEndLearned', { readonly attributionId: string; readonly end: IsoDate }>
  | DomainEvent<
      'PreventionIndicatorRecorded',
      { readonly centreFiness: string; readonly indicator: string; readonly validatedOn: IsoDate; readonly recordedBy: string }
    >
  | DomainEvent<'PatientErased', { readonly patientId: string; readonly erasedOn: IsoDate }>;

/**
 * The fields of billing's patient events that are the patient's personal data (birth month,
 * ALD and C2S periods, commune and the day it changed, validated prevention indicators): sealed
 * in the store with the patient's own key, unreadable once it is destroyed (docs/adr/0025).
 * Ids, attribution dates and FINESS stay readable: they justify the statements already issued.
 */
export const PATIENT_PERSONAL_FIELDS: Readonly<Record<string, readonly string[]>> = {
  PatientLearned: ['birthYearMonth', 'ald', 'c2s'],
  CommuneLearned: ['insee', 'from'],
  PreventionIndicatorRecorded: ['indicator'],
};

export interface PatientRecord {
  readonly patientId?: string;
  readonly asOf?: string;
  readonly birthYearMonth?: string;
  readonly communes: readonly { readonly insee: string; readonly from: IsoDate }[];
  readonly ald: readonly Period[];
  readonly c2s: readonly Period[];
  readonly attributions: readonly { readonly attributionId: string; readonly centreFiness: string; readonly start: IsoDate; readonly end?: IsoDate }[];
  readonly prevention: readonly { readonly indicator: string; readonly validatedOn: IsoDate }[];
  /** Set once the patient is erased: their personal data are gone and nothing is learned about them again. */
  readonly erasedOn?: IsoDate;
}

/** The first commune applies to every earlier day too: it is recorded from this day. */
const SINCE_EVER = '1900-01-01';
const BIRTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const INDICATOR = /^[a-z0-9][a-z0-9_.-]{0,39}$/;

function periodsViolations(field: string, periods: readonly Period[]): FieldViolation[] {
  return periods.flatMap((p, i) =>
    isIsoDate(p.start) && (p.end === undefined || (isIsoDate(p.end) && p.end > p.start))
      ? []
      : [{ field: `${field}[${i}]`, description: `must have a start date and an optional later end date, written YYYY-MM-DD; got ${JSON.stringify(p)}` }],
  );
}

function refuse(violations: FieldViolation[]): void {
  if (violations.length > 0) throw new ValidationError(violations);
}

const samePeriods = (a: readonly Period[], b: readonly Period[]): boolean => isDeepStrictEqual(a, b);

export const patientRecordDecider: Decider<PatientRecordCommand, PatientRecord, PatientRecordEvent> = {
  initialState: () => ({ communes: [], ald: [], c2s: [], attributions: [], prevention: [] }),

  decide(command, state): PatientRecordEvent[] {
    switch (command.type) {
      case 'LearnPatient': {
        // After an erasure, a redelivered or replayed snapshot must not bring the patient's data back.
        if (state.erasedOn !== undefined) return [];
        refuse([
          ...(BIRTH.test(command.birthYearMonth)
            ? []
            : [{ field: 'patient.birth_year_month', description: `must be YYYY-MM, got ${JSON.stringify(command.birthYearMonth)}` }]),
          ...periodsViolations('patient.ald', command.ald),
          ...periodsViolations('patient.c2s', command.c2s),
          ...(isIsoDate(command.learnedOn) ? [] : [{ field: 'occurred_at', description: `must be a date, got ${JSON.stringify(command.learnedOn)}` }]),
        ]);
        // A snapshot older than the one already learned (a redelivered message) changes nothing.
        if (state.asOf !== undefined && command.asOf < state.asOf) return [];
        const events: PatientRecordEvent[] = [];
        if (state.birthYearMonth !== command.birthYearMonth || !samePeriods(state.ald, command.ald) || !samePeriods(state.c2s, command.c2s))
          events.push({
            type: 'PatientLearned',
            data: { patientId: command.patientId, asOf: command.asOf, birthYearMonth: command.birthYearMonth, ald: command.ald, c2s: command.c2s },
          });
        const current = state.communes.at(-1);
        if (command.communeInsee !== '' && current?.insee !== command.communeInsee)
          events.push({ type: 'CommuneLearned', data: { insee: command.communeInsee, from: current === undefined ? SINCE_EVER : command.learnedOn } });
        return events;
      }
      case 'LearnDeclaration': {
        // Attribution refuses every command on an erased patient: a declaration read now is a replayed one.
        if (state.erasedOn !== undefined) return [];
        refuse(
          isIsoDate(command.effectiveDate) ? [] : [{ field: 'effective_date', description: `must be a date, got ${JSON.stringify(command.effectiveDate)}` }],
        );
        const events: PatientRecordEvent[] = [];
        const replaced = state.attributions.find((a) => a.attributionId === command.replaces && a.end === undefined);
        if (replaced !== undefined) events.push({ type: 'AttributionEndLearned', data: { attributionId: replaced.attributionId, end: command.effectiveDate } });
        if (!state.attributions.some((a) => a.attributionId === command.attributionId))
          events.push({
            type: 'AttributionLearned',
            data: { attributionId: command.attributionId, centreFiness: command.centreFiness, start: command.effectiveDate },
          });
        return events;
      }
      case 'LearnAttributionEnd': {
        refuse(isIsoDate(command.endDate) ? [] : [{ field: 'end_date', description: `must be a date, got ${JSON.stringify(command.endDate)}` }]);
        const known = state.attributions.find((a) => a.attributionId === command.attributionId);
        // An end for an attribution never learned is kept nowhere: its declaration comes first on the topic (same key).
        if (known === undefined || known.end === command.endDate) return [];
        return [{ type: 'AttributionEndLearned', data: { attributionId: command.attributionId, end: command.endDate } }];
      }
      case 'RecordPreventionIndicator': {
        refuse([
          ...(INDICATOR.test(command.indicator)
            ? []
            : [{ field: 'indicator', description: `must be an indicator code of the schedule, got ${JSON.stringify(command.indicator)}` }]),
          ...(isIsoDate(command.validatedOn)
            ? []
            : [{ field: 'validatedOn', description: `must be a calendar date written YYYY-MM-DD, got ${JSON.stringify(command.validatedOn)}` }]),
        ]);
        if (state.patientId === undefined || state.erasedOn !== undefined) throw new NotFoundError('patient', command.patientId);
        const year = command.validatedOn.slice(0, 4);
        if (state.prevention.some((p) => p.indicator === command.indicator && p.validatedOn.slice(0, 4) === year && p.validatedOn <= command.validatedOn))
          return [];
        const { centreFiness, indicator, validatedOn, recordedBy } = command;
        return [{ type: 'PreventionIndicatorRecorded', data: { centreFiness, indicator, validatedOn, recordedBy } }];
      }
      case 'ForgetPatient': {
        refuse(isIsoDate(command.erasedOn) ? [] : [{ field: 'erased_on', description: `must be a date, got ${JSON.stringify(command.erasedOn)}` }]);
        // Recorded even for a patient billing never heard of, so that a later replay of their facts learns nothing.
        if (state.erasedOn !== undefined) return [];
        return [{ type: 'PatientErased', data: { patientId: command.patientId, erasedOn: command.erasedOn } }];
      }
    }
  },

  evolve(state, event): PatientRecord {
    // Read after the key was destroyed: the personal fields are gone, and `PatientErased` follows.
    if (isRedacted(event.data) && event.type !== 'AttributionLearned' && event.type !== 'AttributionEndLearned')
      return event.type === 'PatientLearned' ? { ...state, patientId: event.data.patientId, asOf: event.data.asOf } : state;
    switch (event.type) {
      case 'PatientLearned':
        return {
          ...state,
          patientId: event.data.patientId,
          asOf: event.data.asOf,
          birthYearMonth: event.data.birthYearMonth,
          ald: event.data.ald,
          c2s: event.data.c2s,
        };
      case 'CommuneLearned':
        return { ...state, communes: [...state.communes, event.data] };
      case 'AttributionLearned':
        return { ...state, attributions: [...state.attributions, event.data] };
      case 'AttributionEndLearned':
        return { ...state, attributions: state.attributions.map((a) => (a.attributionId === event.data.attributionId ? { ...a, end: event.data.end } : a)) };
      case 'PreventionIndicatorRecorded':
        return { ...state, prevention: [...state.prevention, { indicator: event.data.indicator, validatedOn: event.data.validatedOn }] };
      case 'PatientErased': {
        // Only what justifies the statements already issued stays: the pseudonymous id and the attributions.
        const { patientId, attributions } = state;
        return { ...(patientId !== undefined && { patientId }), communes: [], ald: [], c2s: [], attributions, prevention: [], erasedOn: event.data.erasedOn };
      }
    }
  },
};

const toRange = (p: Period): DayRange => ({ start: toEpochDay(p.start), end: p.end === undefined ? OPEN_END : toEpochDay(p.end) });

/** The facts the computation reads, as one centre sees them; undefined until the patient is known. */
export function patientFactsFor(record: PatientRecord, centreFiness: string): PatientFacts | undefined {
  if (record.patientId === undefined || record.birthYearMonth === undefined || record.erasedOn !== undefined) return undefined;
  return {
    patientId: record.patientId,
    birthYear: Number(record.birthYearMonth.slice(0, 4)),
    birthMonth: Number(record.birthYearMonth.slice(5, 7)),
    communes: [...record.communes].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0)).map((c) => ({ from: toEpochDay(c.from), insee: c.insee })),
    ald: record.ald.map(toRange),
    c2s: record.c2s.map(toRange),
    attributed: record.attributions.filter((a) => a.centreFiness === centreFiness && (a.end === undefined || a.end > a.start)).map(toRange),
    prevention: record.prevention.map((p) => ({ indicator: p.indicator, validatedOn: toEpochDay(p.validatedOn) })),
  };
}
