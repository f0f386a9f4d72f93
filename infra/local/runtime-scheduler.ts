/**
 * The schedules on one machine: the topology's recurring ones and the campaigns' one-time ones
 * (the file project-changes keeps, read on every tick, so one published or moved at run time fires
 * without a restart), fired from the simulated clock; a failed occurrence goes to its DLQ.
 */
import { join } from 'node:path';
import { GetQueueAttributesCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { MovableClock } from '../../shared/clock';
import { campaignScheduleTargets, expandSchedules } from '../schedules';
import type { Topology } from '../topology';
import type { FunctionHost } from './function-host';
import type { LocalResources } from './provision';
import { campaignSchedulesIn, LocalScheduler, type LocalSchedule } from './scheduler';

/** Where project-changes (syncCampaignSchedules) keeps the campaigns' one-time schedules, under the data dir (the scheduler reads it). */
export const CAMPAIGN_SCHEDULES_FILE = 'campaign-schedules.json';

/**
 * Resolves once every queue is empty (nothing visible, nothing in flight), or after `timeoutMs`
 * (a message failing again and again must not stall the clock forever).
 */
async function drained(sqs: SQSClient, queueUrls: readonly string[], log: (e: Record<string, unknown>) => void, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let quietRounds = 0; quietRounds < 2; ) {
    const counts = await Promise.all(
      queueUrls.map(async (QueueUrl) => {
        const { Attributes: a } = await sqs.send(
          new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
        );
        return Number(a?.ApproximateNumberOfMessages ?? 0) + Number(a?.ApproximateNumberOfMessagesNotVisible ?? 0);
      }),
    );
    quietRounds = counts.every((n) => n === 0) ? quietRounds + 1 : 0;
    if (Date.now() > deadline) {
      log({ msg: 'queues still busy; moving the clock on', counts });
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The scheduler of the topology's and the campaigns' schedules (not started), its ledger in the data dir. */
export function topologyScheduler(input: {
  readonly topology: Topology;
  readonly resources: LocalResources;
  readonly sqs: SQSClient;
  readonly host: FunctionHost;
  readonly clock: MovableClock;
  readonly dataDir: string;
  readonly log: (entry: Record<string, unknown>) => void;
}): LocalScheduler {
  const { topology, resources, sqs, host, log } = input;
  const consumedQueues = [...new Set(Object.values(topology.functions).flatMap((fn) => fn.triggers.flatMap((t) => (t.kind === 'sqs' ? [t.queue] : []))))];
  const expanded = expandSchedules(topology);
  const campaignTargets = Object.values(campaignScheduleTargets(topology));
  const onFailureQueueOf = (schedule: LocalSchedule): string | undefined =>
    expanded.find((s) => s.id === schedule.id)?.onFailureQueue ??
    (schedule.at ? campaignTargets.find((t) => t.functionId === schedule.functionId)?.onFailureQueue : undefined);
  return new LocalScheduler({
    schedules: expanded.map((s) => ({
      id: s.id,
      functionId: s.functionId,
      input: s.input,
      recurring: { expression: s.expression, timeZone: s.timeZone },
    })),
    campaignSchedules: campaignSchedulesIn(join(input.dataDir, CAMPAIGN_SCHEDULES_FILE)),
    clock: input.clock,
    ledgerFile: join(input.dataDir, 'schedules.json'),
    // The queues some function consumes (a queue nobody reads here, like domain-events, never drains).
    quiesce: () => drained(sqs, consumedQueues.map((id) => resources.queues[id]?.url ?? ''), log),
    invoke: async (functionId, payload) => (await host.invoke(functionId, payload)).value,
    deadLetter: async (schedule, occurrence, error) => {
      const queueId = onFailureQueueOf(schedule);
      const failuresQueue = queueId ? resources.queues[queueId] : undefined;
      if (!failuresQueue) throw new Error(`schedule ${schedule.id} failed and there is no schedule-failures queue`, { cause: error });
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: failuresQueue.url,
          MessageBody: JSON.stringify({ scheduleId: schedule.id, occurrence: occurrence.toISOString(), input: schedule.input, error: String(error) }),
        }),
      );
    },
    log,
  });
}
