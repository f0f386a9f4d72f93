// SqsMessageQueue.sendLater against the local SQS (fauxqs), on a queue of this test's own: the
// message is not delivered before its delay, then is, once. (run-export sends its job again this
// way while a milestone snapshot's table copy is being made, ADR 0017.)
import { CreateQueueCommand, DeleteQueueCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { MAX_DELAY_SECONDS, SqsMessageQueue } from '../../shared/clients/message-queue';
import { clientsFor, runtimeInfo, uniqueId } from '../helpers/runtime';

const clients = clientsFor(runtimeInfo());
let queueUrl: string;

beforeAll(async () => {
  queueUrl = (await clients.sqs.send(new CreateQueueCommand({ QueueName: uniqueId('delayed') }))).QueueUrl ?? '';
});

afterAll(async () => {
  await clients.sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
  for (const client of Object.values(clients)) client.destroy();
});

const receive = async (waitSeconds: number) =>
  (await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: waitSeconds, MaxNumberOfMessages: 10 }))).Messages ?? [];

describe('SqsMessageQueue.sendLater', () => {
  it('delivers the message only after its delay', async () => {
    const queue = new SqsMessageQueue(clients.sqs, queueUrl);
    const sentAt = Date.now();
    await queue.sendLater({ version: 1, exportId: '2021-xinxiang-registration' }, 2);

    expect(await receive(0)).toEqual([]);
    let messages = await receive(5);
    if (messages.length === 0) messages = await receive(5);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(1900);
    expect(messages.map((m) => JSON.parse(m.Body ?? ''))).toEqual([{ version: 1, exportId: '2021-xinxiang-registration' }]);
  });

  it('clamps the delay to what SQS allows (0..900 s)', async () => {
    const sent: number[] = [];
    const fake = { send: async (command: { input: { DelaySeconds: number } }) => void sent.push(command.input.DelaySeconds) } as unknown as SQSClient;
    const queue = new SqsMessageQueue(fake, queueUrl);
    await queue.sendLater({}, 5000);
    await queue.sendLater({}, -3);
    await queue.sendLater({}, 59.6);
    expect(sent).toEqual([MAX_DELAY_SECONDS, 0, 60]);
  });
});
