/**
 * Bulk seeding for integration tests: items written as the repositories write them (the same
 * formulas, captured from the repository), 25 per BatchWriteItem, unprocessed items sent again.
 * (test/bench/local-dynamo.ts does the same for the benches.)
 */
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ActivityRecord } from '../../shared/domain/activity';
import type { Campaign } from '../../shared/domain/campaign';
import { DynamoDbActivityRepository } from '../../shared/repositories/activity-repository';
import { activitySchemas } from '../../shared/schemas/activity.schema';

/** A draft as `createActivity` stores it: the body validated by the campaign's draft schema, version 1. */
export function draftRecord(campaign: Campaign, input: { activityId: string; organizationId: string; at: string; body: Record<string, unknown>; by?: string }): ActivityRecord {
  const by = input.by ?? `seed-${input.organizationId}`;
  return {
    activityId: input.activityId,
    campaignId: campaign.id,
    organizationId: input.organizationId,
    status: 'draft',
    version: 1,
    createdAt: input.at,
    createdBy: by,
    updatedAt: input.at,
    updatedBy: by,
    fields: activitySchemas(campaign).draft.parse(input.body) as Record<string, unknown>,
  };
}

/** Writes `items` to `tableName`, 25 per request, `width` requests at a time. */
export async function batchWrite(client: DynamoDBDocumentClient, tableName: string, items: readonly Record<string, unknown>[], width = 4): Promise<void> {
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, chunks.length) }, async () => {
      for (let i = next++; i < chunks.length; i = next++) {
        let request: Record<string, Array<{ PutRequest: { Item: Record<string, unknown> } }>> | undefined = {
          [tableName]: (chunks[i] ?? []).map((Item) => ({ PutRequest: { Item } })),
        };
        for (let round = 0; request && Object.keys(request).length > 0; round += 1) {
          if (round > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** round)));
          const out = await client.send(new BatchWriteCommand({ RequestItems: request }));
          request = out.UnprocessedItems as typeof request;
        }
      }
    }),
  );
}

/** The items DynamoDbActivityRepository.create writes, captured instead of sent (the repository's own formula). */
export async function activityItems(records: readonly ActivityRecord[]): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  const capture = {
    // The activity is the transaction's Put (its unit's draft count, the Update, is not seeded: ADR 0042).
    send: async (command: { input: { TransactItems?: Array<{ Put?: { Item: Record<string, unknown> } }> } }) => {
      const item = command.input.TransactItems?.[0]?.Put?.Item;
      if (!item) throw new Error('DynamoDbActivityRepository.create sent no Put');
      items.push(item);
      return {};
    },
  };
  const repo = new DynamoDbActivityRepository({ client: capture as unknown as DynamoDBDocumentClient, tableName: 'captured' });
  for (const record of records) await repo.create(record, Number.MAX_SAFE_INTEGER);
  return items;
}

/** Seeds activities as the repository writes them, 25 per BatchWriteItem. */
export async function seedActivities(client: DynamoDBDocumentClient, tableName: string, activities: readonly ActivityRecord[], width = 4): Promise<void> {
  await batchWrite(client, tableName, await activityItems(activities), width);
}
