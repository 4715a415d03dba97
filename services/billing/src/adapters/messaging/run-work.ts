import { billingRunsV1 as runs } from '@pcn/contracts';
import { eventMessage, type EventMapper, type MessageHandler, type OutgoingMessage } from '@pcn/messaging';
import type { SharedPeriodRuns } from '../../application/shared-period-runs';
import { RUN_REQUEST_PREFIX, type CentreRunRequest } from '../../domain';
import { BILLING_SOURCE } from './billing-integration-events';

/** Work items of shared period runs, keyed by FINESS (docs/adr/0028): internal to billing. */
export const BILLING_RUNS_TOPIC = 'pcn.billing.runs.v1';
/** Every billing instance joins it: the topic's partitions, hence the centres, are shared among them. */
export const BILLING_RUNS_GROUP = 'billing-period-runs';
const WORK_ITEM_TYPE = 'pcn.events.v1.CentreRunRequested';

/** The relay's mapping of a run request's work items: one message per centre on the work topic. */
export function runWorkMapper(): EventMapper {
  return async (recorded): Promise<OutgoingMessage | undefined> => {
    if (!recorded.streamId.startsWith(RUN_REQUEST_PREFIX) || recorded.type !== 'CentreRunRequested') return undefined;
    const item = recorded.data as unknown as CentreRunRequest;
    const data = runs.CentreRunRequested.encode({
      runId: item.runId,
      period: item.period,
      centreFiness: item.finess,
      scheduleVersion: item.scheduleVersion,
      logPosition: item.logPosition,
      runBy: item.runBy,
    }).finish();
    return eventMessage(recorded, { topic: BILLING_RUNS_TOPIC, source: BILLING_SOURCE, message: 'CentreRunRequested', key: item.finess, data });
  };
}

/** The relay's mapping when runs are shared: statements to `pcn.billing.v1`, work items to the work topic. */
export function withRunWork(statements: EventMapper): EventMapper {
  const work = runWorkMapper();
  return async (recorded) => (recorded.streamId.startsWith(RUN_REQUEST_PREFIX) ? work(recorded) : statements(recorded));
}

/** The consumer of the work topic: each item is one centre computed by this instance. */
export function runWorkConsumer(shared: SharedPeriodRuns): MessageHandler {
  return async (message) => {
    // Another type on the topic would be a newer producer's: not this version's work.
    if (message.type !== WORK_ITEM_TYPE) return;
    const item = runs.CentreRunRequested.decode(message.data);
    await shared.work({
      runId: item.runId,
      period: item.period,
      finess: item.centreFiness,
      scheduleVersion: item.scheduleVersion,
      logPosition: item.logPosition,
      runBy: item.runBy,
    });
  };
}
