import { deciderSpec } from '@pcn/eventsourcing/testing';
import {
  centreRunDecider,
  centreRunStreamId,
  periodRunDecider,
  runRequestStreamId,
  runResultsPrefix,
  type CentreRunResult,
  type PeriodRunRequest,
} from './period-run';

const run: PeriodRunRequest = {
  runId: 'r-1',
  period: '2026-03',
  scheduleVersion: 'fmt-2026.1',
  logPosition: '42',
  runBy: 'billing:agent-1',
  centres: ['930000013', '750712184'],
};
const shared = { runId: 'r-1', period: '2026-03', scheduleVersion: 'fmt-2026.1', logPosition: '42', runBy: 'billing:agent-1' };

describe('a shared period run', () => {
  const spec = deciderSpec(periodRunDecider);
  it('records the run and one work item per centre, at once', () =>
    spec
      .given([])
      .when({ type: 'RequestPeriodRun', ...run })
      .then([
        { type: 'PeriodRunRequested', data: run },
        { type: 'CentreRunRequested', data: { ...shared, finess: '930000013' } },
        { type: 'CentreRunRequested', data: { ...shared, finess: '750712184' } },
      ]));
  it('asked again, records nothing', () =>
    spec
      .given([{ type: 'PeriodRunRequested', data: run }])
      .when({ type: 'RequestPeriodRun', ...run })
      .then([]));
  it('keeps its results apart from its request: the request prefix is not a prefix of the results', () => {
    expect(runRequestStreamId('r-1')).toBe('run-request-r-1');
    expect(centreRunStreamId('r-1', '930000013')).toBe('run-centre-r-1-930000013');
    expect(centreRunStreamId('r-1', '930000013').startsWith(runResultsPrefix('r-1'))).toBe(true);
    expect(centreRunStreamId('r-10', '930000013').startsWith(runResultsPrefix('r-1'))).toBe(false);
  });
});

describe("a centre's result in a shared run", () => {
  const spec = deciderSpec(centreRunDecider);
  const result: CentreRunResult = { runId: 'r-1', finess: '930000013', outcome: 'computed', lines: 2, totalCents: 1234, computedBy: 'host-a:1' };
  it('is recorded once', () =>
    spec
      .given([])
      .when({ type: 'RecordCentreRun', ...result })
      .then([{ type: 'CentreRunCompleted', data: result }]));
  it('recorded again by a redelivered work item (on another instance), records nothing', () =>
    spec
      .given([{ type: 'CentreRunCompleted', data: result }])
      .when({ type: 'RecordCentreRun', ...result, outcome: 'unchanged', computedBy: 'host-b:2' })
      .then([]));
});
