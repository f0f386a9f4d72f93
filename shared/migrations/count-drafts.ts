/**
 * Count drafts: gives every unit of every campaign the draft count its creates and submits now keep
 * (ADR 0042: `CAMP#<c>#UNIT#<org>` / `DRAFTS`, the `draftsPerUnit` cap), from the drafts stored.
 * Without it a unit's count starts at zero when this version is deployed: it could hold up to its
 * cap again on top of the drafts it already has, and a submit of one of those would count below zero.
 *
 * A parallel Scan of the main table for activities that are drafts and for the counts already
 * there; then per unit one `SET drafts = <counted>` (a unit whose count is there but has no draft
 * gets 0). Run it right after the deploy: a create or submit that races the Scan leaves its unit off
 * by that one until the next run, which sets every count again (running it twice is harmless).
 *
 * One machine: the local runtime runs it once per data dir at start-up. AWS: `npm run -s migrate
 * -- --table <name>` (infra/migrate.ts) with the deployer's credentials.
 */
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DRAFT_COUNT_ENTITY } from '../repositories/activity-repository';
import { keys } from '../repositories/keys';
import { scanSegments } from '../repositories/query-all';

export const COUNT_DRAFTS = '0007-count-drafts';

export interface CountDraftsReport {
  /** Drafts found. */
  readonly drafts: number;
  /** Units whose count was set (to their drafts, or to 0). */
  readonly units: number;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

export async function countDrafts(deps: { readonly client: DynamoDBDocumentClient; readonly tableName: string; readonly segments?: number }): Promise<CountDraftsReport> {
  const counts = new Map<string, { campaignId: string; organizationId: string; drafts: number }>();
  let drafts = 0;
  await scanSegments(
    deps.client,
    {
      TableName: deps.tableName,
      FilterExpression: '(entity = :activity AND #status = :draft) OR entity = :count',
      ProjectionExpression: 'entity, campaignId, organizationId',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':activity': 'Activity', ':draft': 'draft', ':count': DRAFT_COUNT_ENTITY },
    },
    deps.segments ?? 4,
    async (items) => {
      for (const item of items) {
        const [campaignId, organizationId] = [str(item.campaignId), str(item.organizationId)];
        if (!campaignId || !organizationId) continue;
        const unit = counts.get(`${campaignId}\n${organizationId}`) ?? { campaignId, organizationId, drafts: 0 };
        if (item.entity === 'Activity') {
          unit.drafts += 1;
          drafts += 1;
        }
        counts.set(`${campaignId}\n${organizationId}`, unit);
      }
    },
  );
  for (const unit of counts.values()) {
    await deps.client.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: keys.draftCount(unit.campaignId, unit.organizationId),
        UpdateExpression: 'SET drafts = :n, entity = :entity, campaignId = :c, organizationId = :o',
        ExpressionAttributeValues: { ':n': unit.drafts, ':entity': DRAFT_COUNT_ENTITY, ':c': unit.campaignId, ':o': unit.organizationId },
      }),
    );
  }
  return { drafts, units: counts.size };
}
