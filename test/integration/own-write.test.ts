// A versioned put whose answer is lost (ADR 0026): the write lands, the connection resets, the
// SDK sends the same put again and its condition (`version = expected`) now fails against the
// first attempt's write. The repository must recognise its own write and succeed, not answer 412;
// a change made by someone else in between is still a 412. Real DynamoDB Local, the functions'
// retry strategy, and a middleware that loses the answer of the first put.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { functionRetryConfig } from '../../shared/clients/retry-strategy';
import { StaleVersionError } from '../../shared/errors';
import { DynamoDbOrganizationSettingsStore, type OrganizationSettings } from '../../shared/repositories/organization-repository';
import { DynamoDbReviewRepository, type ReviewRecord } from '../../shared/repositories/review-repository';
import { runtimeInfo, uniqueId } from '../helpers/runtime';

const info = runtimeInfo();
const tableName = info.resources.tables.main?.name ?? '';

/** A document client whose next `PutItem` takes effect and then loses its answer (once per `loseNext()`); `puts` counts the attempts sent. */
function lossyClient(): { doc: DynamoDBDocumentClient; loseNext: () => void; puts: () => number; destroy: () => void } {
  const raw = new DynamoDBClient({
    region: info.region,
    endpoint: info.endpoints.dynamodb,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    ...functionRetryConfig(),
  });
  let lose = false;
  let puts = 0;
  raw.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'PutItemCommand') puts += 1;
      const out = await next(args);
      if (context.commandName === 'PutItemCommand') {
        if (lose) {
          lose = false;
          throw Object.assign(new Error('socket hang up (the put took effect, its answer was lost)'), { code: 'ECONNRESET', $fault: 'client', $metadata: {} });
        }
      }
      return out;
    },
    { step: 'deserialize', name: 'loseAnswer', priority: 'high' },
  );
  const doc = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  return { doc, loseNext: () => (lose = true), puts: () => puts, destroy: () => raw.destroy() };
}

describe('Versioned puts whose answer was lost', () => {
  const client = lossyClient();
  afterAll(() => client.destroy());

  it('a unit’s settings: the retried put recognises its own write; another change in between is still 412', async () => {
    // Prepare
    const store = new DynamoDbOrganizationSettingsStore({ client: client.doc, tableName });
    const unit = uniqueId('unit');
    const base: OrganizationSettings = { campaignId: '2021-xinxiang', organizationId: unit, version: 1, webhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=a', updatedAt: '2021-09-20T00:00:00.000Z', updatedBy: 'admin-1' };
    await store.put(base, 0);
    // Act: version 2, its answer lost
    client.loseNext();
    const before = client.puts();
    await store.put({ ...base, version: 2, webhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=b' }, 1);
    // Assess: sent twice (the SDK's retry), stored once
    expect(client.puts() - before).toBe(2);
    await expect(store.get('2021-xinxiang', unit)).resolves.toMatchObject({ version: 2, webhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=b' });
    // A put on version 1 with other content is a colleague's stale write: 412
    await expect(store.put({ ...base, version: 2, webhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=c' }, 1)).rejects.toBeInstanceOf(StaleVersionError);
  });

  it('a review: the retried put recognises its own write; another change in between is still 412', async () => {
    // Prepare
    const reviews = new DynamoDbReviewRepository({ client: client.doc, tableName });
    const unit = uniqueId('unit');
    const at = '2021-10-25T02:00:00.000Z';
    const review: ReviewRecord = { campaignId: '2021-xinxiang', organizationId: unit, version: 1, scores: { highlights: 80 }, reviewedBy: 'rev-1', reviewedAt: at, firstReviewedAt: at, updatedBy: 'rev-1', updatedAt: at };
    // Act: the first version's answer lost
    client.loseNext();
    await reviews.put(review, undefined);
    // Assess
    await expect(reviews.get('2021-xinxiang', unit)).resolves.toMatchObject({ version: 1, scores: { highlights: 80 } });
    await expect(reviews.put({ ...review, scores: { highlights: 60 } }, undefined)).rejects.toBeInstanceOf(StaleVersionError);
  });
});
