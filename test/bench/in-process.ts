/**
 * Measures inside one local runtime (one process, handlers loaded in it):
 *
 * - GET /health through the gateway (HTTP + API Gateway v2 event) against a bare node:http server
 *   invoking the same handler (goal ≤ 1.1×), and the handler called directly for reference.
 * - create + submit of an activity through the real handler modules (middy, Powertools,
 *   zod, the use cases and repositories) against the same DynamoDB calls made bare with the
 *   SDK on the same DynamoDB Local. Pairs alternate which side goes first.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime';
import { keys } from '../../shared/repositories/keys';
import { completeActivity } from '../helpers/api';
import { median, progress, type Row } from './stats';

const CAMPAIGN = '2021-xinxiang';
const ORG = 'hongqi-kx';
const SUB = 'u-bench-hongqi';
/** What API Gateway's JWT authorizer hands the handler (array claims flattened to `[a b]`). */
const CLAIMS = { sub: SUB, orgId: ORG, roles: '[organizer]' };

type Sample = APIGatewayProxyEventV2;

/** A real-shaped API Gateway v2 event: the shape of events/samples/apigw/get-health.json. */
function apiEvent(
  sample: Sample,
  now: Date,
  method: string,
  routePath: string,
  rawPath: string,
  pathParameters: Record<string, string>,
  body?: unknown,
): APIGatewayProxyEventV2 {
  const routeKey = `${method} ${routePath}`;
  return {
    ...sample,
    routeKey,
    rawPath,
    rawQueryString: '',
    headers: { ...sample.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    pathParameters,
    requestContext: {
      ...sample.requestContext,
      http: { ...sample.requestContext.http, method, path: rawPath },
      requestId: randomUUID(),
      routeKey,
      authorizer: { jwt: { claims: CLAIMS, scopes: [] } },
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    } as APIGatewayProxyEventV2['requestContext'],
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    isBase64Encoded: false,
  };
}

/**
 * GET /health three ways, interleaved: the handler invoked directly (no HTTP); a bare node:http
 * server that invokes the same handler with one prebuilt event (HTTP, no gateway); the gateway.
 * The handler answers from its 10 s cache (ADR 0033), so invoking it costs about 0.03 ms and any
 * HTTP round trip (fetch, a socket, parsing) is many times that: the gateway is held to the bare
 * HTTP server (goal ≤ 1.1×), which measures what the gateway itself adds (the boundary, routing,
 * the API Gateway event, the answer's mapping).
 */
async function healthRows(runtime: LocalRuntime, sample: Sample, requests: number): Promise<Row[]> {
  const bare = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      void runtime.host.invoke('get-health', sample).then(({ value }) => {
        const result = value as APIGatewayProxyStructuredResultV2;
        const body = Buffer.from(result.body ?? '');
        res.writeHead(result.statusCode ?? 200, { ...(result.headers as Record<string, string>), 'content-length': String(body.length) });
        res.end(body);
      });
    });
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', () => resolve()));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/health`;
  try {
    const sides = {
      direct: async () => {
        await runtime.host.invoke('get-health', sample);
      },
      bare: async () => {
        await (await fetch(bareUrl)).text();
      },
      gateway: async () => {
        await (await fetch(`${runtime.url}/health`)).text();
      },
    };
    const order = ['direct', 'bare', 'gateway'] as const;
    for (let i = 0; i < 100; i += 1) for (const side of order) await sides[side]();
    const samples = { direct: [] as number[], bare: [] as number[], gateway: [] as number[] };
    for (let i = 0; i < requests; i += 1) {
      // Each side goes first in turn.
      for (let k = 0; k < order.length; k += 1) {
        const side = order[(i + k) % order.length] as (typeof order)[number];
        const t = performance.now();
        await sides[side]();
        samples[side].push(performance.now() - t);
      }
    }
    const base = 'GET /health: bare node:http server invoking the handler';
    return [
      { name: 'GET /health: handler called directly', unit: 'ms', samples: samples.direct, note: 'no HTTP: the handler answers from its 10 s cache' },
      { name: base, unit: 'ms', samples: samples.bare, note: 'fetch → node:http → the same FunctionHost invoke with one prebuilt event' },
      {
        name: 'GET /health: HTTP round trip via gateway',
        unit: 'ms',
        samples: samples.gateway,
        baseline: base,
        goal: { maxRatio: 1.1 },
        note: `median of the ${requests} per-request ratios ${median(samples.gateway.map((g, i) => g / (samples.bare[i] ?? g))).toFixed(2)}×`,
      },
    ];
  } finally {
    bare.closeAllConnections();
    await new Promise<void>((resolve) => bare.close(() => resolve()));
  }
}

/** create-activity then submit-activity, invoked as Lambda would (no HTTP). */
async function throughHandlers(runtime: LocalRuntime, sample: Sample): Promise<void> {
  const created = (await runtime.host.invoke(
    'create-activity',
    apiEvent(sample, runtime.clock.now(), 'POST', '/v1/campaigns/{campaignId}/activities', `/v1/campaigns/${CAMPAIGN}/activities`, { campaignId: CAMPAIGN }, completeActivity()),
  )).value as APIGatewayProxyStructuredResultV2;
  if (created.statusCode !== 201) throw new Error(`create-activity answered ${created.statusCode}: ${created.body}`);
  const id = (JSON.parse(created.body ?? '{}') as { activityId?: string }).activityId;
  if (!id) throw new Error(`create-activity answered no activity id: ${created.body}`);
  const submitted = (await runtime.host.invoke(
    'submit-activity',
    apiEvent(sample, runtime.clock.now(), 'POST', '/v1/activities/{activityId}/submit', `/v1/activities/${id}/submit`, { activityId: id }),
  )).value as APIGatewayProxyStructuredResultV2;
  if (submitted.statusCode !== 200) throw new Error(`submit-activity answered ${submitted.statusCode}: ${submitted.body}`);
}

/**
 * The same DynamoDB calls the handlers make, done bare with the document client (same
 * marshalling options as shared/clients/dynamodb.ts):
 * create = TransactWriteItems of the draft (conditional Put) and its unit's draft count (ADR 0042;
 * the unit is one of the campaign definition's: no read);
 * submit = consistent Query of the activity's partition, consistent Query of the unit's
 * extensions, TransactWriteItems with the registered activity at the read version and the draft
 * count's decrement (no flags:
 * the clock is before the registration deadline and the event's start).
 */
function bareCalls(runtime: LocalRuntime) {
  const dynamodb = new DynamoDBClient({
    region: process.env.AWS_REGION ?? 'us-east-1',
    endpoint: runtime.endpoints.dynamodb,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const doc = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } });
  const TableName = runtime.resources.tables.main?.name;
  if (!TableName) throw new Error('no main table');

  const run = async (): Promise<void> => {
    // create
    const activityId = randomUUID();
    const at = runtime.clock.now().toISOString();
    const draftCount = (by: number) => ({
      Update: {
        TableName,
        Key: keys.draftCount(CAMPAIGN, ORG),
        UpdateExpression: 'ADD drafts :by SET entity = :entity, campaignId = :c, organizationId = :o',
        ExpressionAttributeValues: { ':by': by, ':entity': 'DraftCount', ':c': CAMPAIGN, ':o': ORG, ...(by > 0 ? { ':cap': 1_000_000 } : {}) },
        ...(by > 0 ? { ConditionExpression: 'attribute_not_exists(drafts) OR drafts < :cap' } : {}),
      },
    });
    await doc.send(
      new TransactWriteCommand({ TransactItems: [{ Put: {
        TableName,
        Item: {
          ...completeActivity(),
          ...keys.activity(activityId),
          gsi1pk: keys.activitiesOfOrganization(CAMPAIGN, ORG),
          gsi1sk: keys.activityInOrganization(at, activityId),
          gsi3pk: keys.dueOfOrganization(CAMPAIGN, ORG),
          gsi3sk: keys.dueActivity(at, activityId),
          gsi2pk: keys.activitiesOfCampaign(CAMPAIGN, activityId),
          gsi2sk: keys.activityInCampaign(at, activityId),
          entity: 'Activity',
          activityId,
          campaignId: CAMPAIGN,
          organizationId: ORG,
          status: 'draft',
          version: 1,
          createdAt: at,
          createdBy: SUB,
          updatedAt: at,
          updatedBy: SUB,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      } }, draftCount(1)] }),
    );
    // submit
    const page = await doc.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.activityPartition(activityId) },
        ConsistentRead: true,
      }),
    );
    const item = page.Items?.find((i) => i.sk === 'A');
    if (!item) throw new Error('bare: the activity just put is not there');
    await doc.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.extensionsOfOrganization(CAMPAIGN, ORG) },
        ConsistentRead: true,
      }),
    );
    const now = runtime.clock.now().toISOString();
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName,
              Item: { ...item, status: 'registered', version: Number(item.version) + 1, submittedAt: now, updatedAt: now, updatedBy: SUB },
              ConditionExpression: 'version = :expected',
              ExpressionAttributeValues: { ':expected': Number(item.version) },
            },
          },
          draftCount(-1),
        ],
      }),
    );
  };
  return { run, calls: ['TransactWriteItems', 'Query', 'Query', 'TransactWriteItems'], destroy: () => dynamodb.destroy() };
}

/**
 * The DynamoDB operations the handlers' own client sends during `work` (the handler modules
 * share shared/clients/dynamodb.ts with this process, so its client is theirs). Undefined if the
 * client saw nothing, i.e. the modules were not shared and the check could not be made.
 */
async function handlerCalls(runtime: LocalRuntime, work: () => Promise<void>): Promise<string[] | undefined> {
  const { dynamoDbClient } = await import('../../shared/clients/dynamodb');
  const client = dynamoDbClient({ region: process.env.AWS_REGION ?? 'us-east-1', s3ForcePathStyle: true });
  // Every handler in this process shares that client: leave out the stream consumers' writes
  // (audit table) that the same writes set off in the background.
  const counted = new Set([runtime.resources.tables.main?.name, runtime.resources.tables.idempotency?.name]);
  const seen: string[] = [];
  const name = 'benchCallRecorder';
  // Only the calls made on behalf of `work`: the stream consumers in this process read the same
  // table in the background (their own async contexts).
  const scope = new AsyncLocalStorage<true>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { TableName?: string; TransactItems?: Array<Record<string, { TableName?: string }>> };
      const tables = input.TransactItems ? input.TransactItems.flatMap((i) => Object.values(i).map((op) => op.TableName)) : [input.TableName];
      if (scope.getStore() && tables.some((t) => counted.has(t))) seen.push(String(context.commandName ?? '?').replace(/Command$/, ''));
      return next(args);
    },
    { step: 'initialize', name },
  );
  try {
    await scope.run(true, work);
  } finally {
    client.middlewareStack.remove(name);
  }
  return seen.length > 0 ? seen : undefined;
}

async function createSubmitRows(runtime: LocalRuntime, sample: Sample, pairs: number): Promise<Row[]> {
  const bare = bareCalls(runtime);
  try {
    // The calls must be the same on both sides, or the ratio means nothing (after a first pair: the
    // campaign catalog's one read is cached from then on).
    await throughHandlers(runtime, sample);
    const seen = await handlerCalls(runtime, () => throughHandlers(runtime, sample));
    if (seen && seen.join(',') !== bare.calls.join(',')) {
      throw new Error(`the handlers made ${seen.join(', ')}; the bare baseline makes ${bare.calls.join(', ')}: update the baseline`);
    }
    const warmUp = Math.min(30, pairs);
    for (let i = 0; i < warmUp; i += 1) {
      await throughHandlers(runtime, sample);
      await bare.run();
    }
    const handlers: number[] = [];
    const bareMs: number[] = [];
    for (let i = 0; i < pairs; i += 1) {
      const first = i % 2 === 0;
      for (const side of first ? (['h', 'b'] as const) : (['b', 'h'] as const)) {
        const t = performance.now();
        if (side === 'h') await throughHandlers(runtime, sample);
        else await bare.run();
        (side === 'h' ? handlers : bareMs).push(performance.now() - t);
      }
    }
    const base = 'create + submit: the same DynamoDB calls made bare';
    return [
      { name: base, unit: 'ms', samples: bareMs, note: bare.calls.join(' → ') },
      {
        name: 'create + submit through the handlers',
        unit: 'ms',
        samples: handlers,
        baseline: base,
        goal: { maxRatio: 1.1 },
        note: `median of the ${pairs} per-pair ratios ${median(handlers.map((h, i) => h / (bareMs[i] ?? h))).toFixed(2)}×; ${
          seen ? `handlers' calls checked: ${seen.join(' → ')}` : "handlers' calls not checked (client not shared)"
        }`,
      },
    ];
  } finally {
    bare.destroy();
  }
}

export async function inProcessRows(work: string, requests: number, pairs: number): Promise<Row[]> {
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const runtime = await startLocalRuntime({ dataDir: join(work, 'rt'), port: 0, clockStart: new Date('2021-09-01T09:00:00+08:00') });
  try {
    const sample = JSON.parse(readFileSync('events/samples/apigw/get-health.json', 'utf8')) as Sample;
    const rows = await healthRows(runtime, sample, requests);
    progress('GET /health rows done');
    rows.push(...(await createSubmitRows(runtime, sample, pairs)));
    progress('create + submit rows done');
    return rows;
  } finally {
    await runtime.stop();
  }
}

/** Only the GET /health rows (`BENCH_ONLY=gateway`). */
export async function gatewayRows(work: string, requests: number): Promise<Row[]> {
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const runtime = await startLocalRuntime({ dataDir: join(work, 'rt-gateway'), port: 0, clockStart: new Date('2021-09-01T09:00:00+08:00') });
  try {
    const sample = JSON.parse(readFileSync('events/samples/apigw/get-health.json', 'utf8')) as Sample;
    return await healthRows(runtime, sample, requests);
  } finally {
    await runtime.stop();
  }
}
