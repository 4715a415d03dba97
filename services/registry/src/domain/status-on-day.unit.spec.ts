import { centreDecider } from './centre-decider';
import { statusOn, type ExistingCentre } from './centre-state';
import type { CentreEvent } from './events';
import { statusOnDay, type DatedCentreEvent } from './status-on-day';
import { eligibleCentre } from './testing-fixtures';

const FINESS = '930000013';
const on = (recordedOn: string, event: CentreEvent): DatedCentreEvent => ({ recordedOn, event });
const registered = on('2026-01-10', { type: 'CentreRegistered', data: { finess: FINESS, details: eligibleCentre() } });
const accredited = (recordedOn: string, accreditedOn: string): DatedCentreEvent =>
  on(recordedOn, { type: 'CentreAccredited', data: { finess: FINESS, accreditedOn } });
const suspended = on('2026-04-01', { type: 'CentreSuspended', data: { finess: FINESS, reason: 'governance not convened' } });
const reinstated = on('2026-05-15', { type: 'CentreReinstated', data: { finess: FINESS } });
const closed = on('2026-06-01', { type: 'CentreClosed', data: { finess: FINESS, effectiveDate: '2026-09-30', reason: 'merged' } });

describe('the status of a centre on a business day', () => {
  it('knows nothing of the centre before it was registered', () => {
    expect(statusOnDay([registered], '2026-01-09')).toBeUndefined();
    expect(statusOnDay([registered], '2026-01-10')).toEqual({ status: 'candidate' });
  });

  it('counts membership from the accreditation date, even when recorded later', () => {
    const history = [registered, accredited('2026-03-10', '2026-03-01')];
    expect(statusOnDay(history, '2026-02-28')).toEqual({ status: 'candidate' });
    expect(statusOnDay(history, '2026-03-01')).toEqual({ status: 'member' });
  });

  it('vouches for the days between an accreditation date and a later registration', () => {
    const history = [registered, accredited('2026-01-12', '2026-01-01')];
    expect(statusOnDay(history, '2025-12-31')).toBeUndefined();
    expect(statusOnDay(history, '2026-01-01')).toEqual({ status: 'member' });
  });

  it('leaves a centre accredited in advance a candidate until that day', () => {
    const history = [registered, accredited('2026-12-06', '2027-01-05')];
    expect(statusOnDay(history, '2026-12-06')).toEqual({ status: 'candidate' });
    expect(statusOnDay(history, '2027-01-04')).toEqual({ status: 'candidate' });
    expect(statusOnDay(history, '2027-01-05')).toEqual({ status: 'member' });
  });

  it('runs a suspension from the day it was recorded to the day of the reinstatement, excluded, with its reason', () => {
    const history = [registered, accredited('2026-02-01', '2026-02-01'), suspended, reinstated];
    expect(statusOnDay(history, '2026-03-31')).toEqual({ status: 'member' });
    expect(statusOnDay(history, '2026-04-01')).toEqual({ status: 'suspended', suspensionReason: 'governance not convened' });
    expect(statusOnDay(history, '2026-05-14')).toEqual({ status: 'suspended', suspensionReason: 'governance not convened' });
    expect(statusOnDay(history, '2026-05-15')).toEqual({ status: 'member' });
  });

  it('closes the centre from the effective date of its closure, announced in advance', () => {
    const history = [registered, accredited('2026-02-01', '2026-02-01'), closed];
    expect(statusOnDay(history, '2026-09-29')).toEqual({ status: 'member' });
    expect(statusOnDay(history, '2026-09-30')).toEqual({ status: 'closed' });
  });

  it('agrees with the folded state for any day from the last event on', () => {
    const histories = [
      [registered],
      [registered, accredited('2026-02-01', '2026-02-01')],
      [registered, accredited('2026-02-01', '2026-11-01')],
      [registered, accredited('2026-02-01', '2026-02-01'), suspended],
      [registered, accredited('2026-02-01', '2026-02-01'), suspended, reinstated, closed],
    ];
    for (const history of histories) {
      const state = history.map((h) => h.event).reduce(centreDecider.evolve, centreDecider.initialState()) as ExistingCentre;
      for (const day of ['2026-06-01', '2026-10-31', '2026-11-01', '2027-01-01']) expect(statusOnDay(history, day)?.status).toBe(statusOn(state, day));
    }
  });
});
