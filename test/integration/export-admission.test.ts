// The export admission transaction on real DynamoDB Local (issue 17, item 9; ADR 0033): the job,
// its campaign's slot for the format and the caller's budget are written together or not at all,
// and a refusal names which of the three said no. A table of its own (no stream), so the jobs it
// stores are never dispatched to run-export.
import { CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ExportRecord, RequestBudget } from '../../shared/export/export-record';
import { DynamoDbExportRepository } from '../../shared/repositories/export-repository';
import { keys } from '../../shared/repositories/keys';
import { clientsFor, runtimeInfo, uniqueId } from '../helpers/runtime';

const clients = clientsFor(runtimeInfo());
const tableName = uniqueId('sciday-it-admission');
const repo = new DynamoDbExportRepository({ client: clients.doc, tableName });

beforeAll(async () => {
  await clients.dynamodb.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  );
});

afterAll(async () => {
  await clients.dynamodb.send(new DeleteTableCommand({ TableName: tableName }));
});

const job = (exportId: string, campaignId: string, format: 'csv' | 'parquet' = 'csv'): ExportRecord => ({
  exportId,
  campaignId,
  format,
  language: 'zh',
  snapshot: exportId,
  asOf: '2021-10-25T01:00:00.000Z',
  status: 'queued',
  requestedBy: 'analyst-1',
  requestedAt: '2021-10-25T01:00:00.000Z',
});
const budget = (subject: string, limit = 2): RequestBudget => ({ subject, limit, windowStart: '2021-10-25T01:00:00.000Z', expiresAt: 1635210000 });

describe('DynamoDbExportRepository: admission', () => {
  it('stores the job, takes the free slot and counts the budget, in one transaction', async () => {
    const campaign = uniqueId('camp');
    const who = uniqueId('exports#analyst');
    expect(await repo.createAdmitted(job('a1', campaign), 'tok-a1', { budget: budget(who) })).toBe('created');
    expect(await repo.slotHolder(campaign, 'csv')).toBe('a1');
    expect(await repo.slotHolder(campaign, 'parquet')).toBeUndefined();
    expect(await repo.createdBy('a1', 'tok-a1')).toMatchObject({ exportId: 'a1', status: 'queued' });
    const counter = await clients.doc.send(new GetCommand({ TableName: tableName, Key: keys.requestBudget(who, '2021-10-25T01:00:00.000Z') }));
    expect(counter.Item).toMatchObject({ count: 1, entity: 'RequestBudget', expiresAt: 1635210000 });
  });

  it('refuses a second job while the slot names another, and writes nothing of it', async () => {
    const campaign = uniqueId('camp');
    const who = uniqueId('exports#analyst');
    expect(await repo.createAdmitted(job('b1', campaign), 't', { budget: budget(who) })).toBe('created');
    expect(await repo.createAdmitted(job('b2', campaign), 't', { budget: budget(who) })).toBe('slot-taken');
    expect(await repo.createAdmitted(job('b3', campaign), 't', { replacing: 'not-the-holder', budget: budget(who) })).toBe('slot-taken');
    expect(await repo.get('b2')).toBeUndefined();
    expect(await repo.get('b3')).toBeUndefined();
    // Replacing the holder it read: the slot changes hands.
    expect(await repo.createAdmitted(job('b4', campaign), 't', { replacing: 'b1', budget: budget(who) })).toBe('created');
    expect(await repo.slotHolder(campaign, 'csv')).toBe('b4');
  });

  it('refuses a job beyond the budget (over-budget), and one whose id is taken (id-taken)', async () => {
    const who = uniqueId('exports#analyst');
    expect(await repo.createAdmitted(job('c1', uniqueId('camp')), 't', { budget: budget(who, 2) })).toBe('created');
    expect(await repo.createAdmitted(job('c2', uniqueId('camp')), 't', { budget: budget(who, 2) })).toBe('created');
    const third = uniqueId('camp');
    expect(await repo.createAdmitted(job('c3', third), 't', { budget: budget(who, 2) })).toBe('over-budget');
    expect(await repo.get('c3')).toBeUndefined();
    expect(await repo.slotHolder(third, 'csv')).toBeUndefined();
    // Another caller's budget is untouched.
    expect(await repo.createAdmitted(job('c4', third), 't', { budget: budget(uniqueId('exports#other'), 2) })).toBe('created');
    expect(await repo.createAdmitted(job('c4', uniqueId('camp')), 't', { budget: budget(uniqueId('exports#other'), 2) })).toBe('id-taken');
  });

  it('lets exactly one of many concurrent requests take a free slot', async () => {
    const campaign = uniqueId('camp');
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, (_, i) => repo.createAdmitted(job(`d${i}-${campaign}`, campaign), 't', { budget: budget(uniqueId('exports#analyst'), 5) })),
    );
    expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
    for (const o of outcomes) expect(['created', 'slot-taken', 'contended']).toContain(o);
  });
});
