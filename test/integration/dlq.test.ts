// A message that throws every time reaches the DLQ after maxReceiveCount receives, not
// before: the runtime's real SQS poller against a real fauxqs queue with a redrive policy.
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { SqsPoller } from '../../infra/local/sqs-poller';
import { clientsFor, eventually, runtimeInfo, uniqueId } from '../helpers/runtime';

const info = runtimeInfo();
const { sqs } = clientsFor(info);

afterAll(() => sqs.destroy());

describe('Class: SqsPoller with a redrive policy', () => {
  it('moves a poison message to the DLQ after exactly maxReceiveCount receives', async () => {
    // Prepare: a queue with a 1 s visibility timeout and maxReceiveCount 5.
    const name = uniqueId('poison');
    const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
    const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn;
    const queue = await sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: { VisibilityTimeout: '1', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 5 }) },
      }),
    );
    const receiveCounts: string[] = [];
    const dlqDepthDuringReceives: string[] = [];
    const dlqDepth = async () =>
      (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] })))
        .Attributes?.ApproximateNumberOfMessages ?? '?';
    const poller = new SqsPoller({
      client: sqs,
      queueUrl: queue.QueueUrl ?? '',
      queueArn: 'arn:aws:sqs:us-east-1:000000000000:' + name,
      region: info.region,
      batchSize: 10,
      maxBatchingWindowSeconds: 0,
      waitTimeSeconds: 1,
      invoke: async (event) => {
        receiveCounts.push(...event.Records.map((r) => r.attributes.ApproximateReceiveCount));
        dlqDepthDuringReceives.push(await dlqDepth());
        throw new Error('poison');
      },
    });
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.QueueUrl, MessageBody: '{"poison":true}' }));

    // Act
    poller.start();
    const dead = await eventually(async () => {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.QueueUrl, WaitTimeSeconds: 1 }));
      return r.Messages?.length ? r.Messages : undefined;
    }, 30_000, 'the message in the DLQ');
    await new Promise((r) => setTimeout(r, 1500));
    await poller.stop();

    // Assess
    expect(dlqDepthDuringReceives).toEqual(['0', '0', '0', '0', '0']);
    expect(receiveCounts).toEqual(['1', '2', '3', '4', '5']);
    expect(dead.map((m) => m.Body)).toEqual(['{"poison":true}']);
  });
});
