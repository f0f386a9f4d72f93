/**
 * S3 event notifications on one machine: fauxqs stores objects but sends no notifications, so its
 * message spy reports each object stored and an S3Notifier sends what the topology's bucket
 * notifications would send on AWS.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { FauxqsServer, SpyMessage } from 'fauxqs';
import type { MovableClock } from '../../shared/clock';
import type { Topology } from '../topology';
import { REGION } from './local-aws';
import type { LocalResources } from './provision';
import { S3Notifier } from './s3-notifier';

/** Calls `onStored` for every object fauxqs's S3 stores (its message spy sees each upload). */
export function watchStoredObjects(faux: FauxqsServer, onStored: (bucket: string, key: string) => void): void {
  const spy = faux.spy as unknown as { addMessage(m: SpyMessage): void };
  const addMessage = spy.addMessage.bind(spy);
  spy.addMessage = (message: SpyMessage) => {
    addMessage(message);
    if (message.service === 's3' && message.status === 'uploaded') onStored(message.bucket, message.key);
  };
}

/** The notifier of the topology's bucket notifications, its ledger in the data dir. */
export function topologyNotifier(input: {
  readonly topology: Topology;
  readonly resources: LocalResources;
  readonly clients: { readonly s3: S3Client; readonly sqs: SQSClient };
  readonly clock: MovableClock;
  readonly ledgerFile: string;
  readonly log: (entry: Record<string, unknown>) => void;
}): S3Notifier {
  const { topology, resources } = input;
  return new S3Notifier({
    s3: input.clients.s3,
    sqs: input.clients.sqs,
    region: REGION,
    clock: input.clock,
    ledgerFile: input.ledgerFile,
    rules: Object.entries(topology.buckets).flatMap(([id, b]) =>
      (b.notifications ?? []).map((n) => {
        const queue = resources.queues[n.queue];
        if (!queue) throw new Error(`bucket ${id}: no queue ${n.queue}`);
        return { bucket: resources.buckets[id]?.name ?? '', prefix: n.prefix ?? '', queueUrl: queue.url, configurationId: `${id}-${n.queue}` };
      }),
    ),
    log: input.log,
  });
}
