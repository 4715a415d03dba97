import { billingRunsV1 as runs } from '@pcn/contracts';
import type { RecordedEvent } from '@pcn/eventsourcing';
import { BILLING_TOPIC, type ReceivedMessage } from '@pcn/messaging';
import type { SharedPeriodRuns } from '../../application/shared-period-runs';
import type { CentreRunRequest } from '../../domain';
import { billingEventMapper } from './billing-integration-events';
import { BILLING_RUNS_TOPIC, runWorkConsumer, withRunWork } from './run-work';

const item: CentreRunRequest = {
  runId: 'r-1',
  period: '2026-03',
  finess: '930000013',
  scheduleVersion: 'fmt-2026.1',
  logPosition: '42',
  runBy: 'billing:agent-1',
};

const recorded = (streamId: string, type: string, data: unknown): RecordedEvent => ({
  id: `evt-${type}`,
  type,
  schemaVersion: 1,
  data,
  metadata: { occurredAt: '2026-04-02T09:00:00.000Z' },
  streamId,
  revision: 1,
  position: 43,
  recordedAt: '2026-04-02T09:00:00.001Z',
});

const map = withRunWork(billingEventMapper());

describe('work items of shared runs on pcn.billing.runs.v1', () => {
  it('publishes each centre of a run keyed by its FINESS, with everything the worker needs', async () => {
    const out = await map(recorded('run-request-r-1', 'CentreRunRequested', item));
    expect(out).toMatchObject({
      topic: BILLING_RUNS_TOPIC,
      message: { key: '930000013', type: 'pcn.events.v1.CentreRunRequested', id: 'evt-CentreRunRequested' },
    });
    expect(runs.CentreRunRequested.decode(out!.message.data)).toEqual({
      runId: 'r-1',
      period: '2026-03',
      centreFiness: '930000013',
      scheduleVersion: 'fmt-2026.1',
      logPosition: '42',
      runBy: 'billing:agent-1',
    });
  });

  it('publishes nothing for the run itself, and leaves statements to pcn.billing.v1', async () => {
    expect(await map(recorded('run-request-r-1', 'PeriodRunRequested', { ...item, centres: ['930000013'] }))).toBeUndefined();
    const issued = await map(
      recorded('statement-930000013-2026-03', 'StatementIssued', {
        issuedOn: '2026-04-02',
        issuedBy: 'b',
        totalCents: 1,
        scheduleVersion: 'v',
        logPosition: '1',
      }),
    );
    expect(issued?.topic).toBe(BILLING_TOPIC);
  });

  it('hands each item to the shared runs, and ignores a message of another type', async () => {
    const worked: CentreRunRequest[] = [];
    const consume = runWorkConsumer({ work: async (r: CentreRunRequest) => void worked.push(r) } as unknown as SharedPeriodRuns);
    const out = (await map(recorded('run-request-r-1', 'CentreRunRequested', item)))!;
    const received: ReceivedMessage = { ...out.message, topic: out.topic, partition: 1, offset: '7', attempt: 1 };
    await consume(received);
    await consume({ ...received, type: 'pcn.events.v1.SomethingElse' });
    expect(worked).toEqual([item]);
  });
});
