/**
 * Every DynamoDB key SciDay builds, in one place. Use cases never concatenate keys.
 */
export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

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
  /** gsi2: every activity of a campaign, oldest first. */
  activitiesOfCampaign: (campaignId: string): string => `CAMP#${campaignId}#ACT`,
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
  /** gsi1: every flag of a campaign, by time raised. */
  flagsOfCampaign: (campaignId: string): string => `CAMP#${campaignId}#FLAG`,
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
  /** A unit's partition: summary, unit flags, summary media and inbox. */
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
  /** An export job, and gsi1: a campaign's exports by time requested. */
  exportJob: (exportId: string): ItemKey => ({ pk: `EXPORT#${exportId}`, sk: 'EXPORT' }),
  exportsOfCampaign: (campaignId: string): string => `CAMP#${campaignId}#EXPORT`,
  /** gsi2 partitions the exports read whole: every results, media and summary item of a campaign. */
  resultsOfCampaign: (campaignId: string): string => `CAMP#${campaignId}#RESULTS`,
  mediaOfCampaign: (campaignId: string): string => `CAMP#${campaignId}#MEDIA`,
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
  resultsIndex: (campaignId: string, activityId: string) => ({ gsi2pk: keys.resultsOfCampaign(campaignId), gsi2sk: activityId }),
  mediaIndex: (campaignId: string, createdAt: string, mediaId: string) => ({ gsi2pk: keys.mediaOfCampaign(campaignId), gsi2sk: `${createdAt}#${mediaId}` }),
  summaryIndex: (campaignId: string, organizationId: string) => ({ gsi2pk: keys.summariesOfCampaign(campaignId), gsi2sk: organizationId }),
  extensionIndex: (campaignId: string, organizationId: string, grantedAt: string, extensionId: string) => ({
    gsi2pk: keys.extensionsOfCampaign(campaignId),
    gsi2sk: `${organizationId}#${grantedAt}#${extensionId}`,
  }),
  /** What the media check last saw of one stored object. */
  storedObject: (bucket: string, objectKey: string): ItemKey => ({ pk: `OBJECT#${bucket}#${objectKey}`, sk: 'OBJECT' }),
};
