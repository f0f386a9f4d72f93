/**
 * Data migrations on one machine: each runs once per data dir, at start-up, before any handler
 * (a ledger of the ones done, `<dir>/migrations.json`). Each is idempotent anyway: a crash
 * between the work and the ledger only runs it again.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BACKFILL_CAMPAIGN_INDEXES, backfillCampaignIndexes } from '../../shared/migrations/backfill-campaign-indexes';
import { BUILD_PROGRESS_READ_MODEL, BUILD_SCORES_READ_MODEL, buildProgressReadModel } from '../../shared/migrations/build-progress-read-model';
import { BUILD_PUBLIC_CALENDAR, buildPublicCalendar } from '../../shared/migrations/build-public-calendar';
import { COUNT_DRAFTS, countDrafts } from '../../shared/migrations/count-drafts';
import { SEAL_WEBHOOK_URLS, sealWebhookUrls } from '../../shared/migrations/seal-webhook-urls';
import { STRIP_ACCEPTED_HEIC_PHOTOS, STRIP_ACCEPTED_PHOTOS, stripAcceptedPhotos } from '../../shared/migrations/strip-accepted-photos';
import { AesGcmSealer } from '../../shared/clients/secret-sealer';
import { hmacPseudonyms } from '../../shared/clients/pseudonyms';
import { BACKFILL_PERSONAL_DATA_LEDGERS, backfillPersonalDataLedgers } from '../../shared/migrations/backfill-personal-data-ledgers';
import { PSEUDONYM_KEY_FILE, localCursorKey, localWebhookKey } from './cursor-key';
import { FREEZE_ACCEPTED_MEDIA, freezeAcceptedMedia } from '../../shared/migrations/freeze-accepted-media';
import { S3ObjectStore } from '../../shared/repositories/object-store';
import { SEED_CAMPAIGNS, seedCampaigns } from '../../shared/migrations/seed-campaigns';
import { SHARD_CAMPAIGN_PARTITIONS, shardCampaignPartitions } from '../../shared/migrations/shard-campaign-partitions';
import type { LocalResources } from './provision';

const LEDGER = 'migrations.json';

/**
 * The migrations that only rewrite or index what an earlier version stored. In a store born at this
 * version (its main table created by this start: `newStore`) they would read
 * the seed campaigns and change nothing, so they are recorded as done without running: about 0.8 s of
 * every fresh start (each test's runtime), measured. The personal-data ledgers' backfill too (another
 * ~1 s: its walk queries every partition of the campaign): in a new store the audit writer reads the
 * seed's own stream records from the start of the stream and records the same touches. Only the seed runs.
 */
const NOTHING_TO_DO_IN_A_NEW_STORE: ReadonlySet<string> = new Set([
  BACKFILL_CAMPAIGN_INDEXES,
  SHARD_CAMPAIGN_PARTITIONS,
  BUILD_PROGRESS_READ_MODEL,
  BUILD_SCORES_READ_MODEL,
  FREEZE_ACCEPTED_MEDIA,
  COUNT_DRAFTS,
  STRIP_ACCEPTED_PHOTOS,
  STRIP_ACCEPTED_HEIC_PHOTOS,
  SEAL_WEBHOOK_URLS,
  BUILD_PUBLIC_CALENDAR,
  BACKFILL_PERSONAL_DATA_LEDGERS,
]);

function done(dataDir: string): string[] {
  const file = join(dataDir, LEDGER);
  if (!existsSync(file)) return [];
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { done?: unknown };
  return Array.isArray(parsed.done) ? parsed.done.filter((x): x is string => typeof x === 'string') : [];
}

/** Runs every migration this data dir has not run yet; answers the ids run now. */
export async function runLocalMigrations(input: {
  readonly dataDir: string;
  readonly resources: LocalResources;
  readonly dynamodb: DynamoDBClient;
  /** The local S3: accepted media get their checked copy (ADR 0032). */
  readonly s3?: S3Client;
  readonly log: (entry: Record<string, unknown>) => void;
  /** Whether provisioning has just created the main table: nothing an earlier version wrote is in it. */
  readonly newStore?: boolean;
  /** The runtime's clock: when the seed campaigns are stored. */
  readonly now?: () => Date;
}): Promise<string[]> {
  const recorded = done(input.dataDir);
  const newStore = recorded.length === 0 && input.newStore === true;
  const already = newStore ? [...NOTHING_TO_DO_IN_A_NEW_STORE] : recorded;
  const ran: string[] = [];
  const main = input.resources.tables.main?.name;
  // First: every other migration and every handler reads the stored campaigns.
  if (main && !already.includes(SEED_CAMPAIGNS)) {
    const report = await seedCampaigns({ client: DynamoDBDocumentClient.from(input.dynamodb), tableName: main, at: input.now?.() ?? new Date() });
    if (report.created.length > 0) input.log({ msg: 'stored the seed campaigns', migration: SEED_CAMPAIGNS, ...report });
    ran.push(SEED_CAMPAIGNS);
  }
  if (main && !already.includes(BACKFILL_CAMPAIGN_INDEXES)) {
    const report = await backfillCampaignIndexes({ client: DynamoDBDocumentClient.from(input.dynamodb), tableName: main });
    if (report.found > 0) input.log({ msg: 'gave items written by an earlier version their campaign index keys', migration: BACKFILL_CAMPAIGN_INDEXES, ...report });
    ran.push(BACKFILL_CAMPAIGN_INDEXES);
  }
  const progress = input.resources.tables.progress?.name;
  // Before the rebuild (it reads the sharded partitions): items and totals written before ADR 0028 move into their shards.
  if (main && !already.includes(SHARD_CAMPAIGN_PARTITIONS)) {
    const report = await shardCampaignPartitions({ client: DynamoDBDocumentClient.from(input.dynamodb), tableName: main, ...(progress ? { progressTable: progress } : {}) });
    if (report.found + report.totalsMoved > 0) input.log({ msg: 'moved items written before the write-sharding into their shards', migration: SHARD_CAMPAIGN_PARTITIONS, ...report });
    ran.push(SHARD_CAMPAIGN_PARTITIONS);
  }
  // After the backfill: the rebuild reads the campaigns' index partitions.
  if (main && progress && !already.includes(BUILD_PROGRESS_READ_MODEL)) {
    const reports = await buildProgressReadModel({ client: DynamoDBDocumentClient.from(input.dynamodb), mainTable: main, progressTable: progress });
    for (const report of reports) {
      if (report.corrected + report.removed + report.totalsReset > 0) input.log({ msg: 'built the progress read model from the table', migration: BUILD_PROGRESS_READ_MODEL, ...report });
    }
    ran.push(BUILD_PROGRESS_READ_MODEL);
  }
  // The scores' share (ADR 0038): a rebuild of its own only where 0002 ran before it existed.
  if (main && progress && !already.includes(BUILD_SCORES_READ_MODEL)) {
    if (!ran.includes(BUILD_PROGRESS_READ_MODEL)) {
      const reports = await buildProgressReadModel({ client: DynamoDBDocumentClient.from(input.dynamodb), mainTable: main, progressTable: progress });
      for (const report of reports) {
        if (report.corrected + report.removed + report.totalsReset > 0) input.log({ msg: 'built the scores read model from the table', migration: BUILD_SCORES_READ_MODEL, ...report });
      }
    }
    ran.push(BUILD_SCORES_READ_MODEL);
  }
  const media = input.resources.buckets.media?.name;
  if (main && media && input.s3 && !already.includes(FREEZE_ACCEPTED_MEDIA)) {
    const report = await freezeAcceptedMedia({ client: DynamoDBDocumentClient.from(input.dynamodb), tableName: main, objects: new S3ObjectStore(input.s3), bucket: media });
    if (report.found > 0) input.log({ msg: 'gave media accepted before ADR 0032 the copy of their checked bytes', migration: FREEZE_ACCEPTED_MEDIA, ...report });
    ran.push(FREEZE_ACCEPTED_MEDIA);
  }
  if (main && !already.includes(COUNT_DRAFTS)) {
    const report = await countDrafts({ client: DynamoDBDocumentClient.from(input.dynamodb), tableName: main });
    if (report.units > 0) input.log({ msg: 'gave each unit the count of its drafts (ADR 0042)', migration: COUNT_DRAFTS, ...report });
    ran.push(COUNT_DRAFTS);
  }
  // After 0005: the copies it made are stripped too.
  if (main && media && input.s3 && !already.includes(STRIP_ACCEPTED_PHOTOS)) {
    const report = await stripAcceptedPhotos({ client: DynamoDBDocumentClient.from(input.dynamodb), tableName: main, objects: new S3ObjectStore(input.s3), bucket: media });
    if (report.stripped > 0) input.log({ msg: 'served photos accepted before ADR 0048 without their metadata', migration: STRIP_ACCEPTED_PHOTOS, ...report });
    ran.push(STRIP_ACCEPTED_PHOTOS);
  }
  if (main && media && input.s3 && !already.includes(STRIP_ACCEPTED_HEIC_PHOTOS)) {
    const report = await stripAcceptedPhotos({ client: DynamoDBDocumentClient.from(input.dynamodb), tableName: main, objects: new S3ObjectStore(input.s3), bucket: media });
    if (report.stripped > 0) input.log({ msg: 'served HEIC photos accepted before they were stripped without their metadata', migration: STRIP_ACCEPTED_HEIC_PHOTOS, ...report });
    ran.push(STRIP_ACCEPTED_HEIC_PHOTOS);
  }
  const audit = input.resources.tables.audit?.name;
  if (main && !already.includes(SEAL_WEBHOOK_URLS)) {
    const key = Buffer.from(localWebhookKey(input.dataDir), 'base64url');
    const report = await sealWebhookUrls({
      client: DynamoDBDocumentClient.from(input.dynamodb),
      tableName: main,
      ...(audit ? { auditTableName: audit } : {}),
      sealer: new AesGcmSealer(async () => key),
    });
    if (report.found + report.auditMasked > 0) input.log({ msg: 'sealed the webhook URLs stored in clear, masked them in the audit trail (ADR 0048)', migration: SEAL_WEBHOOK_URLS, ...report });
    ran.push(SEAL_WEBHOOK_URLS);
  }
  if (main && progress && !already.includes(BUILD_PUBLIC_CALENDAR)) {
    const report = await buildPublicCalendar({ client: DynamoDBDocumentClient.from(input.dynamodb), mainTable: main, progressTable: progress });
    if (report.published + report.removed > 0) input.log({ msg: 'built the public calendar from the table (ADR 0044)', migration: BUILD_PUBLIC_CALENDAR, ...report });
    ran.push(BUILD_PUBLIC_CALENDAR);
  }
  // The key the handlers hash with (runtime.ts gives it to them): the same pseudonyms and contact hashes.
  if (main && audit && !already.includes(BACKFILL_PERSONAL_DATA_LEDGERS)) {
    const report = await backfillPersonalDataLedgers({
      client: DynamoDBDocumentClient.from(input.dynamodb),
      mainTable: main,
      auditTable: audit,
      pseudonyms: hmacPseudonyms(Buffer.from(localCursorKey(input.dataDir, PSEUDONYM_KEY_FILE), 'base64url')),
    });
    if (report.touched > 0) input.log({ msg: 'recorded the items written before ADR 0047 in the personal-data ledgers', migration: BACKFILL_PERSONAL_DATA_LEDGERS, ...report });
    ran.push(BACKFILL_PERSONAL_DATA_LEDGERS);
  }
  if (ran.length > 0 || already !== recorded) writeFileSync(join(input.dataDir, LEDGER), `${JSON.stringify({ done: [...already, ...ran] }, null, 2)}\n`);
  return ran;
}
