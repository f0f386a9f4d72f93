/**
 * A table copy on one machine without the network (ADR 0029 tests): a campaign's items as the
 * repositories key them (write-sharded partitions, ADR 0028) with items the export must skip, a
 * bucket in memory that speaks the S3 commands the copy's readers and writers send, and the copy
 * itself written by the real ScanTableCopies from a stand-in Scan of those items.
 */
import { Readable } from 'node:stream';
import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { StoredItem } from '../../../shared/export/rows';
import { ScanTableCopies, type TableCopyState } from '../../../shared/export/table-copy';
import { keys } from '../../../shared/repositories/keys';
import { storedItems } from '../scores/scores-data';
import { activityItem, addedOrganizationItem, flagItem, mediaItem, resultsItem, summaryItem } from './samples';

export const C = '2021-xinxiang';
const OTHER = '2022-xinxiang';

/** The keys each entity's item carries, as the repositories write them. */
function keyed(kind: 'activity' | 'results' | 'media' | 'summary' | 'flag' | 'organization' | 'review' | 'extension', item: StoredItem, campaignId = C): StoredItem {
  const s = (v: unknown) => String(v);
  switch (kind) {
    case 'activity':
      return { ...item, pk: `ACT#${s(item.activityId)}`, sk: 'A', gsi2pk: keys.activitiesOfCampaign(campaignId, s(item.activityId)), gsi2sk: `${s(item.createdAt)}#${s(item.activityId)}` };
    case 'results':
      return { ...item, pk: `ACT#${s(item.activityId)}`, sk: 'RESULTS', gsi2pk: keys.resultsOfCampaign(campaignId, s(item.activityId)), gsi2sk: s(item.activityId) };
    case 'media':
      return { ...item, pk: `MEDIA#${s(item.mediaId)}`, sk: 'M', gsi2pk: keys.mediaOfCampaign(campaignId, s(item.mediaId)), gsi2sk: s(item.mediaId) };
    case 'summary':
      return { ...item, pk: `CAMP#${campaignId}#UNIT#${s(item.organizationId)}`, sk: 'SUMMARY', gsi2pk: keys.summariesOfCampaign(campaignId), gsi2sk: s(item.organizationId) };
    case 'flag':
      return { ...item, pk: `FLAG#${s(item.flagId)}`, sk: 'F', gsi1pk: keys.flagsOfCampaign(campaignId, s(item.organizationId)), gsi1sk: s(item.flagId) };
    case 'organization':
      return { ...item, pk: keys.organizationsPartition(campaignId), sk: `ORG#${s(item.organizationId)}` };
    case 'review':
      return { ...item, pk: `CAMP#${campaignId}#UNIT#${s(item.organizationId)}`, sk: 'REVIEW', gsi2pk: keys.reviewsOfCampaign(campaignId), gsi2sk: s(item.organizationId) };
    case 'extension':
      return { ...item, pk: `CAMP#${campaignId}#UNIT#${s(item.organizationId)}`, sk: `EXT#${s(item.milestone)}`, gsi2pk: keys.extensionsOfCampaign(campaignId), gsi2sk: s(item.organizationId) };
  }
}

/**
 * The whole table: the scores' units (every fact the scores read), the export's own samples
 * (text with quotes, newlines and emoji, instants with offsets, an EXIF wall clock, empty lists,
 * absent attributes, a summary's document, a waived flag and a unit's flag, a unit added at run
 * time), and what the export must skip: another campaign's items, another entity in the same
 * partitions, a unit "added" that the definition already has, and items of other kinds whose
 * attributes share names with the export's but not their types.
 */
export function campaignTable(): StoredItem[] {
  const scored = storedItems();
  const items: StoredItem[] = [
    ...scored.activities.map((i) => keyed('activity', i)),
    ...scored.results.map((i) => keyed('results', i)),
    ...scored.media.map((i) => keyed('media', { ...i, campaignId: C, organizationId: (i.subject as { organizationId: string }).organizationId, createdAt: '2021-09-16T01:00:00.000Z' })),
    ...scored.summaries.map((i) => keyed('summary', { ...i, submittedAt: '2021-10-20T02:00:00.000Z', updatedAt: '2021-10-20T02:00:00.000Z' })),
    ...scored.flags.map((i) => keyed('flag', { ...i, raisedAt: '2021-09-25T00:00:00.000Z' })),
    ...scored.reviews.map((i) => keyed('review', i)),
    keyed('extension', { entity: 'Extension', campaignId: C, organizationId: 'weihui-kx', milestone: 'completion', until: '2021-10-31T15:59:59.999Z' }),

    keyed('activity', activityItem({ activityId: 's1', startsAt: '2021-09-15T09:00:00+08:00', audiences: [], highlights: undefined })),
    keyed('activity', activityItem({ activityId: 's2', createdAt: '2021-09-03T02:00:00.000Z', status: 'draft', title: '-10 度\n实验 "引号"', venue: undefined, volunteers: undefined, branded: false, submittedAt: undefined, completedAt: undefined, contentThemes: undefined })),
    keyed('results', resultsItem({ activityId: 's1' })),
    keyed('media', mediaItem({ mediaId: 'sm1', subject: { type: 'activity', campaignId: C, organizationId: 'hongqi-kx', activityId: 's1' } })),
    keyed('media', mediaItem({ mediaId: 'sm2', kind: 'video', createdAt: '2021-09-16T02:00:00.000Z', capturedAt: '2021-09-15T01:30:00Z', warnings: [], subject: { type: 'activity', campaignId: C, organizationId: 'hongqi-kx', activityId: 's1' } })),
    keyed('media', mediaItem({ mediaId: 'sm3', status: 'rejected', reason: 'type_mismatch', capturedAt: undefined, createdAt: '2021-09-16T03:00:00.000Z', subject: { type: 'activity', campaignId: C, organizationId: 'hongqi-kx', activityId: 's1' } })),
    keyed('media', mediaItem({ mediaId: 'sd1', kind: 'document', campaignId: undefined, organizationId: undefined, subject: { type: 'summary', campaignId: C, organizationId: 'hongqi-kx' }, fileName: '@总结.pdf', declaredContentType: 'application/pdf', createdAt: '2021-10-20T01:00:00.000Z', capturedAt: undefined })),
    keyed('summary', summaryItem({ organizationId: 'weihui-kx' })),
    keyed('flag', flagItem({ flagId: 'sf1', activityId: 's1' })),
    keyed('flag', flagItem({ flagId: 'sf2', activityId: 's1', code: 'not-published-in-advance', raisedAt: '2021-09-25T00:00:01.000Z', waived: true, waivedReason: '系统故障', waivedAt: '2021-09-26T00:00:00+08:00' })),
    keyed('flag', flagItem({ flagId: 'sf3', activityId: undefined, code: 'summary-missing', milestone: 'completion', raisedAt: '2021-10-23T00:00:00.000Z', lateBySeconds: undefined, waived: undefined })),
    keyed('organization', addedOrganizationItem()),
    // Skipped: a definition unit listed again, another campaign, another entity in the campaign's partitions.
    keyed('organization', addedOrganizationItem({ organizationId: 'hongqi-kx', name: '重复的单位' })),
    keyed('activity', activityItem({ activityId: 'x1', campaignId: OTHER }), OTHER),
    keyed('flag', flagItem({ flagId: 'x2', campaignId: OTHER }), OTHER),
    { ...keyed('activity', activityItem({ activityId: 'x3' })), entity: 'ActivityDraftNote' },
    // Other kinds of items: `subject` and `status` as other types than the export reads.
    { pk: 'INBOX#hongqi-kx', sk: 'MSG#1', entity: 'InboxMessage', subject: '提醒：请完善活动信息', status: 7, kind: ['x'] },
    { pk: 'EXPORT#e0', sk: 'E', entity: 'Export', status: 'succeeded', version: 'v1' },
  ];
  return items;
}

/** An object body as the SDK answers it: a stream that can also be read as text. */
const body = (bytes: Buffer) => Object.assign(Readable.from([bytes]), { transformToString: async () => bytes.toString('utf8') });

/** A bucket in memory answering PutObject, GetObject and ListObjectsV2 (any bucket name). */
export class MemoryS3 {
  public readonly objects = new Map<string, Buffer>();
  public readonly gets: string[] = [];

  public readonly client = { send: (command: unknown) => this.send(command) } as unknown as S3Client;

  public put(key: string, bytes: Buffer | string): void {
    this.objects.set(key, Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes));
  }

  private async send(command: unknown): Promise<unknown> {
    if (command instanceof PutObjectCommand) {
      const b = command.input.Body;
      this.put(command.input.Key ?? '', Buffer.isBuffer(b) ? b : Buffer.from(String(b)));
      return {};
    }
    if (command instanceof GetObjectCommand) {
      const key = command.input.Key ?? '';
      this.gets.push(`${command.input.Bucket}/${key}`);
      const bytes = this.objects.get(key);
      if (!bytes) throw Object.assign(new Error(`NoSuchKey ${key}`), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
      return { Body: body(bytes) };
    }
    if (command instanceof ListObjectsV2Command) {
      const prefix = command.input.Prefix ?? '';
      return { Contents: [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort().map((Key) => ({ Key })), IsTruncated: false };
    }
    throw new Error(`MemoryS3: unexpected command ${(command as object).constructor.name}`);
  }
}

/** A DynamoDB client answering only Scan: segment `s` of `n` holds every n-th item, two items a page. */
export function scanOnly(items: readonly StoredItem[]): DynamoDBClient {
  const marshalled = items.map((item) => marshall(item, { removeUndefinedValues: true }));
  return {
    send: async (command: unknown) => {
      if (!(command instanceof ScanCommand)) throw new Error('scanOnly: only Scan');
      const { Segment = 0, TotalSegments = 1, ExclusiveStartKey } = command.input;
      const mine = marshalled.filter((_, i) => i % TotalSegments === Segment);
      const start = ExclusiveStartKey ? Number(ExclusiveStartKey.n?.N) : 0;
      const page = mine.slice(start, start + 2);
      return { Items: page, ...(start + 2 < mine.length ? { LastEvaluatedKey: { n: { N: String(start + 2) } } } : {}) };
    },
  } as unknown as DynamoDBClient;
}

/** The table copy of `items` as of `asOf`, written into `s3` by ScanTableCopies: its completed state. */
export async function scanCopy(items: readonly StoredItem[], s3: MemoryS3, tmpRoot: string, exportId = `${C}-registration`): Promise<Extract<TableCopyState, { status: 'completed' }>> {
  const copies = new ScanTableCopies({ dynamodb: scanOnly(items), s3: s3.client, bucket: 'exports', prefix: 'table-copies/', tableName: 'main', tmpRoot });
  const state = await copies.state(await copies.start({ exportId, asOf: new Date('2021-09-24T16:00:00Z') }));
  if (state.status !== 'completed') throw new Error(`the copy is ${JSON.stringify(state)}`);
  return state;
}
