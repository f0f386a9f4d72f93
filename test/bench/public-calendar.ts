/**
 * The public calendar (ADR 0044): `GET /v1/public/campaigns/{c}/activities?county=&from=&to=` (one
 * county, one week) through the list-public-activities handler (middy, the use case, the read
 * model's Query, the units' names, the view, the ETag) against the bare Query of the same items
 * (the county's partition, the week's key range, the same page size) on the same client.
 *
 * - Set-up (not the measure), in one DynamoDB Local: the main table (the seed campaigns: the handler
 *   reads the campaign there) and the progress table, both made by provisioning; N public entries of
 *   2021-xinxiang over its counties and units, two hours each, spread over ten weeks from 1 September,
 *   as the projector writes them (each county's `#SPAN` too), 25 per BatchWriteItem.
 * - Measured, each sample (after warm-up), alternating which goes first: the handler answering
 *   `?county=hongqi&from=2021-09-13&to=2021-09-19&limit=20` (a full page, a next cursor), and the bare
 *   QueryCommand of `PUB#2021-xinxiang#hongqi` with `sk BETWEEN` the week's bounds and `Limit: 20`.
 *   Both on a client whose middleware counts commands: a Scan fails the bench.
 *
 * Goal: the handler ≤ 1.5× the bare Query. BENCH_PUBLIC_ACTIVITIES (default 10,000; quick 2,000) sets
 * the size; BENCH_RUNS (default 5) × 20 samples per side.
 * Alone: `npx node --import tsx --disable-warning=ExperimentalWarning test/bench/public-calendar.ts`.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local';
import { findCampaign } from '../../shared/campaigns/index';
import { envName } from '../../shared/env-names';
import { seedCampaigns } from '../../shared/migrations/seed-campaigns';
import { keys } from '../../shared/repositories/keys';
import { useCursorKey } from '../../shared/repositories/page';
import { completeActivity } from '../helpers/api';
import { batchWrite, countingClient, createMainTable, CREDENTIALS, describeCounts as describe, freePort, puts, REGION } from './local-dynamo';
import { createProgressTable } from './progress';
import { envCount, median, progress, table, type Row } from './stats';

const CAMPAIGN_ID = '2021-xinxiang';
const COUNTY = 'hongqi';
const WEEK = { from: '2021-09-13', to: '2021-09-19', low: '2021-09-12T16:00:00.000Z', high: '2021-09-19T15:59:59.999Z' } as const;
const LIMIT = 20;
const SAMPLES_PER_RUN = 20;
const TWO_HOURS = 2 * 3_600_000;

/** N entries over the campaign's counties and units, ten weeks from 1 September, as the projector writes them. */
function entries(n: number): Record<string, unknown>[] {
  const campaign = findCampaign(CAMPAIGN_ID);
  if (!campaign) throw new Error(`no campaign ${CAMPAIGN_ID}`);
  const fields = completeActivity();
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i += 1) {
    const unit = campaign.organizations[i % campaign.organizations.length];
    const county = campaign.counties[i % campaign.counties.length]?.id ?? COUNTY;
    // Office hours of 70 days (8:00 to 18:00 Beijing time), spread evenly.
    const starts = new Date(Date.UTC(2021, 7, 31, 16) + Math.floor((i * 70) / n) * 86_400_000 + (i % 11) * 3_600_000);
    const activityId = `bench-pub-${i}`;
    const startsAt = starts.toISOString();
    items.push({
      ...keys.publicEntry(campaign.id, county, startsAt, activityId),
      entity: 'PublicEntry',
      activityId,
      campaignId: campaign.id,
      organizationId: unit?.organizationId ?? 'hongqi-kx',
      title: `${fields.title} ${i}`,
      description: fields.description,
      kind: fields.kind,
      jointAction: fields.jointAction,
      contentThemes: fields.contentThemes,
      format: fields.format,
      startsAt,
      endsAt: new Date(starts.getTime() + TWO_HOURS).toISOString(),
      county,
      venue: fields.venue,
      maxOnSite: fields.maxOnSite,
      audiences: fields.audiences,
      updatedAt: '2021-09-01T00:00:00.000Z',
      version: 2,
    });
  }
  for (const c of campaign.counties) items.push({ ...keys.publicSpan(campaign.id, c.id), entity: 'PublicSpan', maxSpanMs: TWO_HOURS });
  return items;
}

/** An anonymous `GET …/activities?county=hongqi&from=…&to=…&limit=20` as API Gateway hands it to the handler. */
function listEvent(): APIGatewayProxyEventV2 {
  const sample = JSON.parse(readFileSync(join(process.cwd(), 'events/samples/apigw/get-health.json'), 'utf8')) as APIGatewayProxyEventV2;
  const rawPath = `/v1/public/campaigns/${CAMPAIGN_ID}/activities`;
  const routeKey = 'GET /v1/public/campaigns/{campaignId}/activities';
  const query = { county: COUNTY, from: WEEK.from, to: WEEK.to, limit: String(LIMIT) };
  return {
    ...sample,
    routeKey,
    rawPath,
    rawQueryString: new URLSearchParams(query).toString(),
    queryStringParameters: query,
    pathParameters: { campaignId: CAMPAIGN_ID },
    requestContext: { ...sample.requestContext, http: { ...sample.requestContext.http, path: rawPath }, routeKey } as APIGatewayProxyEventV2['requestContext'],
  };
}

const context = { awsRequestId: 'bench', functionName: 'list-public-activities', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export async function publicCalendarRows(work: string, runs: number, activities: number): Promise<Row[]> {
  const dataDir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : work, 'sciday-bench-public-'));
  const ddb = await startDynamoDbLocal({ projectRoot: process.cwd(), dataDir, port: await freePort() });
  const client = countingClient(ddb.endpoint);
  const saved = { ...process.env };
  try {
    const mainTable = await createMainTable(ddb.endpoint, 'bench-public');
    const progressTable = await createProgressTable(ddb.endpoint);
    await seedCampaigns({ client: client.doc, tableName: mainTable, at: new Date('2021-08-01T00:00:00Z') });
    const seedStarted = performance.now();
    await batchWrite(client.doc, progressTable, puts(entries(activities)));
    progress(`public calendar: seeded ${activities.toLocaleString('en-US')} entries in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);
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
    // The cursor key, as a runtime holds its own.
    useCursorKey(Buffer.alloc(32, 7));
    (await import('../../shared/clients/dynamodb')).forgetDynamoDbClients();
    const entry = `${pathToFileURL(resolve('functions/list-public-activities/handler.ts')).href}?bench=public`;
    const { handler } = (await import(entry)) as unknown as { handler: Handler };
    const event = listEvent();

    const get = async () => {
      const t = performance.now();
      const res = await handler(event, context);
      const ms = performance.now() - t;
      const body = JSON.parse(String(res.body)) as { items: Array<{ county: string }>; nextCursor: string | null };
      if (res.statusCode !== 200 || body.items.length !== LIMIT || !body.nextCursor || body.items.some((i) => i.county !== COUNTY)) {
        throw new Error(`public calendar bench: GET answered ${res.statusCode} ${String(res.body).slice(0, 200)}`);
      }
      return ms;
    };
    const bare = async () => {
      const t = performance.now();
      const page = await client.doc.send(
        new QueryCommand({
          TableName: progressTable,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
          ExpressionAttributeValues: { ':pk': keys.publicCalendar(CAMPAIGN_ID, COUNTY), ':lo': WEEK.low, ':hi': `${WEEK.high}#\uffff` },
          Limit: LIMIT,
        }),
      );
      const ms = performance.now() - t;
      if (page.Items?.length !== LIMIT) throw new Error(`public calendar bench: the bare Query saw ${page.Items?.length ?? 0} items`);
      return ms;
    };
    for (let i = 0; i < 20; i += 1) {
      await get();
      await bare();
    }
    const getMs: number[] = [];
    const bareMs: number[] = [];
    let getCommands = new Map<string, number>();
    for (let run = 0; run < runs; run += 1) {
      for (let i = 0; i < SAMPLES_PER_RUN; i += 1) {
        if (i % 2 === 0) bareMs.push(await bare());
        client.take();
        getMs.push(await get());
        getCommands = client.take();
        if (i % 2 === 1) bareMs.push(await bare());
      }
      progress(`public calendar: run ${run + 1}/${runs} (GET median ${median(getMs).toFixed(1)} ms, bare Query median ${median(bareMs).toFixed(1)} ms)`);
    }
    if ([...getCommands.keys()].some((k) => k.startsWith('Scan'))) throw new Error(`public calendar bench: the handler sent a Scan: ${describe(getCommands)}`);
    const label = activities.toLocaleString('en-US');
    const base = `public calendar ${label}: bare Query of one county's week (${LIMIT} items)`;
    return [
      { name: base, unit: 'ms', samples: bareMs },
      {
        name: `public calendar ${label}: GET /v1/public/…/activities?county&from&to through the handler`,
        unit: 'ms',
        samples: getMs,
        baseline: base,
        goal: { maxRatio: 1.5 },
        note: `commands per GET: ${describe(getCommands)} (the county's span is reused for a minute)`,
      },
    ];
  } finally {
    useCursorKey(undefined);
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
    console.log(table(await publicCalendarRows(work, envCount('BENCH_RUNS', 5), envCount('BENCH_PUBLIC_ACTIVITIES', 10_000))));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.exit(0);
}
