/**
 * GET …/progress from the read model (ADR 0021) through the get-progress handler (middy, the use
 * case and its one Query of the totals, the view, JSON) against the bare Query of the same
 * read-model items (the campaign's totals partition, 130 items) on the same client, at 10k
 * activities and again at 100k: the answer must not grow with the activities.
 *
 * - Set-up (not the measure), in one DynamoDB Local: the main table (its indexes, no stream: see
 *   local-dynamo.ts) and the progress table, both made by provisioning; the seed campaigns stored
 *   in the main table (the handler and the rebuild read them there); N activities of
 *   2021-xinxiang over its 130 units in the repositories' item shapes, 25 per BatchWriteItem. Of
 *   every 10 activities of a unit: 1 draft, 4 registered, 5 completed with results (every 9th
 *   registered one with a `registration-late` flag, every 20th completed one `results-late`, every
 *   third flag waived); a work summary for 4 units in 5. Then the read model is built from the
 *   table with rebuildProgress, as the migration does: its time is reported (it is not a request).
 *   The larger scale tops the same tables up to 100k and rebuilds again.
 * - Measured, each sample (after warm-up), alternating which goes first: the handler answering
 *   `GET /v1/campaigns/2021-xinxiang/progress?limit=100` (a reviewer's claims; 100 units, a next
 *   cursor), and the bare QueryCommand of the totals partition (every page; 130 items). Both on a
 *   client whose middleware counts commands: a Scan fails the bench, and so do counts that are
 *   not what was seeded.
 *
 * Goals: the handler ≤ 1.5× the bare Query at each scale; at 100k ≤ 1.5× what it is at 10k.
 * BENCH_PROGRESS_ACTIVITIES (default 10,000) and BENCH_PROGRESS_ACTIVITIES_LARGE (default 100,000)
 * set the scales; BENCH_RUNS (default 5) × 20 samples per side and scale.
 * Alone: `npx node --import tsx --disable-warning=ExperimentalWarning test/bench/progress.ts`.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local';
import { provision } from '../../infra/local/provision';
import { topology } from '../../infra/topology';
import { envName } from '../../shared/env-names';
import { findCampaign } from '../../shared/campaigns/index';
import type { ActivityRecord } from '../../shared/domain/activity';
import { progressRebuildDeps } from '../../shared/migrations/build-progress-read-model';
import { seedCampaigns } from '../../shared/migrations/seed-campaigns';
import { flagItem } from '../../shared/repositories/activity-repository';
import { keys } from '../../shared/repositories/keys';
import { progressKeys } from '../../shared/repositories/progress-repository';
import { rebuildProgress, type RebuildReport } from '../../shared/use-cases/rebuild-progress';
import { completeActivity } from '../helpers/api';
import { activityItems, batchWrite, countingClient, createMainTable, CREDENTIALS, describeCounts as describe, freePort, puts, REGION } from './local-dynamo';
import { envCount, median, progress, table, type Row } from './stats';

const CAMPAIGN_ID = '2021-xinxiang';
const STAGE = 'bench-progress';
const SAMPLES_PER_RUN = 20;
const LIMIT = 100;

/** The progress table of the topology, made by provisioning; its physical name. */
export async function createProgressTable(endpoint: string): Promise<string> {
  const clients = {
    dynamodb: new DynamoDBClient({ region: REGION, endpoint, credentials: CREDENTIALS }),
    sqs: new SQSClient({ region: REGION, endpoint, credentials: CREDENTIALS }),
    s3: new S3Client({ region: REGION, endpoint, credentials: CREDENTIALS }),
  };
  try {
    const resources = await provision({ ...topology, tables: { progress: topology.tables.progress }, queues: {}, buckets: {} }, STAGE, clients);
    const name = resources.tables.progress?.name;
    if (!name) throw new Error('provisioning created no progress table');
    return name;
  } finally {
    for (const c of Object.values(clients)) c.destroy();
  }
}

/** What the seeded items imply, summed over the units (checked against the read model). */
interface Expected {
  activities: number;
  registered: number;
  resultsComplete: number;
  registeredLate: number;
  flags: number;
  summaries: number;
}

/** Activities `from`..`to` − 1 (and their results and flags; the summaries once), as the repositories write them. */
async function seed(doc: DynamoDBDocumentClient, tableName: string, from: number, to: number, expected: Expected): Promise<number> {
  const campaign = findCampaign(CAMPAIGN_ID);
  if (!campaign) throw new Error(`no campaign ${CAMPAIGN_ID}`);
  const units = campaign.organizations.map((o) => o.organizationId);
  const fields = completeActivity();
  const records: ActivityRecord[] = [];
  const other: Record<string, unknown>[] = [];
  let flagN = 0;
  const flag = (activityId: string, organizationId: string, code: 'registration-late' | 'results-late', milestone: 'registration' | 'completion', raisedAt: string) => {
    flagN += 1;
    expected.flags += 1;
    other.push(
      flagItem(keys.activityFlag(activityId, milestone, code), {
        flagId: `f-${code}-${activityId}`,
        campaignId: campaign.id,
        organizationId,
        activityId,
        code,
        milestone,
        raisedAt,
        waived: flagN % 3 === 0,
      }),
    );
  };
  for (let n = from; n < to; n += 1) {
    const u = n % units.length;
    const i = Math.floor(n / units.length);
    const organizationId = units[u] ?? '';
    const activityId = `bench-${u}-${i}`;
    const created = Date.UTC(2021, 8, 1) + (i % 1000) * 60_000 + u * 100;
    const at = (days: number) => new Date(created + days * 86_400_000).toISOString();
    const kind = i % 10 === 0 ? 'draft' : i % 10 < 5 ? 'registered' : 'completed';
    const late = kind !== 'draft' && i % 9 === 0;
    records.push({
      activityId,
      campaignId: campaign.id,
      organizationId,
      status: kind,
      version: kind === 'draft' ? 1 : 3,
      createdAt: at(0),
      createdBy: 'u-bench-progress',
      updatedAt: at(kind === 'draft' ? 0 : 20),
      updatedBy: 'u-bench-progress',
      ...(kind === 'draft' ? {} : { submittedAt: at(late ? 30 : 2) }),
      ...(kind === 'completed' ? { completedAt: at(20) } : {}),
      fields: { ...fields, title: `${fields.title} ${u}-${i}`, county: campaign.counties[u % campaign.counties.length]?.id ?? 'hongqi' },
    });
    expected.activities += 1;
    if (kind !== 'draft') expected.registered += 1;
    if (late) {
      flag(activityId, organizationId, 'registration-late', 'registration', at(30));
      expected.registeredLate += 1;
    }
    if (kind !== 'completed') continue;
    expected.resultsComplete += 1;
    other.push({
      ...keys.activityResults(activityId),
      ...keys.resultsIndex(campaign.id, activityId),
      entity: 'Results',
      activityId,
      campaignId: campaign.id,
      organizationId,
      version: 1,
      actualParticipants: 100 + (i % 50),
      newsLinks: [`https://news.example.cn/${activityId}`],
      updatedAt: at(20),
      updatedBy: 'u-bench-progress',
    });
    if (i % 20 === 5) flag(activityId, organizationId, 'results-late', 'completion', at(55));
  }
  if (from === 0) {
    units.forEach((organizationId, u) => {
      if (u % 5 === 4) return;
      other.push({
        ...keys.summary(campaign.id, organizationId),
        ...keys.summaryIndex(campaign.id, organizationId),
        entity: 'Summary',
        campaignId: campaign.id,
        organizationId,
        version: 1,
        text: '科普日工作总结：组织了多场活动。',
        submittedAt: '2021-10-10T00:00:00.000Z',
        updatedAt: '2021-10-10T00:00:00.000Z',
        updatedBy: 'u-bench-progress',
      });
      expected.summaries += 1;
    });
  }
  const started = performance.now();
  await batchWrite(doc, tableName, puts([...(await activityItems(records)), ...other]));
  return performance.now() - started;
}

/** A reviewer's `GET …/progress?limit=100` as API Gateway's JWT authorizer hands it to the handler. */
function progressEvent(): APIGatewayProxyEventV2 {
  const sample = JSON.parse(readFileSync(join(process.cwd(), 'events/samples/apigw/get-health.json'), 'utf8')) as APIGatewayProxyEventV2;
  const rawPath = `/v1/campaigns/${CAMPAIGN_ID}/progress`;
  const routeKey = 'GET /v1/campaigns/{campaignId}/progress';
  return {
    ...sample,
    routeKey,
    rawPath,
    rawQueryString: `limit=${LIMIT}`,
    queryStringParameters: { limit: String(LIMIT) },
    pathParameters: { campaignId: CAMPAIGN_ID },
    requestContext: {
      ...sample.requestContext,
      http: { ...sample.requestContext.http, path: rawPath },
      routeKey,
      authorizer: { jwt: { claims: { sub: 'u-bench-reviewer', orgId: 'xinxiang-kx', roles: '[reviewer]' }, scopes: [] } },
    } as APIGatewayProxyEventV2['requestContext'],
  };
}

const context = { awsRequestId: 'bench', functionName: 'get-progress', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

interface Scale {
  readonly activities: number;
  readonly seedMs: number;
  readonly rebuildMs: number;
  readonly report: RebuildReport;
  readonly getMs: number[];
  readonly bareMs: number[];
  readonly rebuildCommands: Map<string, number>;
  readonly bareCommands: Map<string, number>;
}

export async function progressRows(work: string, runs: number, activities: number, largeActivities: number): Promise<Row[]> {
  const dataDir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : work, 'sciday-bench-progress-'));
  const ddb = await startDynamoDbLocal({ projectRoot: process.cwd(), dataDir, port: await freePort() });
  const client = countingClient(ddb.endpoint);
  const saved = { ...process.env };
  try {
    const mainTable = await createMainTable(ddb.endpoint, STAGE);
    const progressTable = await createProgressTable(ddb.endpoint);
    // The campaign as the first start stores it (ADR 0023): the rebuild and the handler read it from the main table.
    await seedCampaigns({ client: client.doc, tableName: mainTable, at: new Date('2021-08-01T00:00:00Z') });
    // The handler reads its configuration once, at import: these tables on this DynamoDB Local.
    Object.assign(process.env, {
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: ddb.endpoint,
      [envName.table('main')]: mainTable,
      [envName.table('progress')]: progressTable,
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    // An earlier group of the same bench (the in-process runtime) may have loaded this handler and made
    // the handlers' client for its own DynamoDB Local: a module instance of its own, a client anew.
    (await import('../../shared/clients/dynamodb')).forgetDynamoDbClients();
    const entry = `${pathToFileURL(resolve('functions/get-progress/handler.ts')).href}?bench=progress`;
    const { handler } = (await import(entry)) as unknown as { handler: Handler };
    const event = progressEvent();
    const deps = progressRebuildDeps({ client: client.doc, mainTable, progressTable });
    const expected: Expected = { activities: 0, registered: 0, resultsComplete: 0, registeredLate: 0, flags: 0, summaries: 0 };

    const measure = async (n: number, from: number): Promise<Scale> => {
      const seedMs = await seed(client.doc, mainTable, from, n, expected);
      progress(`progress: seeded ${n.toLocaleString('en-US')} activities (${expected.flags.toLocaleString('en-US')} flags) in ${(seedMs / 1000).toFixed(1)} s`);
      client.take();
      const t0 = performance.now();
      const report = await rebuildProgress({ campaignId: CAMPAIGN_ID }, deps);
      const rebuildMs = performance.now() - t0;
      const rebuildCommands = client.take();
      if ([...rebuildCommands.keys()].some((k) => k.startsWith('Scan'))) throw new Error(`progress bench: the rebuild sent a Scan: ${describe(rebuildCommands)}`);
      progress(`progress: rebuilt the read model of ${n.toLocaleString('en-US')} activities in ${(rebuildMs / 1000).toFixed(1)} s (${report.corrected} contributions written)`);
      // The read model says what was seeded.
      const totals = await deps.progress.campaignTotals(CAMPAIGN_ID);
      const sum = (name: 'draft' | 'registered' | 'resultsComplete' | 'registeredLate' | 'summarySubmitted' | 'flagsOpen' | 'flagsWaived') => totals.reduce((s, t) => s + t.counters[name], 0);
      const seen = {
        activities: sum('draft') + sum('registered'),
        registered: sum('registered'),
        resultsComplete: sum('resultsComplete'),
        registeredLate: sum('registeredLate'),
        flags: sum('flagsOpen') + sum('flagsWaived'),
        summaries: sum('summarySubmitted'),
      };
      if (totals.length !== 130 || JSON.stringify(seen) !== JSON.stringify(expected)) {
        throw new Error(`progress bench: the read model counts ${JSON.stringify(seen)} over ${totals.length} units, ${JSON.stringify(expected)} were seeded`);
      }
      const get = async () => {
        const t = performance.now();
        const res = await handler(event, context);
        const ms = performance.now() - t;
        const body = JSON.parse(String(res.body)) as { items: unknown[]; nextCursor: string | null };
        if (res.statusCode !== 200 || body.items.length !== LIMIT || !body.nextCursor) throw new Error(`progress bench: GET answered ${res.statusCode} ${String(res.body).slice(0, 200)}`);
        return ms;
      };
      const bare = async () => {
        const t = performance.now();
        let items = 0;
        // Every shard of the totals at once (ADR 0028), as the handler reads them.
        await Promise.all(
          progressKeys.totalsShards(CAMPAIGN_ID).map(async (pk) => {
            let start: Record<string, unknown> | undefined;
            do {
              const page = await client.doc.send(
                new QueryCommand({ TableName: progressTable, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ExclusiveStartKey: start }),
              );
              items += page.Items?.length ?? 0;
              start = page.LastEvaluatedKey;
            } while (start);
          }),
        );
        const ms = performance.now() - t;
        if (items !== 130) throw new Error(`progress bench: the bare Query saw ${items} totals items`);
        return ms;
      };
      // Warm-up: the handler's first calls (its clients, the campaign's schemas), the JIT.
      for (let i = 0; i < 20; i += 1) {
        await get();
        await bare();
      }
      const getMs: number[] = [];
      const bareMs: number[] = [];
      let bareCommands = new Map<string, number>();
      for (let run = 0; run < runs; run += 1) {
        for (let i = 0; i < SAMPLES_PER_RUN; i += 1) {
          // Alternate which side goes first.
          if (i % 2 === 0) getMs.push(await get());
          client.take();
          bareMs.push(await bare());
          bareCommands = client.take();
          if (i % 2 === 1) getMs.push(await get());
        }
        progress(`progress ${n.toLocaleString('en-US')}: run ${run + 1}/${runs} (GET median ${median(getMs).toFixed(1)} ms, bare Query median ${median(bareMs).toFixed(1)} ms)`);
      }
      return { activities: n, seedMs, rebuildMs, rebuildCommands, report, getMs, bareMs, bareCommands };
    };

    const label = (n: number) => n.toLocaleString('en-US');
    const rows = (s: Scale): Row[] => {
      const base = `progress ${label(s.activities)}: bare Query of the campaign's totals partition (130 items)`;
      return [
        { name: base, unit: 'ms', samples: s.bareMs, note: `commands: ${describe(s.bareCommands)} (the handler sends the same one Query)` },
        {
          name: `progress ${label(s.activities)}: GET …/progress?limit=100 through the get-progress handler, 130 units`,
          unit: 'ms',
          samples: s.getMs,
          baseline: base,
          goal: { maxRatio: 1.5 },
          note: `read model rebuilt from the table in ${(s.rebuildMs / 1000).toFixed(1)} s (${label(s.report.subjects)} subjects, ${label(s.report.corrected)} contributions written; seeding took ${(s.seedMs / 1000).toFixed(1)} s)`,
          data: { rebuildMs: s.rebuildMs, seedMs: s.seedMs, report: s.report },
        },
      ];
    };
    const getName = (s: Scale) => `progress ${label(s.activities)}: GET …/progress?limit=100 through the get-progress handler, 130 units`;
    const small = await measure(activities, 0);
    const rebuildRow = (s: Scale): Row => ({ name: `progress ${label(s.activities)}: rebuildProgress from the table (the migration)`, unit: 'ms', samples: [s.rebuildMs], note: `${label(s.report.subjects)} subjects read, ${label(s.report.corrected)} contributions written, ${s.report.totalsReset} totals set; commands ${describe(s.rebuildCommands)}` });
    // One scale only (a quick run): no flatness row.
    if (largeActivities <= activities) return [...rows(small), rebuildRow(small)];
    const large = await measure(largeActivities, activities);
    return [
      ...rows(small),
      rebuildRow(small),
      ...rows(large),
      { name: `progress ${label(large.activities)}: rebuildProgress from the table (the migration)`, unit: 'ms', samples: [large.rebuildMs], note: `after a top-up of ${label(large.activities - small.activities)} activities: ${label(large.report.subjects)} subjects read, ${label(large.report.corrected)} contributions written; commands ${describe(large.rebuildCommands)}` },
      {
        name: `progress: GET at ${label(large.activities)} against at ${label(small.activities)} activities`,
        unit: 'ms',
        samples: large.getMs,
        baseline: getName(small),
        goal: { maxRatio: 1.5 },
        note: 'the answer reads 130 totals items whatever the number of activities',
      },
    ];
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    client.destroy();
    await ddb.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// Alone: just these rows.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const work = mkdtempSync(join(tmpdir(), 'sciday-bench-'));
  try {
    console.log(
      table(await progressRows(work, envCount('BENCH_RUNS', 5), envCount('BENCH_PROGRESS_ACTIVITIES', 10_000), envCount('BENCH_PROGRESS_ACTIVITIES_LARGE', 100_000))),
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.exit(0);
}
