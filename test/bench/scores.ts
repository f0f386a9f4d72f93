/**
 * GET scores recomputed on read: the use case the get-scores handler runs (getScores over
 * DynamoDbExportSource, pages of 1,000, every partition read at once) against the bare paged
 * Query loop over the same partitions on the same client (what reading alone costs), in one
 * DynamoDB Local.
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
 * BENCH_SCORES_ACTIVITIES (default 10,000) sets N; BENCH_RUNS (default 5) the measured runs.
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
import { getScores } from '../../shared/use-cases/scores';
import { completeActivity } from '../helpers/api';
import { envCount, median, progress, table, type Row } from './stats';
import { activityItems, batchWrite, countingClient, createMainTable, describeCounts as describe, freePort, puts } from './local-dynamo';

const CAMPAIGN_ID = '2021-xinxiang';
const PAGE_SIZE = 1000;







interface Seeded {
  readonly tableName: string;
  readonly counts: Record<string, number>;
}

async function seed(endpoint: string, doc: DynamoDBDocumentClient, count: number): Promise<Seeded> {
  const campaign = findCampaign(CAMPAIGN_ID);
  if (!campaign) throw new Error(`no campaign ${CAMPAIGN_ID}`);
  const tableName = await createMainTable(endpoint, `bench-scores-${count}`);
  const units = campaign.organizations.map((o) => o.organizationId);
  const fields = completeActivity();
  const records: ActivityRecord[] = [];
  const other: Record<string, unknown>[] = [];
  const counts = { activities: 0, results: 0, media: 0, flags: 0, summaries: 0, reviews: 0 };
  const firstOf = new Map<string, string>();
  for (let n = 0; n < count; n += 1) {
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
  const seen = await Promise.all(
    partitions.map(async ({ index, pk }) => {
      let n = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const page = await doc.send(
          new QueryCommand({
            TableName: tableName,
            ...(index ? { IndexName: index } : {}),
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': index ? `${index}pk` : 'pk' },
            ExpressionAttributeValues: { ':pk': pk },
            Limit: PAGE_SIZE,
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

export async function scoresRows(work: string, runs: number, activities: number): Promise<Row[]> {
  const dataDir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : work, 'sciday-bench-scores-'));
  const ddb = await startDynamoDbLocal({ projectRoot: process.cwd(), dataDir, port: await freePort() });
  const client = countingClient(ddb.endpoint);
  try {
    const seeded = await seed(ddb.endpoint, client.doc, activities);
    const expected = Object.values(seeded.counts).reduce((s, n) => s + n, 0);
    const deps = {
      campaigns: campaignCatalog,
      source: new DynamoDbExportSource({ client: client.doc, tableName: seeded.tableName, pageSize: PAGE_SIZE }),
    };
    const principal = { sub: 'bench', orgId: 'city-kx', roles: new Set(['reviewer'] as const), city: 'xinxiang' };
    const scoresMs: number[] = [];
    const readMs: number[] = [];
    const computeMs: number[] = [];
    const bareMs: number[] = [];
    let scoreCommands = new Map<string, number>();
    let bareCommands = new Map<string, number>();
    const once = async (measure: boolean) => {
      client.take();
      const t0 = performance.now();
      const { report, timings } = await getScores({ principal, campaignId: CAMPAIGN_ID }, deps);
      const ms = performance.now() - t0;
      scoreCommands = client.take();
      const read = Object.values(report.read).reduce((s, n) => s + n, 0);
      if (report.read.activities !== seeded.counts.activities || report.scores.units.length !== 130) {
        throw new Error(`scores bench: read ${describeCounts(report.read)}, ${report.scores.units.length} units`);
      }
      const t1 = performance.now();
      const bare = await bareQueries(client.doc, seeded.tableName);
      const bms = performance.now() - t1;
      bareCommands = client.take();
      if (bare !== expected) throw new Error(`scores bench: the bare loop saw ${bare} items, ${expected} were seeded (scores read ${read})`);
      for (const counts of [scoreCommands, bareCommands]) {
        if ([...counts.keys()].some((k) => k.startsWith('Scan'))) throw new Error(`scores bench: a Scan was sent: ${describe(counts)}`);
      }
      if (measure) {
        scoresMs.push(ms);
        readMs.push(timings.readMs);
        computeMs.push(timings.scoreMs);
        bareMs.push(bms);
      }
    };
    await once(false);
    for (let run = 0; run < runs; run += 1) {
      await once(true);
      progress(`scores: run ${run + 1}/${runs} (GET scores ${scoresMs.at(-1)?.toFixed(0)} ms, bare Queries ${bareMs.at(-1)?.toFixed(0)} ms)`);
    }
    const base = `scores ${activities.toLocaleString('en-US')}: bare paged Query loop over the same 8 partitions`;
    const name = `scores ${activities.toLocaleString('en-US')}: getScores (read + figures + scoreCampaign + commendations), 130 units`;
    return [
      {
        name: base,
        unit: 'ms',
        samples: bareMs,
        note: `${expected.toLocaleString('en-US')} items (${describeCounts(seeded.counts)}); commands ${describe(bareCommands)}`,
      },
      {
        name,
        unit: 'ms',
        samples: scoresMs,
        baseline: base,
        note: `read median ${median(readMs).toFixed(0)} ms, scoring median ${median(computeMs).toFixed(0)} ms; commands ${describe(scoreCommands)}; Scan 0`,
        data: { readMs, scoreMs: computeMs, commands: Object.fromEntries(scoreCommands) },
      },
    ];
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
    console.log(table(await scoresRows(work, envCount('BENCH_RUNS', 5), envCount('BENCH_SCORES_ACTIVITIES', 10_000))));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.exit(0);
}
