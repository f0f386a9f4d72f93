/**
 * The sizes of the items one activity's life writes, as the repositories write them (captured, not
 * sent), with DynamoDB's item-size rules (test/helpers/dynamo-capacity.ts): the figures docs/scale.md
 * multiplies by the national rates. Prints one JSON object.
 * Alone: `npx node --import tsx --disable-warning=ExperimentalWarning test/bench/item-sizes.ts`.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { findCampaign } from '../../shared/campaigns/index';
import type { ActivityRecord } from '../../shared/domain/activity';
import { diffImages } from '../../shared/domain/audit';
import { mediaObjectKey, type MediaRecord } from '../../shared/domain/media';
import { DynamoDbActivityRepository } from '../../shared/repositories/activity-repository';
import { keys } from '../../shared/repositories/keys';
import { DynamoDbMediaRepository } from '../../shared/repositories/media-repository';
import { raiseFlag } from '../../shared/use-cases/flags';
import { completeActivity } from '../helpers/api';
import { itemSize, writeUnits } from '../helpers/dynamo-capacity';
import { draftRecord } from '../helpers/seed';

type Item = Record<string, unknown>;

/** A client that keeps every Item it is sent (Put and transactional Put) instead of sending it. */
function capturing(): { client: DynamoDBDocumentClient; items: Item[] } {
  const items: Item[] = [];
  const client = {
    send: async (command: { input: { Item?: Item; TransactItems?: Array<{ Put?: { Item: Item } }> } }) => {
      if (command.input.Item) items.push(command.input.Item);
      for (const t of command.input.TransactItems ?? []) if (t.Put) items.push(t.Put.Item);
      return {};
    },
  };
  return { client: client as unknown as DynamoDBDocumentClient, items };
}

export async function itemSizes(): Promise<Record<string, { bytes: number; wcu: number }>> {
  const campaign = findCampaign('2021-xinxiang');
  if (!campaign) throw new Error('no 2021-xinxiang');
  const organizationId = campaign.organizations[0]?.organizationId ?? 'unit';
  const activityId = '01JD7Q3M7X5C9F2VZK8N4R6T1B';
  const at = '2021-09-20T02:00:00.000Z';
  const draft = draftRecord(campaign, { activityId, organizationId, at, body: completeActivity(), by: 'organizer-sub-0001' });
  const { client, items } = capturing();
  const repo = new DynamoDbActivityRepository({ client, tableName: 't' });
  await repo.create(draft, 1);
  const submitted: ActivityRecord = { ...draft, status: 'registered', version: 2, submittedAt: at, updatedAt: at };
  const flag = raiseFlag(campaign.id, { code: 'registration-late', milestone: 'registration', organizationId, activityId, lateBySeconds: 3600 }, new Date(at));
  await repo.saveWithFlags(submitted, 1, [flag]);
  const completed: ActivityRecord = { ...submitted, status: 'completed', version: 3, completedAt: at };
  await repo.putResults({
    campaignId: campaign.id,
    organizationId,
    results: { activityId, version: 1, actualParticipants: 180, newsLinks: ['https://news.example.cn/2021/09/12/kepu.html'], highlights: '居民踊跃提问，现场发放科普资料 300 份。', updatedAt: at, updatedBy: 'organizer-sub-0001' },
    expectedResultsVersion: undefined,
    completed: { activity: completed, expectedActivityVersion: 2, flags: [] },
  });
  const subject = { type: 'activity' as const, campaignId: campaign.id, organizationId, activityId };
  const media: MediaRecord = {
    mediaId: '01JD7Q3M7X5C9F2VZK8N4R6T2C',
    subject,
    kind: 'photo',
    fileName: 'IMG_20210912_093000.jpg',
    declaredContentType: 'image/jpeg',
    declaredSize: 3_145_728,
    objectKey: mediaObjectKey(subject, '01JD7Q3M7X5C9F2VZK8N4R6T2C'),
    status: 'pending',
    createdAt: at,
    createdBy: 'organizer-sub-0001',
  };
  await new DynamoDbMediaRepository({ client, tableName: 't' }).create(media);
  const [draftItem, submittedItem, flagItem, resultsItem, completedItem, mediaItem] = items;
  const decidedMedia = { ...mediaItem, status: 'accepted', size: 3_120_000, checkedAt: at, detectedContentType: 'image/jpeg', sha256: 'a'.repeat(64), capturedAt: '2021-09-12T09:30:00' };
  const audit = {
    ...keys.auditEntry({ pk: String(submittedItem?.pk), sk: 'A' }, at, 'e'.repeat(32)),
    subject: { pk: submittedItem?.pk, sk: 'A' },
    entity: 'Activity',
    action: 'updated',
    actor: 'organizer-sub-0001',
    at,
    eventId: 'e'.repeat(32),
    changes: diffImages(draftItem, submittedItem),
  };
  const contribution = {
    pk: `CAMP#${campaign.id}#PROGRESS#${organizationId}`, sk: `ACT#${activityId}`, entity: 'ProgressContribution', kind: 'activity',
    campaignId: campaign.id, organizationId, draft: 0, registered: 1, resultsComplete: 0, registeredLate: 0, resultsLate: 0, summarySubmitted: 0,
    summaryLate: 0, flagsOpen: 0, flagsWaived: 0, changedAt: at, seq: '0'.repeat(20) + '1'.repeat(20), ver: 2, sourcePk: `ACT#${activityId}`, sourceSk: 'A',
  };
  const totals = {
    pk: `CAMP#${campaign.id}#PROGRESS`, sk: `UNIT#${organizationId}`, entity: 'UnitProgress', campaignId: campaign.id, organizationId,
    draft: 3, registered: 42, resultsComplete: 30, registeredLate: 2, resultsLate: 1, summarySubmitted: 1, summaryLate: 0, flagsOpen: 3, flagsWaived: 1,
    summarySubmittedAt: at, lastChangeAt: at, rev: 1234,
  };
  const sizes: Record<string, Item | undefined> = {
    'activity (draft)': draftItem,
    'activity (registered)': submittedItem,
    'activity (completed)': completedItem,
    flag: flagItem,
    results: resultsItem,
    'media (pending)': mediaItem,
    'media (accepted)': decidedMedia,
    'audit entry (submit)': audit,
    'progress contribution': contribution,
    'progress totals': totals,
  };
  return Object.fromEntries(
    Object.entries(sizes).map(([name, item]) => {
      const bytes = item ? itemSize(item) : 0;
      return [name, { bytes, wcu: writeUnits(bytes) }];
    }),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(`${JSON.stringify(await itemSizes(), null, 2)}\n`);
