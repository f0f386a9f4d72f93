/**
 * GET scores from the read model (ADR 0038): the use case the get-scores handler runs (the units'
 * totals of the progress table, the reviews and extensions, the marked activities) at 10k and at
 * 100k activities, each against the bare Queries of the same items; goals ≤ 50 ms median and the
 * 100k median ≤ 1.5× the 10k one (a row of its own). For reference, at the smaller scale, the
 * recomputation from every item it replaces (ADR 0015, still the export's path) against the bare
 * paged Query loop over the same 8 partitions; and the read model's rebuild time at each scale.
 *
 * - Set-up (not the measure): the main table created by provisioning (its indexes; no stream, see
 *   sweep.ts createMainTable), N activities of 2021-xinxiang spread over its 130 units in the
 *   repositories' item shapes, 25 per BatchWriteItem. Of every 10 activities of a unit: 1 draft,
 *   9 registered (every 9th of those late: a `registration-late` flag), each registered one with
 *   results (1–2 news links) and, every other one, one accepted photo; a work summary for 4 units
 *   in 5; a review for 1 unit in 2, marking its first activity distinctive.
 * - Measured, each run (after one unmeasured warm-up): getScores (read + unitFigures +
 *   scoreCampaign + commendations), then the bare loop (QueryCommand pages of the same
 *   partitions, items counted).
 *   Both on a client whose middleware counts commands: a Scan fails the bench; so does a read
 *   that does not see every seeded item.
 *
 * BENCH_SCORES_ACTIVITIES (default 10,000) and BENCH_SCORES_ACTIVITIES_LARGE (default 100,000) set
 * the scales; BENCH_RUNS (default 5) the recomputation's runs, and × 20 the GET samples per scale.
 * Alone: `npx node --import tsx --disable-warning=ExperimentalWarning test/bench/scores.ts`.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local';
import { campaignCatalog } from '../../shared/campaigns/catalog';
import { findCampaign } from '../../shared/campaigns/index';
import type { ActivityRecord } from '../../shared/domain/activity';
import { DynamoDbExportSource } from '../../shared/export/readers';
import { flagItem } from '../../shared/repositories/activity-repository';
import { keys } from '../../shared/repositories/keys';
import { reviewItem } from '../../shared/repositories/review-repository';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { provision } from '../../infra/local/provision';
import { topology } from '../../infra/topology';
import type { Campaign } from '../../shared/domain/campaign';
import { progressRebuildDeps } from '../../shared/migrations/build-progress-read-model';
import { DynamoDbActivityItems, DynamoDbProgressStore, progressKeys } from '../../shared/repositories/progress-repository';
import { rebuildProgress } from '../../shared/use-cases/rebuild-progress';
import { getScores, recomputeScores, type ScoreReport } from '../../shared/use-cases/scores';
import { completeActivity } from '../helpers/api';
import { envCount, progress, table, type Row } from './stats';
import { activityItems, batchWrite, countingClient, createMainTable, CREDENTIALS, describeCounts as describe, freePort, puts, REGION } from './local-dynamo';

const CAMPAIGN_ID = '2021-xinxiang';
const PAGE_SIZE = 1000;







interface Seeded {
  readonly tableName: string;
  readonly counts: Record<string, number>;
}

/** Seeds activities `from` … `from + count − 1` (and, with `from` 0, the summaries and reviews). */
async function seed(endpoint: string, doc: DynamoDBDocumentClient, count: number, from = 0, table?: string): Promise<Seeded> {
  const campaign = findCampaign(CAMPAIGN_ID);
  if (!campaign) throw new Error(`no campaign ${CAMPAIGN_ID}`);
  const tableName = table ?? (await createMainTable(endpoint, `bench-scores-${count}`));
  const units = campaign.organizations.map((o) => o.organizationId);
  const fields = completeActivity();
  const records: ActivityRecord[] = [];
  const other: Record<string, unknown>[] = [];
  const counts = { activities: 0, results: 0, media: 0, flags: 0, summaries: 0, reviews: 0 };
  const firstOf = new Map<string, string>();
  for (let n = from; n < from + count; n += 1) {
    const u = n % units.length;
    const i = Math.floor(n / units.length);
    const organizationId = units[u] ?? '';
    const activityId = `bench-${u}-${i}`;
    const created = Date.UTC(2021, 8, 1) + i * 60_000 + u * 100;
    const at = (days: number) => new Date(created + days * 86_400_000).toISOString();
    const draft = i % 10 === 0;
    const late = !draft && i % 9 === 0;
    records.push({
      activityId,
      campaignId: campaign.id,
      organizationId,
      status: draft ? 'draft' : 'completed',
      version: draft ? 1 : 3,
      createdAt: at(0),
      createdBy: 'u-bench-scores',
      updatedAt: at(draft ? 0 : 20),
      updatedBy: 'u-bench-scores',
      ...(draft ? {} : { submittedAt: at(late ? 30 : 2), completedAt: at(35) }),
      fields: { ...fields, title: `${fields.title} ${u}-${i}`, county: campaign.counties[u % campaign.counties.length]?.id ?? 'hongqi', coOrganizers: [`协办 ${i % 7}`] },
    });
    counts.activities += 1;
    if (draft) continue;
    firstOf.set(organizationId, firstOf.get(organizationId) ?? activityId);
    other.push({
      ...keys.activityResults(activityId),
      ...keys.resultsIndex(campaign.id, activityId),
      entity: 'Results',
      activityId,
      campaignId: campaign.id,
      organizationId,
      version: 1,
      actualParticipants: 100 + (i % 50),
      newsLinks: Array.from({ length: 1 + (i % 2) }, (_, k) => `https://news.example.cn/${activityId}/${k}`),
      updatedAt: at(20),
      updatedBy: 'u-bench-scores',
    });
    counts.results += 1;
    if (i % 2 === 0) {
      const mediaId = `m-${activityId}`;
      other.push({
        ...keys.mediaOfActivity(activityId, mediaId),
        ...keys.mediaIndex(campaign.id, at(10), mediaId),
        entity: 'Media',
        mediaId,
        subject: { type: 'activity', campaignId: campaign.id, organizationId, activityId },
        kind: 'photo',
        status: 'accepted',
        createdAt: at(10),
      });
      counts.media += 1;
    }
    if (late) {
      other.push(
        flagItem(keys.activityFlag(activityId, 'registration', 'registration-late'), {
          flagId: `f-${activityId}`,
          campaignId: campaign.id,
          organizationId,
          activityId,
          code: 'registration-late',
          milestone: 'registration',
          raisedAt: at(30),
          waived: false,
        }),
      );
      counts.flags += 1;
    }
  }
  units.forEach((organizationId, u) => {
    if (from > 0) return;
    if (u % 5 !== 4) {
      other.push({
        ...keys.summary(campaign.id, organizationId),
        gsi2pk: keys.summariesOfCampaign(campaign.id),
        gsi2sk: organizationId,
        entity: 'Summary',
        campaignId: campaign.id,
        organizationId,
        version: 1,
        text: '工作总结',
        submittedAt: '2021-10-10T00:00:00.000Z',
        updatedAt: '2021-10-10T00:00:00.000Z',
        updatedBy: 'u-bench-scores',
      });
      counts.summaries += 1;
    }
    if (u % 2 === 0) {
      const at = '2021-10-25T00:00:00.000Z';
      other.push(
        reviewItem({
          campaignId: campaign.id,
          organizationId,
          version: 1,
          scores: { mobilization: 50 + (u % 50), publicity: 60, highlights: u % 100, volunteering: 70, online: 80 },
          ...(firstOf.has(organizationId) ? { distinctiveActivityIds: [firstOf.get(organizationId) as string] } : {}),
          reviewedBy: 'rev',
          reviewedAt: at,
          firstReviewedAt: at,
          updatedBy: 'rev',
          updatedAt: at,
        }),
      );
      counts.reviews += 1;
    }
  });
  const started = performance.now();
  await batchWrite(doc, tableName, puts([...(await activityItems(records)), ...other]));
  progress(`scores: seeded ${describeCounts(counts)} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { tableName, counts };
}

const describeCounts = (c: Record<string, number>) =>
  Object.entries(c)
    .map(([k, n]) => `${n.toLocaleString('en-US')} ${k}`)
    .join(', ');

/** Every page of each partition (a table's key or an index's), all at once; answers the items seen. */
async function countAll(doc: DynamoDBDocumentClient, partitions: ReadonlyArray<{ table: string; index?: string; pk: string }>, pageSize?: number): Promise<number> {
  const seen = await Promise.all(
    partitions.map(async ({ table, index, pk }) => {
      let n = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const page = await doc.send(
          new QueryCommand({
            TableName: table,
            ...(index ? { IndexName: index } : {}),
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': index ? `${index}pk` : 'pk' },
            ExpressionAttributeValues: { ':pk': pk },
            ...(pageSize ? { Limit: pageSize } : {}),
            ExclusiveStartKey: start,
          }),
        );
        n += page.Items?.length ?? 0;
        start = page.LastEvaluatedKey;
      } while (start);
      return n;
    }),
  );
  return seen.reduce((s, n) => s + n, 0);
}

/** The bare loop: every page of the same partitions the scores read, all at once; answers the items seen. */
async function bareQueries(doc: DynamoDBDocumentClient, tableName: string): Promise<number> {
  const c = CAMPAIGN_ID;
  const partitions: Array<{ index?: string; pk: string }> = [
    // Every shard of the sharded ones (ADR 0028).
    ...keys.shards('activities', c).map((pk) => ({ index: 'gsi2', pk })),
    ...keys.shards('results', c).map((pk) => ({ index: 'gsi2', pk })),
    ...keys.shards('media', c).map((pk) => ({ index: 'gsi2', pk })),
    ...keys.shards('flags', c).map((pk) => ({ index: 'gsi1', pk })),
    { index: 'gsi2', pk: keys.summariesOfCampaign(c) },
    { pk: keys.organizationsPartition(c) },
    { index: 'gsi2', pk: keys.reviewsOfCampaign(c) },
    { index: 'gsi2', pk: keys.extensionsOfCampaign(c) },
  ];
  return countAll(doc, partitions.map((p) => ({ ...p, table: tableName })), PAGE_SIZE);
}

/** The progress table of the topology (the read model's); its physical name. */
async function createProgressTable(endpoint: string, stage: string): Promise<string> {
  const clients = {
    dynamodb: new DynamoDBClient({ region: REGION, endpoint, credentials: CREDENTIALS }),
    sqs: new SQSClient({ region: REGION, endpoint, credentials: CREDENTIALS }),
    s3: new S3Client({ region: REGION, endpoint, credentials: CREDENTIALS }),
  };
  try {
    const resources = await provision({ ...topology, tables: { progress: topology.tables.progress }, queues: {}, buckets: {} }, stage, clients);
    const name = resources.tables.progress?.name;
    if (!name) throw new Error('provisioning created no progress table');
    return name;
  } finally {
    for (const c of Object.values(clients)) c.destroy();
  }
}

/** The bare reads of what GET scores reads from the read model: every totals shard, the reviews, the extensions. */
async function bareModelQueries(doc: DynamoDBDocumentClient, mainTable: string, progressTable: string): Promise<number> {
  const c = CAMPAIGN_ID;
  const partitions: Array<{ table: string; index?: string; pk: string }> = [
    ...progressKeys.totalsShards(c).map((pk) => ({ table: progressTable, pk })),
    { table: mainTable, index: 'gsi2', pk: keys.reviewsOfCampaign(c) },
    { table: mainTable, index: 'gsi2', pk: keys.extensionsOfCampaign(c) },
  ];
  return countAll(doc, partitions);
}

/**
 * Rows: GET scores from the read model (ADR 0038) at `activities` and again at `large` activities
 * (goal ≤ 50 ms median, and the larger ≤ 1.5× the smaller), each against the bare Queries of the
 * same items; the read model's rebuild from the table (what `npm start` runs once); and, at the
 * smaller scale, the recomputation from every item (ADR 0015, what the export still does) against
 * the bare paged Query loop over the same partitions.
 */
export async function scoresRows(work: string, runs: number, activities: number, large = activities * 10): Promise<Row[]> {
  const dataDir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : work, 'sciday-bench-scores-'));
  const ddb = await startDynamoDbLocal({ projectRoot: process.cwd(), dataDir, port: await freePort() });
  const client = countingClient(ddb.endpoint);
  const rows: Row[] = [];
  try {
    const campaign = findCampaign(CAMPAIGN_ID) as Campaign;
    const seeded = await seed(ddb.endpoint, client.doc, activities);
    const progressTable = await createProgressTable(ddb.endpoint, `bench-scores-${activities}`);
    const main = { client: client.doc, tableName: seeded.tableName };
    const principal = { sub: 'bench', orgId: 'city-kx', roles: new Set(['reviewer'] as const), city: 'xinxiang' };
    const modelDeps = {
      campaigns: campaignCatalog,
      model: new DynamoDbProgressStore({ client: client.doc, tableName: progressTable }),
      source: new DynamoDbExportSource({ ...main, pageSize: PAGE_SIZE }),
      activities: new DynamoDbActivityItems(main),
    };
    // The campaign from its definition (the bench table holds no stored campaigns).
    const rebuildDeps = { ...progressRebuildDeps({ client: client.doc, mainTable: seeded.tableName, progressTable }), campaigns: campaignCatalog };

    // The recomputation (the former GET, ADR 0015) at the smaller scale, for reference.
    const expected = Object.values(seeded.counts).reduce((s, n) => s + n, 0);
    const recomputedMs: number[] = [];
    const recomputeBareMs: number[] = [];
    let recomputed: ScoreReport | undefined;
    for (let run = 0; run <= runs; run += 1) {
      const t0 = performance.now();
      recomputed = await recomputeScores(campaign, new DynamoDbExportSource({ ...main, pageSize: PAGE_SIZE }));
      const ms = performance.now() - t0;
      const t1 = performance.now();
      const bare = await bareQueries(client.doc, seeded.tableName);
      if (bare !== expected) throw new Error(`scores bench: the bare loop saw ${bare} items, ${expected} were seeded`);
      if (run > 0) {
        recomputedMs.push(ms);
        recomputeBareMs.push(performance.now() - t1);
      }
    }
    const recomputeBase = `scores ${activities.toLocaleString('en-US')}: bare paged Query loop over the 8 partitions the recomputation reads`;
    rows.push(
      { name: recomputeBase, unit: 'ms', samples: recomputeBareMs, note: `${expected.toLocaleString('en-US')} items (${describeCounts(seeded.counts)})` },
      { name: `scores ${activities.toLocaleString('en-US')}: recomputed from every item (ADR 0015; the export's path)`, unit: 'ms', samples: recomputedMs, baseline: recomputeBase },
    );

    const scale = async (n: number): Promise<void> => {
      client.take();
      const t0 = performance.now();
      const report = await rebuildProgress({ campaignId: CAMPAIGN_ID }, rebuildDeps);
      const rebuildMs = performance.now() - t0;
      progress(`scores: read model rebuilt over ${n.toLocaleString('en-US')} activities in ${(rebuildMs / 1000).toFixed(1)} s (${report.corrected} contributions)`);
      const getMs: number[] = [];
      const bareMs: number[] = [];
      let commands = new Map<string, number>();
      let answer: ScoreReport | undefined;
      for (let i = 0; i < runs * 20 + 5; i += 1) {
        const first = i % 2 === 0;
        for (const side of first ? (['get', 'bare'] as const) : (['bare', 'get'] as const)) {
          client.take();
          const t = performance.now();
          if (side === 'get') answer = (await getScores({ principal, campaignId: CAMPAIGN_ID }, modelDeps)).report;
          else await bareModelQueries(client.doc, seeded.tableName, progressTable);
          const ms = performance.now() - t;
          if (side === 'get') commands = client.take();
          if (i >= 5) (side === 'get' ? getMs : bareMs).push(ms);
        }
      }
      if ([...commands.keys()].some((k) => k.startsWith('Scan'))) throw new Error(`scores bench: a Scan was sent: ${describe(commands)}`);
      if (answer?.scores.units.length !== 130) throw new Error(`scores bench: ${answer?.scores.units.length} units`);
      // The read model answers what the recomputation answers (the property test's claim, at scale).
      if (n === activities && JSON.stringify(answer.scores) !== JSON.stringify(recomputed?.scores)) throw new Error('scores bench: the read model and the recomputation differ');
      const base = `scores ${n.toLocaleString('en-US')}: bare Queries of the same items (32 totals shards, reviews, extensions)`;
      rows.push(
        { name: base, unit: 'ms', samples: bareMs },
        {
          name: `scores ${n.toLocaleString('en-US')}: GET scores from the read model (getScores), 130 units`,
          unit: 'ms',
          samples: getMs,
          baseline: base,
          goal: { maxMedian: 50 },
          note: `items read ${describeCounts(answer.read)}; commands ${describe(commands)}; Scan 0; rebuild ${(rebuildMs / 1000).toFixed(1)} s`,
          data: { rebuildMs, commands: Object.fromEntries(commands) },
        },
      );
    };
    await scale(activities);
    if (large > activities) {
      await seed(ddb.endpoint, client.doc, large - activities, activities, seeded.tableName);
      await scale(large);
      // Flat: the larger scale's GET against the smaller's (a row of its own, so that its goal fails it).
      const [smaller, larger] = rows.filter((r) => r.name.includes('GET scores from the read model'));
      if (smaller && larger) {
        rows.push({ name: `scores: GET at ${large.toLocaleString('en-US')} activities against GET at ${activities.toLocaleString('en-US')} (flat)`, unit: 'ms', samples: larger.samples, baseline: smaller.name, goal: { maxRatio: 1.5 } });
      }
    }
    return rows;
  } finally {
    client.destroy();
    await ddb.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// Alone: just these rows.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const work = mkdtempSync(join(tmpdir(), 'sciday-bench-'));
  try {
    console.log(table(await scoresRows(work, envCount('BENCH_RUNS', 5), envCount('BENCH_SCORES_ACTIVITIES', 10_000), envCount('BENCH_SCORES_ACTIVITIES_LARGE', 100_000))));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.exit(0);
}
