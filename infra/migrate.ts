/**
 * `npm run -s migrate -- --table <main table name> [--progress-table <progress table name>] [--media-bucket <media bucket name>] [--region <region>]`: runs the data migrations
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
import { FREEZE_ACCEPTED_MEDIA, freezeAcceptedMedia } from '../shared/migrations/freeze-accepted-media';
import { S3ObjectStore } from '../shared/repositories/object-store';
import { BACKFILL_CAMPAIGN_INDEXES, backfillCampaignIndexes } from '../shared/migrations/backfill-campaign-indexes';
import { BUILD_PROGRESS_READ_MODEL, buildProgressReadModel } from '../shared/migrations/build-progress-read-model';
import { SEED_CAMPAIGNS, seedCampaigns } from '../shared/migrations/seed-campaigns';
import { SHARD_CAMPAIGN_PARTITIONS, shardCampaignPartitions } from '../shared/migrations/shard-campaign-partitions';

async function main(): Promise<number> {
  let values: { table?: string; 'progress-table'?: string; 'media-bucket'?: string; region?: string };
  try {
    ({ values } = parseArgs({
      options: { table: { type: 'string' }, 'progress-table': { type: 'string' }, 'media-bucket': { type: 'string' }, region: { type: 'string' } },
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
    const counted = await countDrafts({ client: DynamoDBDocumentClient.from(raw), tableName: values.table });
    process.stderr.write(`${COUNT_DRAFTS}: ${counted.drafts} drafts in ${counted.units} units\n`);
    if (!progressTable) process.stderr.write(`${BUILD_PUBLIC_CALENDAR}: 未指定 --progress-table，跳过 / no --progress-table given, skipped\n`);
    const calendar = progressTable ? await buildPublicCalendar({ client: DynamoDBDocumentClient.from(raw), mainTable: values.table, progressTable }) : undefined;
    if (calendar) process.stderr.write(`${BUILD_PUBLIC_CALENDAR}: ${calendar.published} published, ${calendar.removed} removed\n`);
    process.stdout.write(
      `${JSON.stringify({
        [SEED_CAMPAIGNS]: seeded,
        [BACKFILL_CAMPAIGN_INDEXES]: report,
        [SHARD_CAMPAIGN_PARTITIONS]: sharded,
        ...(progress ? { [BUILD_PROGRESS_READ_MODEL]: progress } : {}),
        ...(frozen ? { [FREEZE_ACCEPTED_MEDIA]: frozen } : {}),
        [COUNT_DRAFTS]: counted,
        ...(calendar ? { [BUILD_PUBLIC_CALENDAR]: calendar } : {}),
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
