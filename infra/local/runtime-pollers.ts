/**
 * The pollers that invoke the topology's queue and stream consumers on one machine, as Lambda's
 * event source mappings do on AWS, and the record of every trigger wired (runtime.json's `wiring`).
 */
import { join } from 'node:path';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { scheduleSource } from '../schedules';
import type { Topology } from '../topology';
import { DEFAULT_LOCAL_CONCURRENCY, type FunctionHost } from './function-host';
import { REGION } from './local-aws';
import type { LocalResources } from './provision';
import { SqsPoller } from './sqs-poller';
import { FORMER_STREAM_READERS, StreamPoller } from './stream-poller';

/** Batches of one queue in flight at once, unless the trigger says less (`SCIDAY_LOCAL_QUEUE_CONCURRENCY`). */
export const DEFAULT_QUEUE_CONCURRENCY = 2;

export interface WiredTrigger {
  readonly functionId: string;
  readonly kind: 'http' | 'sqs' | 'stream' | 'schedule';
  readonly source: string;
}

export interface TriggerPollersInput {
  readonly topology: Topology;
  readonly resources: LocalResources;
  readonly clients: { readonly sqs: SQSClient; readonly streams: DynamoDBStreamsClient };
  readonly host: FunctionHost;
  /** Where stream checkpoints are kept. */
  readonly dataDir: string;
  /** The function host's slots per function (`SCIDAY_LOCAL_CONCURRENCY`; 0: its default). */
  readonly concurrency: number;
  /** Batches of one queue in flight at once (ADR 0030). */
  readonly queueBatches: number;
  /** Seconds a queue poll waits. */
  readonly pollWaitSeconds: number;
  readonly log: (entry: Record<string, unknown>) => void;
}

/**
 * A poller per queue and stream trigger (not started), and every trigger but the HTTP routes
 * (the gateway serves those; the scheduler fires the schedules from the clock).
 */
export function triggerPollers(input: TriggerPollersInput): { pollers: Array<SqsPoller | StreamPoller>; wiring: WiredTrigger[] } {
  const { resources, clients, host, log } = input;
  const pollers: Array<SqsPoller | StreamPoller> = [];
  const wiring: WiredTrigger[] = [];
  for (const [functionId, fn] of Object.entries(input.topology.functions)) {
    for (const trigger of fn.triggers) {
      if (trigger.kind === 'http') {
        continue; // the gateway serves these
      } else if (trigger.kind === 'schedule') {
        // The scheduler fires these from the clock.
        wiring.push({ functionId, kind: 'schedule', source: scheduleSource(trigger) });
      } else if (trigger.kind === 'sqs') {
        wiring.push({ functionId, kind: 'sqs', source: trigger.queue });
        const queue = resources.queues[trigger.queue];
        if (!queue) throw new Error(`${functionId}: no queue ${trigger.queue}`);
        pollers.push(
          new SqsPoller({
            client: clients.sqs,
            queueUrl: queue.url,
            queueArn: queue.arn,
            region: REGION,
            batchSize: trigger.batchSize,
            maxBatchingWindowSeconds: trigger.maxBatchingWindowSeconds,
            // Each batch in a module instance of its own; capped by the trigger's maxConcurrency and the function's slots.
            concurrency: Math.min(trigger.maxConcurrency ?? input.queueBatches, input.concurrency > 0 ? input.concurrency : DEFAULT_LOCAL_CONCURRENCY),
            waitTimeSeconds: input.pollWaitSeconds,
            invoke: async (event) => (await host.invoke(functionId, event)).value,
            log,
          }),
        );
      } else {
        wiring.push({ functionId, kind: 'stream', source: trigger.table });
        const table = resources.tables[trigger.table];
        const failures = resources.queues[trigger.onFailureQueue];
        if (!table?.streamArn || !failures) throw new Error(`${functionId}: stream of ${trigger.table} not available`);
        pollers.push(
          new StreamPoller({
            streams: clients.streams,
            sqs: clients.sqs,
            streamArn: table.streamArn,
            region: REGION,
            batchSize: trigger.batchSize,
            retryAttempts: trigger.retryAttempts,
            ...(trigger.partitionKeys ? { partitionKeys: trigger.partitionKeys } : {}),
            onFailureQueueUrl: failures.url,
            checkpointFile: join(input.dataDir, `stream-${functionId}-${trigger.table}.json`),
            formerCheckpointFiles: (FORMER_STREAM_READERS[functionId] ?? []).map((id) => join(input.dataDir, `stream-${id}-${trigger.table}.json`)),
            invoke: async (event) => (await host.invoke(functionId, event)).value,
            log,
          }),
        );
      }
    }
  }
  return { pollers, wiring };
}
