/**
 * `npm run -s migrate -- --table <main table name> [--progress-table <progress table name>] [--media-bucket <media bucket name>] [--audit-table <audit table name> --webhook-key-secret <secret ARN> --pseudonym-key-secret <secret ARN>] [--region <region>]`: runs the data migrations
 * on a deployed main table with the caller's AWS credentials (the deployer's; no function has
 * these rights). One machine runs them itself at start-up (infra/local/migrations.ts).
 *
 * Each migration is idempotent: running it twice changes nothing the second time. Progress goes
 * to stderr, the report (JSON) to stdout. Exit codes: 0 done; 2 bad arguments; 1 it failed.
 */
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { BUILD_PUBLIC_CALENDAR, buildPublicCalendar } from '../shared/migrations/build-public-calendar';
import { COUNT_DRAFTS, countDrafts } from '../shared/migrations/count-drafts';
import { SEAL_WEBHOOK_URLS, sealWebhookUrls } from '../shared/migrations/seal-webhook-urls';
import { STRIP_ACCEPTED_HEIC_PHOTOS, STRIP_ACCEPTED_PHOTOS, stripAcceptedPhotos } from '../shared/migrations/strip-accepted-photos';
import { webhookSealer } from '../shared/clients/secret-sealer';
import { PSEUDONYM_KEY_ENV, WEBHOOK_KEY_ENV } from '../shared/config';
import { stackPseudonyms } from '../shared/clients/pseudonyms';
import { BACKFILL_PERSONAL_DATA_LEDGERS, backfillPersonalDataLedgers } from '../shared/migrations/backfill-personal-data-ledgers';
import { FREEZE_ACCEPTED_MEDIA, freezeAcceptedMedia } from '../shared/migrations/freeze-accepted-media';
import { S3ObjectStore } from '../shared/repositories/object-store';
import { BACKFILL_CAMPAIGN_INDEXES, backfillCampaignIndexes } from '../shared/migrations/backfill-campaign-indexes';
import { BUILD_PROGRESS_READ_MODEL, buildProgressReadModel } from '../shared/migrations/build-progress-read-model';
import { SEED_CAMPAIGNS, seedCampaigns } from '../shared/migrations/seed-campaigns';
import { SHARD_CAMPAIGN_PARTITIONS, shardCampaignPartitions } from '../shared/migrations/shard-campaign-partitions';

async function main(): Promise<number> {
  let values: { table?: string; 'progress-table'?: string; 'media-bucket'?: string; 'audit-table'?: string; 'webhook-key-secret'?: string; 'pseudonym-key-secret'?: string; region?: string };
  try {
    ({ values } = parseArgs({
      options: {
        table: { type: 'string' },
        'progress-table': { type: 'string' },
        'media-bucket': { type: 'string' },
        'audit-table': { type: 'string' },
        'webhook-key-secret': { type: 'string' },
        'pseudonym-key-secret': { type: 'string' },
        region: { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`参数错误 / Bad arguments: ${(error as Error).message}\n`);
    return 2;
  }
  if (!values.table) {
    process.stderr.write('缺少 --table（主表名）/ Missing --table (the main table name)\n');
    return 2;
  }
  const raw = new DynamoDBClient(values.region ? { region: values.region } : {});
  const s3 = new S3Client(values.region ? { region: values.region } : {});
  try {
    // First: the rebuild below reads the stored campaigns.
    const seeded = await seedCampaigns({ client: DynamoDBDocumentClient.from(raw), tableName: values.table, at: new Date() });
    process.stderr.write(`${SEED_CAMPAIGNS}: stored ${seeded.created.join(', ') || 'none'}; already there: ${seeded.existing.join(', ') || 'none'}\n`);
    const report = await backfillCampaignIndexes({
      client: DynamoDBDocumentClient.from(raw),
      tableName: values.table,
      progress: (r) => process.stderr.write(`${BACKFILL_CAMPAIGN_INDEXES}: found ${r.found}, updated ${r.updated}\n`),
    });
    const progressTable = values['progress-table'];
    // Before the rebuild: it reads the campaigns' (sharded) index partitions and writes the sharded totals.
    const sharded = await shardCampaignPartitions({
      client: DynamoDBDocumentClient.from(raw),
      tableName: values.table,
      ...(progressTable ? { progressTable } : {}),
      progress: (r) => process.stderr.write(`${SHARD_CAMPAIGN_PARTITIONS}: found ${r.found}, moved ${r.moved}, totals moved ${r.totalsMoved}\n`),
    });
    if (!progressTable) process.stderr.write(`${BUILD_PROGRESS_READ_MODEL}: 未指定 --progress-table，跳过 / no --progress-table given, skipped\n`);
    // After the backfill: the rebuild reads the campaigns' index partitions.
    const progress = progressTable
      ? await buildProgressReadModel({
          client: DynamoDBDocumentClient.from(raw),
          mainTable: values.table,
          progressTable,
          progress: (r) => process.stderr.write(`${BUILD_PROGRESS_READ_MODEL}: ${r.campaignId}: ${r.units} units, ${r.corrected} corrected, ${r.removed} removed\n`),
        })
      : undefined;
    const mediaBucket = values['media-bucket'];
    if (!mediaBucket) process.stderr.write(`${FREEZE_ACCEPTED_MEDIA}: 未指定 --media-bucket，跳过 / no --media-bucket given, skipped\n`);
    const frozen = mediaBucket
      ? await freezeAcceptedMedia({
          client: DynamoDBDocumentClient.from(raw),
          tableName: values.table,
          objects: new S3ObjectStore(s3),
          bucket: mediaBucket,
          progress: (r) => process.stderr.write(`${FREEZE_ACCEPTED_MEDIA}: found ${r.found}, frozen ${r.frozen}, changed ${r.changed}, gone ${r.gone}\n`),
        })
      : undefined;
    const stripped = mediaBucket
      ? await stripAcceptedPhotos({ client: DynamoDBDocumentClient.from(raw), tableName: values.table, objects: new S3ObjectStore(s3), bucket: mediaBucket })
      : undefined;
    if (stripped) process.stderr.write(`${STRIP_ACCEPTED_PHOTOS}, ${STRIP_ACCEPTED_HEIC_PHOTOS}: found ${stripped.found}, stripped ${stripped.stripped}, clean ${stripped.clean}, skipped ${stripped.skipped}\n`);
    const counted = await countDrafts({ client: DynamoDBDocumentClient.from(raw), tableName: values.table });
    process.stderr.write(`${COUNT_DRAFTS}: ${counted.drafts} drafts in ${counted.units} units\n`);
    const webhookKey = values['webhook-key-secret'];
    if (!webhookKey) process.stderr.write(`${SEAL_WEBHOOK_URLS}: 未指定 --webhook-key-secret，跳过 / no --webhook-key-secret given, skipped\n`);
    // The sealer reads its key as the functions do: the stack's secret (output WebhookKeySecretArn).
    if (webhookKey) process.env[WEBHOOK_KEY_ENV.secretArn] = webhookKey;
    const auditTable = values['audit-table'];
    const sealedUrls = webhookKey
      ? await sealWebhookUrls({ client: DynamoDBDocumentClient.from(raw), tableName: values.table, ...(auditTable ? { auditTableName: auditTable } : {}), sealer: webhookSealer() })
      : undefined;
    if (sealedUrls) process.stderr.write(`${SEAL_WEBHOOK_URLS}: found ${sealedUrls.found}, sealed ${sealedUrls.sealed}, audit entries masked ${sealedUrls.auditMasked}\n`);
    if (!progressTable) process.stderr.write(`${BUILD_PUBLIC_CALENDAR}: 未指定 --progress-table，跳过 / no --progress-table given, skipped\n`);
    const calendar = progressTable ? await buildPublicCalendar({ client: DynamoDBDocumentClient.from(raw), mainTable: values.table, progressTable }) : undefined;
    if (calendar) process.stderr.write(`${BUILD_PUBLIC_CALENDAR}: ${calendar.published} published, ${calendar.removed} removed\n`);
    const pseudonymKey = values['pseudonym-key-secret'];
    if (!pseudonymKey || !auditTable) process.stderr.write(`${BACKFILL_PERSONAL_DATA_LEDGERS}: 未指定 --audit-table 与 --pseudonym-key-secret，跳过 / no --audit-table and --pseudonym-key-secret given, skipped\n`);
    // The hashes are the functions': the stateful stack's secret `PseudonymKey` (ADR 0047), read in the region given.
    if (pseudonymKey) process.env[PSEUDONYM_KEY_ENV.secretArn] = pseudonymKey;
    if (values.region) process.env.AWS_REGION ??= values.region;
    const ledgers =
      pseudonymKey && auditTable
        ? await backfillPersonalDataLedgers({
            client: DynamoDBDocumentClient.from(raw),
            mainTable: values.table,
            auditTable,
            pseudonyms: await stackPseudonyms(),
            progress: (r) => process.stderr.write(`${BACKFILL_PERSONAL_DATA_LEDGERS}: ${r.campaignId}: ${r.items} items, ${r.touched} touched (${r.personTouches} person, ${r.contactTouches} contact)\n`),
          })
        : undefined;
    if (ledgers) process.stderr.write(`${BACKFILL_PERSONAL_DATA_LEDGERS}: ${ledgers.campaigns} campaigns, ${ledgers.items} items, ${ledgers.touched} touched\n`);
    process.stdout.write(
      `${JSON.stringify({
        [SEED_CAMPAIGNS]: seeded,
        [BACKFILL_CAMPAIGN_INDEXES]: report,
        [SHARD_CAMPAIGN_PARTITIONS]: sharded,
        ...(progress ? { [BUILD_PROGRESS_READ_MODEL]: progress } : {}),
        ...(frozen ? { [FREEZE_ACCEPTED_MEDIA]: frozen } : {}),
        ...(stripped ? { [STRIP_ACCEPTED_PHOTOS]: stripped } : {}),
        [COUNT_DRAFTS]: counted,
        ...(sealedUrls ? { [SEAL_WEBHOOK_URLS]: sealedUrls } : {}),
        ...(calendar ? { [BUILD_PUBLIC_CALENDAR]: calendar } : {}),
        ...(ledgers ? { [BACKFILL_PERSONAL_DATA_LEDGERS]: ledgers } : {}),
      })}\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`迁移失败 / The migration failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
    return 1;
  } finally {
    raw.destroy();
    s3.destroy();
  }
}

process.exitCode = await main();
