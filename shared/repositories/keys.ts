/**
 * Every DynamoDB key SciDay builds, in one place. Use cases never concatenate keys.
 */
export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

/**
 * Write shards of the campaign-wide partitions (ADR 0028). Each of these partitions received every
 * write of its kind in a campaign; at national scale (2,000 submissions/s) that is several times
 * DynamoDB's 1,000 WCU/s per partition (docs/scale.md). An item's shard is a hash of an id it
 * already carries, so a write needs no read; readers query every shard (in parallel) and merge.
 * Changing a count moves items between partitions: it takes a migration like
 * shared/migrations/shard-campaign-partitions.ts.
 */
export const CAMPAIGN_SHARDS = {
  /** gsi2 `CAMP#<c>#ACT#S<n>`, n from the activity id. */
  activities: 32,
  /** gsi2 `CAMP#<c>#RESULTS#S<n>`, n from the activity id (its activity's number). */
  results: 32,
  /** gsi2 `CAMP#<c>#MEDIA#S<n>`, n from the media id: ten media items per activity. */
  media: 128,
  /** gsi1 `CAMP#<c>#FLAG#S<n>`, n from the unit id: a unit's flags are in one shard. */
  flags: 32,
  /** progress table `CAMP#<c>#PROGRESS#S<n>` (the units' totals), n from the unit id. */
  progress: 32,
} as const;

export type ShardedPartition = keyof typeof CAMPAIGN_SHARDS;

const UTF8 = new TextEncoder();

/** The shard (0 … shards − 1) of an id: FNV-1a (32 bit) of its UTF-8 bytes, modulo the count. Stable across runtimes. */
export function shardOf(id: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (const byte of UTF8.encode(id)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}

/** The unsharded names of the campaign-wide partitions (`CAMP#<c>#ACT` …). */
const UNSHARDED: Readonly<Record<ShardedPartition, (campaignId: string) => string>> = {
  activities: (c) => `CAMP#${c}#ACT`,
  results: (c) => `CAMP#${c}#RESULTS`,
  media: (c) => `CAMP#${c}#MEDIA`,
  flags: (c) => `CAMP#${c}#FLAG`,
  progress: (c) => `CAMP#${c}#PROGRESS`,
};

/** One shard's partition value: `<unsharded>#S<n>`. */
const shardValue = (kind: ShardedPartition, campaignId: string, shard: number): string => `${UNSHARDED[kind](campaignId)}#S${shard}`;

export const keys = {
  /** Audit entries of one item, time-ordered; the event id makes a redelivery idempotent. */
  auditEntry: (subject: ItemKey, at: string, eventId: string): ItemKey => ({
    pk: `AUDIT#${subject.pk}#${subject.sk}`,
    sk: `${at}#${eventId}`,
  }),
  /** The partition holding one item's audit trail. */
  auditTrail: (subject: ItemKey): string => `AUDIT#${subject.pk}#${subject.sk}`,
  /** An activity: its own partition holds the activity item, its results and its flags. */
  activity: (activityId: string): ItemKey => ({ pk: `ACT#${activityId}`, sk: 'A' }),
  activityPartition: (activityId: string): string => `ACT#${activityId}`,
  /** gsi1: one unit's activities in a campaign, oldest first. */
  activitiesOfOrganization: (campaignId: string, organizationId: string): string => `CAMP#${campaignId}#ORG#${organizationId}`,
  activityInOrganization: (createdAt: string, activityId: string): string => `ACT#${createdAt}#${activityId}`,
  /** gsi2: one shard of every activity of a campaign (ADR 0028), oldest first within it; the shard is the activity's. */
  activitiesOfCampaign: (campaignId: string, activityId: string): string => shardValue('activities', campaignId, shardOf(activityId, CAMPAIGN_SHARDS.activities)),
  activityInCampaign: (createdAt: string, activityId: string): string => `${createdAt}#${activityId}`,
  activityResults: (activityId: string): ItemKey => ({ pk: `ACT#${activityId}`, sk: 'RESULTS' }),
  /** A unit's work summary and the flags raised on the unit share its partition. */
  summary: (campaignId: string, organizationId: string): ItemKey => ({ pk: `CAMP#${campaignId}#UNIT#${organizationId}`, sk: 'SUMMARY' }),
  organizationFlag: (campaignId: string, organizationId: string, milestone: string, code: string): ItemKey => ({
    pk: `CAMP#${campaignId}#UNIT#${organizationId}`,
    sk: `FLAG#${milestone}#${code}`,
  }),
  /** A media item, in its activity's partition or its unit's summary partition. */
  mediaOfActivity: (activityId: string, mediaId: string): ItemKey => ({ pk: `ACT#${activityId}`, sk: `MEDIA#${mediaId}` }),
  mediaOfSummary: (campaignId: string, organizationId: string, mediaId: string): ItemKey => ({
    pk: `CAMP#${campaignId}#UNIT#${organizationId}`,
    sk: `MEDIA#${mediaId}`,
  }),
  mediaPrefix: 'MEDIA#',
  /** A flag raised on an activity, one per (milestone, code). */
  activityFlag: (activityId: string, milestone: string, code: string): ItemKey => ({ pk: `ACT#${activityId}`, sk: `FLAG#${milestone}#${code}` }),
  flagPrefix: 'FLAG#',
  /** gsi1: one shard of every flag of a campaign (ADR 0028), by time raised within it; the shard is the unit's. */
  flagsOfCampaign: (campaignId: string, organizationId: string): string => shardValue('flags', campaignId, shardOf(organizationId, CAMPAIGN_SHARDS.flags)),
  /** gsi2: one flag by its id (waivers name only the id). */
  flagById: (flagId: string): ItemKey => ({ pk: `FLAG#${flagId}`, sk: 'FLAG' }),
  /**
   * gsi3, the due index (sparse): an activity of a unit that can still earn a milestone flag.
   * Sweeps query it per unit; an activity leaves it once nothing can make it late any more.
   */
  dueOfOrganization: (campaignId: string, organizationId: string): string => `DUE#${campaignId}#${organizationId}`,
  dueActivity: (createdAt: string, activityId: string): string => `${createdAt}#${activityId}`,
  /** A message in a unit's inbox (reminders, notices), oldest first by the instant it is about. */
  inboxMessage: (campaignId: string, organizationId: string, at: string, messageId: string): ItemKey => ({
    pk: `CAMP#${campaignId}#UNIT#${organizationId}`,
    sk: `INBOX#${at}#${messageId}`,
  }),
  inboxPrefix: 'INBOX#',
  /** How many drafts a unit holds in a campaign (the `draftsPerUnit` cap, ADR 0042): in the unit's partition. */
  draftCount: (campaignId: string, organizationId: string): ItemKey => ({ pk: `CAMP#${campaignId}#UNIT#${organizationId}`, sk: 'DRAFTS' }),
  /** A unit's partition: summary, unit flags, summary media, inbox and its draft count. */
  unitPartition: (campaignId: string, organizationId: string): string => `CAMP#${campaignId}#UNIT#${organizationId}`,
  /** A unit added at run time (or the settings of one from the campaign definition). */
  organization: (campaignId: string, organizationId: string): ItemKey => ({ pk: `CAMP#${campaignId}#ORGS`, sk: `ORG#${organizationId}` }),
  organizationsPartition: (campaignId: string): string => `CAMP#${campaignId}#ORGS`,
  /** Extensions granted to one unit in a campaign (one item per grant; the latest `until` counts). */
  extensionsOfOrganization: (campaignId: string, organizationId: string): string => `CAMP#${campaignId}#EXT#${organizationId}`,
  extension: (campaignId: string, organizationId: string, grantedAt: string, extensionId: string): ItemKey => ({
    pk: `CAMP#${campaignId}#EXT#${organizationId}`,
    sk: `EXT#${grantedAt}#${extensionId}`,
  }),
  /** The id of an extension, taken once (its grant's key holds a time: ADR 0025). */
  extensionId: (extensionId: string): ItemKey => ({ pk: `EXTID#${extensionId}`, sk: 'EXTID' }),
  /** An export job, and gsi1: a campaign's exports by time requested. */
  exportJob: (exportId: string): ItemKey => ({ pk: `EXPORT#${exportId}`, sk: 'EXPORT' }),
  exportsOfCampaign: (campaignId: string): string => `CAMP#${campaignId}#EXPORT`,
  /** The one export of a campaign and format that may be queued or running (ADR 0033): names its holder. */
  exportSlot: (campaignId: string, format: string): ItemKey => ({ pk: `CAMP#${campaignId}#EXPORT-SLOT`, sk: format }),
  /** A caller's count of one kind of request in one window (ADR 0033), e.g. `exports#<sub>`, expiring with it. */
  requestBudget: (subject: string, windowStart: string): ItemKey => ({ pk: `BUDGET#${subject}`, sk: windowStart }),
  /** gsi2 partitions the exports read whole: every results, media (both sharded, ADR 0028) and summary item of a campaign. */
  resultsOfCampaign: (campaignId: string, activityId: string): string => shardValue('results', campaignId, shardOf(activityId, CAMPAIGN_SHARDS.results)),
  mediaOfCampaign: (campaignId: string, mediaId: string): string => shardValue('media', campaignId, shardOf(mediaId, CAMPAIGN_SHARDS.media)),
  /**
   * Every shard's partition value of a sharded campaign-wide partition, shard 0 first: what a reader
   * of the whole partition queries (in parallel) and merges.
   */
  shards: (kind: ShardedPartition, campaignId: string): string[] => Array.from({ length: CAMPAIGN_SHARDS[kind] }, (_, n) => shardValue(kind, campaignId, n)),
  /**
   * The partition's name before ADR 0028 (`CAMP#<c>#ACT` …): what items written before it carry (the
   * migration moves them), and the scope a list's cursors are bound to (unchanged by the sharding).
   */
  unsharded: (kind: ShardedPartition, campaignId: string): string => UNSHARDED[kind](campaignId),
  summariesOfCampaign: (campaignId: string): string => `CAMP#${campaignId}#SUMMARY`,
  /** A reviewer's review of one unit, in the unit's partition; gsi2: every review of the campaign (scores, exports). */
  review: (campaignId: string, organizationId: string): ItemKey => ({ pk: `CAMP#${campaignId}#UNIT#${organizationId}`, sk: 'REVIEW' }),
  reviewsOfCampaign: (campaignId: string): string => `CAMP#${campaignId}#REVIEW`,
  /** gsi2 of extension items (when they carry it): every extension of a campaign, read whole by the scores. */
  extensionsOfCampaign: (campaignId: string): string => `CAMP#${campaignId}#EXT`,
  /**
   * The gsi2 keys (a campaign's partition, and the order within it) of the items the exports and
   * the scores read per campaign: the repositories write them, and the backfill of items written
   * before they existed (shared/migrations/backfill-campaign-indexes.ts) computes the same.
   */
  resultsIndex: (campaignId: string, activityId: string) => ({ gsi2pk: keys.resultsOfCampaign(campaignId, activityId), gsi2sk: activityId }),
  mediaIndex: (campaignId: string, createdAt: string, mediaId: string) => ({ gsi2pk: keys.mediaOfCampaign(campaignId, mediaId), gsi2sk: `${createdAt}#${mediaId}` }),
  summaryIndex: (campaignId: string, organizationId: string) => ({ gsi2pk: keys.summariesOfCampaign(campaignId), gsi2sk: organizationId }),
  extensionIndex: (campaignId: string, organizationId: string, grantedAt: string, extensionId: string) => ({
    gsi2pk: keys.extensionsOfCampaign(campaignId),
    gsi2sk: `${organizationId}#${grantedAt}#${extensionId}`,
  }),
  /**
   * Progress table, the public calendar (ADR 0044): one partition per campaign and county, its
   * published activities by start; `#SPAN` (sorting before every start) holds the longest duration
   * the partition has seen, so a range read knows how far before `from` an overlapping one can start.
   */
  publicCalendar: (campaignId: string, county: string): string => `PUB#${campaignId}#${county}`,
  publicEntry: (campaignId: string, county: string, startsAt: string, activityId: string): ItemKey => ({ pk: `PUB#${campaignId}#${county}`, sk: `${startsAt}#${activityId}` }),
  publicSpan: (campaignId: string, county: string): ItemKey => ({ pk: `PUB#${campaignId}#${county}`, sk: '#SPAN' }),
  /** What the media check last saw of one stored object. */
  storedObject: (bucket: string, objectKey: string): ItemKey => ({ pk: `OBJECT#${bucket}#${objectKey}`, sk: 'OBJECT' }),
};

/** The attributes only storage reads: the table's and its indexes' keys, and the entity name. */
export const STORAGE_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'entity'] as const;

/**
 * The record a stored item holds: the item without its storage attributes, nor the `also`
 * attributes its repository writes for its own reads (a copy of a parent's ids, a `createToken`).
 *
 * @example
 * const results = recordOf<ResultsRecord>(item, ['campaignId', 'organizationId']);
 */
export function recordOf<T>(item: Record<string, unknown>, also: readonly string[] = []): T {
  const dropped = new Set<string>([...STORAGE_ATTRIBUTES, ...also]);
  return Object.fromEntries(Object.entries(item).filter(([name]) => !dropped.has(name))) as T;
}
