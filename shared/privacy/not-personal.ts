/**
 * The fields reviewed as holding no personal information, by source (shared/privacy/inventory.ts):
 * together with the `personal` marks, every field the system declares is classified, and the
 * inventory test fails on a new field until it is marked or listed here (ADR 0046).
 *
 * Listing a field here is a decision: read what it holds first. A field whose name looks
 * personal ({@link LOOKS_PERSONAL}) needs, besides, the reason in {@link NOT_PERSONAL_BECAUSE}.
 */

/** Field names that suggest a person: contact details, accounts, addresses a token may hide in. */
export const LOOKS_PERSONAL = /contact|phone|mobile|e-?mail|by$|^sub$|actor|user|person|webhook|^ip$|address|name|url$/i;

/** Why fields whose last name segment looks personal are not (by that segment). */
export const NOT_PERSONAL_BECAUSE: Record<string, string> = {
  name: 'names of units, venues, campaigns, counties, themes, files of an export and health checks: organisations, places and things, never people',
  nameEn: 'the English name of a unit',
  name_en: 'the English name of a unit',
  venue_name: 'the name of a venue, a public place',
  venue_address: 'the address of a venue, a public place',
  eventName: 'the kind of S3 event (`ObjectCreated:Post`)',
  unitName: 'the name of a unit (an organisation)',
  address: 'the address of a venue, a public place',
  onlineUrl: 'the public page an online activity is held on',
  online_url: 'the public page an online activity is held on',
  results_online_url: 'the public page an online activity is held on',
  withoutOnlineUrl: 'a count of activities',
  url: 'a signed URL made per answer and valid for minutes (download or upload), never stored; it names our bucket, no person',
  webhook: 'whether a message was also sent to the webhook (`queued`, `sent`, ...), not its address',
};

/** Every field reviewed as not personal, by source. */
export const NOT_PERSONAL: Record<string, readonly string[]> = {
  'openapi:ActivityDraft': ['title', 'description', 'kind', 'jointAction', 'contentThemes[]', 'format', 'startsAt', 'endsAt', 'county', 'audiences[]', 'venue.name', 'venue.address', 'expectedParticipants', 'maxOnSite', 'epidemicPlan', 'onlineUrl', 'volunteers.count', 'volunteers.hours', 'coOrganizers[]', 'branded'],
  'openapi:ActivitySubmission': ['title', 'description', 'kind', 'jointAction', 'contentThemes[]', 'format', 'startsAt', 'endsAt', 'county', 'audiences[]', 'venue.name', 'venue.address', 'expectedParticipants', 'maxOnSite', 'epidemicPlan', 'onlineUrl', 'volunteers.count', 'volunteers.hours', 'coOrganizers[]', 'branded'],
  'openapi:ActivityPatch': ['title', 'description', 'kind', 'jointAction', 'contentThemes[]', 'format', 'startsAt', 'endsAt', 'county', 'audiences[]', 'venue.name', 'venue.address', 'expectedParticipants', 'maxOnSite', 'epidemicPlan', 'onlineUrl', 'volunteers.count', 'volunteers.hours', 'coOrganizers[]', 'branded'],
  'openapi:Results': ['actualParticipants', 'newsLinks[]', 'onlineUrl', 'highlights'],
  'openapi:Summary': ['text', 'documentMediaIds[]'],
  'openapi:UploadRequest': ['kind', 'contentType', 'size'],
  'openapi:SummaryUploadRequest': ['kind', 'contentType', 'size'],
  // The public calendar (ADR 0044): an allow-list of what an organizer publishes, no contact, flag or actor.
  'openapi:PublicActivity': ['id', 'campaignId', 'title', 'description', 'kind', 'jointAction', 'contentThemes[]', 'format', 'startsAt', 'endsAt', 'county', 'organizationId', 'venue.name', 'venue.address', 'maxOnSite', 'onlineUrl', 'audiences[]', 'updatedAt'],
  'openapi:PublicActivityDetail': ['results.photos[].mediaId', 'results.photos[].url', 'results.photos[].contentType', 'results.newsLinks[]'],
  'openapi:Withdrawal': ['reason'],
  'openapi:ErasureRequest': ['reason', 'mode'],
  'openapi:Erasure': ['erasureId', 'mode', 'reason', 'counts.items', 'counts.scrubbed', 'counts.notices', 'counts.budgets', 'requestedAt'],
  'openapi:MyData': ['generatedAt', 'items[].subject.pk', 'items[].subject.sk', 'items[].as[]', 'auditEntries[].subject.pk', 'auditEntries[].subject.sk', 'auditEntries[].at'],
  'openapi:Extension': ['organizationId', 'activityId', 'milestone', 'until', 'reason'],
  'openapi:Review': ['scores.mobilization', 'scores.publicity', 'scores.highlights', 'scores.volunteering', 'scores.online', 'comment', 'distinctiveActivityIds[]'],
  'openapi:Organization': ['name', 'county', 'type'],
  'openapi:Waiver': ['reason'],
  'openapi:ExportRequest': ['format', 'language'],
  'openapi:CampaignCreate': ['id', 'year', 'cityId', 'city.zh', 'city.en', 'name.zh', 'name.en', 'theme.zh', 'theme.en', 'brand.zh', 'brand.en', 'timeZone', 'period.start', 'period.end', 'milestones[].id', 'milestones[].name.zh', 'milestones[].name.en', 'milestones[].dueDate', 'milestones[].source', 'contentThemes[].id', 'contentThemes[].name.zh', 'contentThemes[].name.en', 'activityKinds[].id', 'activityKinds[].name.zh', 'activityKinds[].name.en', 'jointActions[].id', 'jointActions[].name.zh', 'jointActions[].name.en', 'counties[].id', 'counties[].name.zh', 'counties[].name.en', 'counties[].kind', 'organizations[].organizationId', 'organizations[].name.zh', 'organizations[].name.en', 'organizations[].county', 'organizations[].type', 'indicators[].id', 'indicators[].name.zh', 'indicators[].name.en', 'indicators[].weight', 'indicators[].computedShare', 'indicators[].metrics[]', 'indicators[].reviewerAsks.zh', 'indicators[].reviewerAsks.en', 'media.photo.contentTypes[]', 'media.photo.maxBytes', 'media.photo.maxPerActivity', 'media.video.contentTypes[]', 'media.video.maxBytes', 'media.video.maxPerActivity', 'media.document.contentTypes[]', 'media.document.maxBytes', 'media.document.maxPerActivity', 'reminders.daysBefore[]', 'reminders.localTime', 'penalty.points.registration-late', 'penalty.points.not-published-in-advance', 'penalty.points.registration-overdue', 'penalty.points.results-missing', 'penalty.points.results-late', 'penalty.points.summary-missing', 'penalty.points.summary-late', 'penalty.points.organization-inactive', 'penalty.cap', 'caps.draftsPerUnit', 'retentionDays', 'copyFrom'],
  'openapi:CampaignStatusChange': ['reason'],
  'openapi:MilestoneMove': ['dueDate', 'reason'],
  'openapi:NoticeAcknowledgement': ['version'],
  'openapi:Problem': ['type', 'title', 'status', 'detail', 'requestId', 'errors[].path', 'errors[].code', 'errors[].message'],
  'openapi:Bilingual': ['zh', 'en'],
  'openapi:NextCursor': ['$'],
  'openapi:Flag': ['flagId', 'code', 'campaignId', 'organizationId', 'activityId', 'milestone', 'raisedAt', 'lateBySeconds', 'waived', 'waivedReason', 'waivedAt'],
  'openapi:Media': ['mediaId', 'kind', 'contentType', 'size', 'status', 'reason', 'duplicateOf', 'capturedAt', 'warnings[]', 'createdAt', 'url'],
  'openapi:ResultsView': ['actualParticipants', 'newsLinks[]', 'onlineUrl', 'highlights', 'version', 'updatedAt'],
  'openapi:Activity': ['title', 'description', 'kind', 'jointAction', 'contentThemes[]', 'format', 'startsAt', 'endsAt', 'county', 'audiences[]', 'venue.name', 'venue.address', 'expectedParticipants', 'maxOnSite', 'epidemicPlan', 'onlineUrl', 'volunteers.count', 'volunteers.hours', 'coOrganizers[]', 'branded', 'id', 'activityId', 'campaignId', 'organizationId', 'status', 'version', 'createdAt', 'updatedAt', 'submittedAt', 'withdrawnAt', 'withdrawnReason'],
  'openapi:ActivityHistory': ['items[].at', 'items[].of', 'items[].action', 'items[].changes[].path'],
  'openapi:UploadTicket': ['mediaId', 'url', 'fields.*', 'expiresAt', 'maxBytes'],
  'openapi:SummaryView': ['text', 'documentMediaIds[]', 'campaignId', 'organizationId', 'version', 'submittedAt', 'updatedAt'],
  'openapi:ReviewView': ['scores.mobilization', 'scores.publicity', 'scores.highlights', 'scores.volunteering', 'scores.online', 'comment', 'distinctiveActivityIds[]', 'campaignId', 'organizationId', 'version', 'reviewedAt', 'firstReviewedAt', 'updatedAt'],
  'openapi:OrganizationView': ['organizationId', 'name', 'nameEn', 'county', 'type'],
  'openapi:AddedOrganizations': ['items[].listedAt'],
  'openapi:OrganizationSettingsView': ['version', 'updatedAt'],
  'openapi:InboxPage': ['items[].messageId', 'items[].campaignId', 'items[].organizationId', 'items[].kind', 'items[].milestone', 'items[].scheduleId', 'items[].gaps.noActivity', 'items[].gaps.drafts', 'items[].gaps.withoutEvidence', 'items[].gaps.withoutOnlineUrl', 'items[].gaps.summaryMissing', 'items[].at', 'items[].createdAt', 'items[].webhook'],
  'openapi:UnitStatus': ['campaignId', 'asOf', 'milestones[].milestone', 'milestones[].dueDate', 'milestones[].campaignDeadline', 'milestones[].deadline', 'milestones[].extended', 'milestones[].passed', 'milestones[].secondsLeft', 'milestones[].gaps.noActivity', 'milestones[].gaps.drafts', 'milestones[].gaps.withoutEvidence', 'milestones[].gaps.withoutOnlineUrl', 'milestones[].gaps.summaryMissing', 'flags[].flagId', 'flags[].code', 'flags[].campaignId', 'flags[].organizationId', 'flags[].activityId', 'flags[].milestone', 'flags[].raisedAt', 'flags[].lateBySeconds', 'flags[].waived', 'flags[].waivedReason', 'flags[].waivedAt', 'activities.draft', 'activities.registered', 'activities.completed'],
  'openapi:ExtensionView': ['organizationId', 'activityId', 'milestone', 'until', 'reason', 'extensionId', 'campaignId', 'grantedAt'],
  'openapi:Scores': ['campaignId', 'computedAt', 'indicators[].indicatorId', 'indicators[].weight', 'indicators[].computedShare', 'indicators[].metrics[]', 'maxima.*', 'penalty.points.*', 'penalty.cap', 'units[].organizationId', 'units[].name', 'units[].county', 'units[].type', 'units[].reviewed', 'units[].reviewWithheld', 'units[].figures.*', 'units[].normalised.*', 'units[].indicators[].indicatorId', 'units[].indicators[].weight', 'units[].indicators[].computedShare', 'units[].indicators[].computed', 'units[].indicators[].reviewer', 'units[].indicators[].score', 'units[].subtotal', 'units[].penalty.flags.*', 'units[].penalty.points', 'units[].penalty.capped', 'units[].total', 'units[].rank', 'units[].tie.group', 'units[].missing[].code', 'units[].missing[].indicators[]', 'ties[].group', 'ties[].rank', 'ties[].total', 'ties[].organizationIds[]', 'commendations.units[].organizationId', 'commendations.units[].name', 'commendations.units[].county', 'commendations.units[].organizationType', 'commendations.units[].total', 'commendations.units[].rank', 'commendations.units[].tie.group', 'commendations.ties[].group', 'commendations.ties[].rank', 'commendations.ties[].total', 'commendations.ties[].organizationIds[]', 'commendations.byType[].organizationType', 'commendations.byType[].units[].organizationId', 'commendations.byType[].units[].name', 'commendations.byType[].units[].county', 'commendations.byType[].units[].organizationType', 'commendations.byType[].units[].total', 'commendations.byType[].units[].rank', 'commendations.byType[].units[].tie.group', 'commendations.byType[].ties[].group', 'commendations.byType[].ties[].rank', 'commendations.byType[].ties[].total', 'commendations.byType[].ties[].organizationIds[]', 'commendations.activities[].activityId', 'commendations.activities[].title', 'commendations.activities[].organizationId', 'commendations.activities[].unitName', 'commendations.activities[].county', 'commendations.activities[].marks', 'commendations.activities[].highlights', 'commendations.activities[].unitTotal', 'commendations.activities[].rank', 'commendations.activities[].tie.group', 'commendations.activityTies[].group', 'commendations.activityTies[].rank', 'commendations.activityTies[].activityIds[]', 'measured.method', 'measured.readMs', 'measured.scoreMs', 'measured.itemsRead.*'],
  'openapi:UnitProgress': ['organizationId', 'name', 'nameEn', 'county', 'type', 'activities.draft', 'activities.registered', 'activities.registeredOnTime', 'activities.registeredLate', 'activities.resultsComplete', 'activities.resultsLate', 'summary.submitted', 'summary.submittedAt', 'summary.late', 'flags.open', 'flags.waived', 'lastChangeAt'],
  'openapi:ProgressPage': ['asOf'],
  'openapi:Export': ['exportId', 'campaignId', 'kind', 'milestone', 'format', 'language', 'snapshot', 'asOf', 'status', 'requestedAt', 'startedAt', 'finishedAt', 'readFrom', 'files[].entity', 'files[].url', 'files[].rows', 'files[].bytes', 'files[].sha256', 'manifest', 'artifacts[].name', 'artifacts[].url', 'artifacts[].bytes', 'artifacts[].sha256'],
  'openapi:ExportListItem': ['exportId', 'campaignId', 'kind', 'milestone', 'format', 'language', 'snapshot', 'asOf', 'status', 'requestedAt', 'startedAt', 'finishedAt', 'readFrom', 'files[].entity', 'files[].rows', 'files[].bytes', 'artifacts[].name', 'artifacts[].bytes'],
  'openapi:Campaign': ['id', 'campaignId', 'cityId', 'status', 'year', 'timeZone', 'period.start', 'period.end', 'milestones[].id', 'milestones[].dueDate', 'milestones[].deadline', 'activityKinds[].id', 'contentThemes[].id', 'jointActions[].id', 'counties[].id', 'counties[].kind', 'indicators[].id', 'indicators[].weight', 'indicators[].computedShare', 'penalty.points.*', 'penalty.cap', 'media.*.contentTypes[]', 'media.*.maxBytes', 'media.*.maxPerActivity'],
  'openapi:StoredCampaign': ['campaignId', 'cityId', 'status', 'version', 'createdAt', 'updatedAt', 'reason', 'copiedFrom', 'publishedAt', 'closedAt', 'definition.id', 'definition.cityId', 'definition.year'],
  'openapi:CampaignList': ['items[].campaignId', 'items[].cityId', 'items[].year', 'items[].status', 'items[].period.start', 'items[].period.end', 'items[].milestones[].id', 'items[].milestones[].dueDate', 'items[].milestones[].deadline'],
  'openapi:Liveness': ['status'],
  'openapi:Health': ['status', 'checkedAt', 'dependencies[].name', 'dependencies[].kind', 'dependencies[].ok', 'dependencies[].latencyMs', 'dependencies[].error'],
  'openapi:PrivacyNotice': ['version'],
  'openapi:NoticeAcknowledgementView': ['version'],
  'message:DomainEvent': ['id', 'source', 'detailType', 'version', 'time', 'campaignId', 'detail.activityId', 'detail.organizationId', 'detail.status', 'detail.version', 'detail.changedFields[]', 'detail.newsLinks'],
  'message:ExportRequest': ['version', 'exportId'],
  'message:Notification': ['version', 'deliveryId', 'campaignId', 'organizationId', 'messageId', 'at', 'text'],
  'message:S3Notification': ['Records[].eventVersion', 'Records[].eventSource', 'Records[].awsRegion', 'Records[].eventTime', 'Records[].eventName', 'Records[].s3.bucket.name', 'Records[].s3.bucket.arn', 'Records[].s3.object.key', 'Records[].s3.object.size', 'Records[].s3.object.eTag', 'Records[].s3.object.sequencer'],
  'message:ScheduledJob': ['type', 'campaignId', 'milestone', 'scheduleId', 'daysBefore', 'at'],
  'message:SweepMessage': ['version', 'type', 'campaignId', 'organizationId', 'runId', 'milestone', 'scheduleId', 'at'],
  'export:activities': ['activity_id', 'campaign_id', 'organization_id', 'status', 'title', 'description', 'kind', 'joint_action', 'content_themes', 'format', 'starts_at', 'ends_at', 'county', 'audiences', 'venue_name', 'venue_address', 'expected_participants', 'max_on_site', 'online_url', 'volunteer_count', 'volunteer_hours', 'co_organizers', 'branded', 'actual_participants', 'news_links', 'results_online_url', 'highlights', 'accepted_photos', 'accepted_videos', 'open_flags', 'version', 'created_at', 'submitted_at', 'completed_at', 'updated_at'],
  'export:media': ['media_id', 'campaign_id', 'organization_id', 'activity_id', 'kind', 'status', 'reason', 'content_type', 'size_bytes', 'sha256', 'captured_at', 'warnings', 'created_at'],
  'export:summaries': ['campaign_id', 'organization_id', 'text', 'document_media_ids', 'version', 'submitted_at', 'updated_at'],
  'export:flags': ['flag_id', 'campaign_id', 'organization_id', 'activity_id', 'code', 'milestone', 'raised_at', 'late_by_seconds', 'waived', 'waived_reason', 'waived_at'],
  'export:organizations': ['campaign_id', 'organization_id', 'name', 'name_en', 'county', 'type', 'listed_at'],
  'export:scores': ['campaign_id', 'organization_id', 'mobilization', 'scale', 'publicity', 'highlights', 'volunteering', 'joint_actions', 'online', 'penalty', 'total', 'rank', 'missing'],
};
