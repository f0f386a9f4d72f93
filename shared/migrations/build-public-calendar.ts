/**
 * Build the public calendar (ADR 0044): gives the read model (progress table, `PUB#<c>#<county>`)
 * every published activity already stored, and takes out entries no activity stands for any more.
 * Without it, activities registered before this version appear only once edited.
 *
 * A parallel Scan of the main table for published activities (each put as stored, its county's
 * `#SPAN` widened), then a Scan of the progress table for public entries: one none of them stands
 * for is deleted, after its activity is read again (strongly consistent), so an entry the stream
 * wrote meanwhile stays. Idempotent: a second run puts the same entries and deletes nothing.
 *
 * One machine: the local runtime runs it once per data dir at start-up. AWS: `npm run -s migrate
 * -- --table <main> --progress-table <progress>` (infra/migrate.ts).
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { publicEntryOf, type PublicEntry } from '../domain/public-activity';
import { keys } from '../repositories/keys';
import { DynamoDbPublicCalendar } from '../repositories/public-calendar-repository';
import { scanSegments } from '../repositories/query-all';

export const BUILD_PUBLIC_CALENDAR = '0010-build-public-calendar';

export interface BuildPublicCalendarReport {
  /** Published activities put. */
  readonly published: number;
  /** Entries no published activity stands for, deleted. */
  readonly removed: number;
}

const slotKey = (e: Pick<PublicEntry, 'campaignId' | 'county' | 'startsAt' | 'activityId'>): string => JSON.stringify(keys.publicEntry(e.campaignId, e.county, e.startsAt, e.activityId));

export async function buildPublicCalendar(deps: {
  readonly client: DynamoDBDocumentClient;
  readonly mainTable: string;
  readonly progressTable: string;
  readonly segments?: number;
}): Promise<BuildPublicCalendarReport> {
  const calendar = new DynamoDbPublicCalendar({ client: deps.client, tableName: deps.progressTable });
  const expected = new Set<string>();
  await scanSegments(
    deps.client,
    {
      TableName: deps.mainTable,
      FilterExpression: 'entity = :activity AND #status IN (:registered, :completed)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':activity': 'Activity', ':registered': 'registered', ':completed': 'completed' },
    },
    deps.segments ?? 4,
    async (items) => {
      const puts = items.flatMap((i) => publicEntryOf(i) ?? []);
      await calendar.apply({ puts, removes: [] });
      for (const entry of puts) expected.add(slotKey(entry));
    },
  );
  let removed = 0;
  await scanSegments(
    deps.client,
    { TableName: deps.progressTable, FilterExpression: 'entity = :entry', ExpressionAttributeValues: { ':entry': 'PublicEntry' } },
    deps.segments ?? 4,
    async (items) => {
      for (const item of items) {
        const slot = item as unknown as PublicEntry;
        if (expected.has(slotKey(slot))) continue;
        const now = await deps.client.send(new GetCommand({ TableName: deps.mainTable, Key: keys.activity(slot.activityId), ConsistentRead: true }));
        const current = publicEntryOf(now.Item);
        if (current && slotKey(current) === slotKey(slot)) continue;
        await calendar.apply({ puts: [], removes: [slot] });
        removed += 1;
      }
    },
  );
  return { published: expected.size, removed };
}
