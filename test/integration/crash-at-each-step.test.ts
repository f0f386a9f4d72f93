// Every POST that creates something, killed after each of its DynamoDB calls and retried with the
// same Idempotency-Key after a restart: exactly one effect, whatever step the process died at, and
// the retry answers 2xx (then replays). Also: a crash whose idempotency record expired, retried
// with another body under the same key, is refused (422) and changes nothing (ADR 0025).
//
// "Kill" is a process that stops in its tracks: after the k-th call of the handler's DynamoDB
// client lands, that call's answer and every later call hang forever, so nothing after it runs
// (no error handler deletes the in-progress record, as a real kill -9 would not). "Restart" is
// a fresh module registry: new handler instances, new clients, the same tables.
import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../shared/repositories/keys';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { xinxiang2021 } from '../../shared/campaigns/2021-xinxiang';
import { DynamoDbCampaignStore } from '../../shared/repositories/campaign-repository';
import { envName } from '../../shared/env-names';
import { context } from '../helpers/context';
import { completeActivity } from '../helpers/api';
import { clientsFor, runtimeInfo, uniqueId } from '../helpers/runtime';

const info = runtimeInfo();
const tables = { main: info.resources.tables.main?.name ?? '', idempotency: info.resources.tables.idempotency?.name ?? '' };
Object.assign(process.env, {
  AWS_REGION: info.region,
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_ENDPOINT_URL_DYNAMODB: info.endpoints.dynamodb,
  AWS_ENDPOINT_URL_S3: info.endpoints.s3,
  S3_FORCE_PATH_STYLE: 'true',
  [envName.table('main')]: tables.main,
  [envName.table('idempotency')]: tables.idempotency,
  [envName.bucket('media')]: info.resources.buckets.media?.name ?? '',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: process.env.CRASH_TEST_LOG ?? 'CRITICAL',
  POWERTOOLS_DEV: 'false',
});

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;
interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Record<string, unknown>;
}

/** A fresh process: the function's module and its clients, loaded anew. */
async function boot(functionId: string): Promise<{ handler: Handler; dynamo: DynamoDBClient }> {
  let booted: { handler: Handler; dynamo: DynamoDBClient } | undefined;
  await jest.isolateModulesAsync(async () => {
    const mod = (await import(`../../functions/${functionId}/handler`)) as { handler: Handler };
    const clients = await import('../../shared/clients/dynamodb');
    booted = { handler: mod.handler, dynamo: clients.dynamoDbClient({ region: info.region, s3ForcePathStyle: true }) };
  });
  if (!booted) throw new Error(`could not load ${functionId}`);
  return booted;
}

/** After the k-th DynamoDB call lands, the process dies: that answer and every later call never come. */
function dieAfter(dynamo: DynamoDBClient, k: number): { died: Promise<void>; calls: () => number } {
  let calls = 0;
  let die: () => void = () => undefined;
  const died = new Promise<void>((resolve) => (die = resolve));
  dynamo.middlewareStack.add(
    (next) => async (args) => {
      if (calls >= k) return new Promise<never>(() => undefined);
      const out = await next(args);
      calls += 1;
      if (calls >= k) {
        die();
        return new Promise<never>(() => undefined);
      }
      return out;
    },
    { step: 'initialize', name: 'killAfterCall', priority: 'high' },
  );
  return { died, calls: () => calls };
}

/** Counts the calls of a whole invocation (no death). */
function countCalls(dynamo: DynamoDBClient): () => number {
  let calls = 0;
  dynamo.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      calls += 1;
      return out;
    },
    { step: 'initialize', name: 'countCalls' },
  );
  return () => calls;
}

interface Route {
  readonly functionId: string;
  readonly method: 'POST';
  readonly path: string;
  readonly params: Record<string, string>;
}

const claimsOf = (who: { sub: string; orgId: string; roles: string[]; city: string }) => ({ ...who, roles: who.roles });

function event(route: Route, who: { sub: string; orgId: string; roles: string[]; city: string }, body: unknown, key: string): APIGatewayProxyEventV2 {
  const rawPath = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => route.params[name] ?? '');
  const routeKey = `${route.method} ${route.path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', 'idempotency-key': key, 'accept-language': 'en' },
    pathParameters: route.params,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method: route.method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'jest' },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      authorizer: { jwt: { claims: claimsOf(who), scopes: [] } },
    } as APIGatewayProxyEventV2['requestContext'],
    body: JSON.stringify(body),
    isBase64Encoded: false,
  };
}

const answerOf = (raw: unknown): Answer => {
  const r = raw as { statusCode: number; headers?: Record<string, string>; body?: string };
  return { status: r.statusCode, headers: r.headers ?? {}, body: r.body ? (JSON.parse(r.body) as Record<string, unknown>) : {} };
};

/** A Lambda context whose deadline is `ms` away (Powertools' in-progress lock lasts that long). */
const contextWithin = (ms: number): Context => ({ ...context, awsRequestId: randomUUID(), getRemainingTimeInMillis: () => ms });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/**
 * The dying attempt's deadline, which its in-progress lock lasts (Powertools: now + remaining time,
 * when the lock is written). Nothing else reads it: the attempt runs to its k-th call however long
 * that takes, and the retry waits for the lock to expire (a retry that comes early gets 409 in progress
 * and comes again). Short, since every kill point waits for it once.
 */
const DEADLINE_MS = 300;
/** The lock was written before the attempt died: this long after the death, it has expired. */
const LOCK_EXPIRED_MS = DEADLINE_MS + 50;

/**
 * The dying attempt's context. Powertools' in-progress lock lasts the remaining time it reads when
 * it writes the lock: DEADLINE_MS, so the retry soon finds it expired. Anyone else (middy's early
 * time-out, which answers 500 when it fires) reads a long deadline: on a slow machine the attempt
 * must reach its kill point, not time out before it.
 */
const dyingContext = (): Context => ({
  ...context,
  awsRequestId: randomUUID(),
  getRemainingTimeInMillis: () => (new Error().stack?.includes('@aws-lambda-powertools/idempotency') ? DEADLINE_MS : 10_000),
});

/** One attempt that dies after call k: resolves when it died (or answered first). */
async function attemptDying(route: Route, ev: APIGatewayProxyEventV2, k: number): Promise<'died' | Answer> {
  const { handler, dynamo } = await boot(route.functionId);
  const { died } = dieAfter(dynamo, k);
  return Promise.race([handler(ev, dyingContext()).then(answerOf), died.then(() => 'died' as const)]);
}

async function attempt(route: Route, ev: APIGatewayProxyEventV2): Promise<Answer> {
  const { handler } = await boot(route.functionId);
  return answerOf(await handler({ ...ev, requestContext: { ...ev.requestContext, requestId: randomUUID() } }, contextWithin(10_000)));
}

/** Retries as a client would: 409 "in progress" means the lock has not expired yet. */
async function retry(route: Route, ev: APIGatewayProxyEventV2): Promise<Answer> {
  for (let i = 0; i < 20; i += 1) {
    const answer = await attempt(route, ev);
    if (!(answer.status === 409 && String(answer.body.type).endsWith('/idempotency_in_progress'))) return answer;
    await sleep(100);
  }
  throw new Error('still in progress after 20 retries');
}

async function callsOf(route: Route, ev: APIGatewayProxyEventV2): Promise<{ calls: number; answer: Answer }> {
  const { handler, dynamo } = await boot(route.functionId);
  const calls = countCalls(dynamo);
  const answer = answerOf(await handler(ev, contextWithin(10_000)));
  return { calls: calls(), answer };
}

/** Every item of the main table that matches a filter (every page: the table is large by now). */
async function scanAll(doc: DynamoDBDocumentClient, filter: { FilterExpression: string; ExpressionAttributeValues: Record<string, unknown> }): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: tables.main, ...filter, ExclusiveStartKey: start }));
    items.push(...((page.Items ?? []) as Array<Record<string, unknown>>));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Items of the main table whose actor attribute is `sub` (the oracle counts what each caller made). */
const madeBy = (doc: DynamoDBDocumentClient, sub: string) =>
  scanAll(doc, { FilterExpression: 'createdBy = :s OR requestedBy = :s OR grantedBy = :s OR listedBy = :s', ExpressionAttributeValues: { ':s': sub } });

describe('Creating POSTs killed after each DynamoDB call, then retried with the same Idempotency-Key', () => {
  const clients = clientsFor(info);
  afterAll(() => {
    for (const c of Object.values(clients)) c.destroy();
  });

  // A campaign of a city of its own, so that nothing here shows in other suites' lists.
  const city = `kill${Date.now().toString(36)}`;
  const campaignId = `2031-${city}`;
  const admin = { sub: `admin-${city}`, orgId: 'city-kx', roles: ['admin'], city };
  const organizer = (n: string) => ({ sub: `org-${n}-${city}`, orgId: 'hongqi-kx', roles: ['organizer'], city });
  const definition = { ...xinxiang2021, id: campaignId, cityId: city };

  beforeAll(async () => {
    const store = new DynamoDbCampaignStore({ client: clients.doc, tableName: tables.main });
    await store.create({ definition, status: 'draft', at: new Date().toISOString(), by: 'setup' });
    await store.update(campaignId, 1, { status: 'published', at: new Date().toISOString(), by: 'setup' });
  });

  /**
   * Dies after each call k of the route's first attempt (1..the calls a whole attempt makes), then
   * retries after a restart: the retry is 2xx, a second retry replays it, and `effects` (what the
   * caller made) counts one.
   */
  async function killAtEachStep(input: {
    route: Route;
    who: (k: number) => { sub: string; orgId: string; roles: string[]; city: string };
    body: (k: number) => unknown;
    status: number;
    check: (sub: string, answer: Answer, k: number) => Promise<void>;
    /** Puts the world back before each kill point (e.g. the last export finished). */
    before?: () => Promise<void>;
  }): Promise<number> {
    const probe = await callsOf(input.route, event(input.route, input.who(0), input.body(0), uniqueId('probe')));
    expect(probe.answer.status).toBe(input.status);
    await input.check(input.who(0).sub, probe.answer, 0);
    for (let k = 1; k <= probe.calls; k += 1) {
      await input.before?.();
      const ev = event(input.route, input.who(k), input.body(k), uniqueId(`k${k}`));
      const first = await attemptDying(input.route, ev, k);
      expect(first).toBe('died');
      await sleep(LOCK_EXPIRED_MS); // the dead attempt's in-progress lock expires with its deadline
      const second = await retry(input.route, ev);
      expect({ k, status: second.status }).toEqual({ k, status: input.status });
      const third = await attempt(input.route, ev);
      expect({ k, status: third.status, replayed: third.headers['idempotent-replayed'] }).toEqual({ k, status: input.status, replayed: 'true' });
      await input.check(input.who(k).sub, second, k);
    }
    return probe.calls;
  }

  const one = async (sub: string, entity: string) => {
    const items = (await madeBy(clients.doc, sub)).filter((i) => i.entity === entity);
    expect({ sub, entity, count: items.length }).toEqual({ sub, entity, count: 1 });
    return items[0] ?? {};
  };

  it('create-activity: one draft per key, the retry answers with its id', async () => {
    const route: Route = { functionId: 'create-activity', method: 'POST', path: '/v1/campaigns/{campaignId}/activities', params: { campaignId } };
    const calls = await killAtEachStep({
      route,
      who: (k) => organizer(`ca${k}`),
      body: () => completeActivity(),
      status: 201,
      check: async (sub, answer) => {
        const item = await one(sub, 'Activity');
        expect(answer.body.activityId).toBe(item.activityId);
      },
    });
    // The draft's transaction is the last call: no idempotency lock or record around it (ADR 0049).
    expect(calls).toBeGreaterThanOrEqual(2);
  });

  it('submit-activity: one submission (version 2, flags once) per key, the retry answers 200', async () => {
    const create: Route = { functionId: 'create-activity', method: 'POST', path: '/v1/campaigns/{campaignId}/activities', params: { campaignId } };
    const drafts = new Map<number, string>();
    const { handler: creating } = await boot(create.functionId);
    for (let k = 0; k <= 8; k += 1) {
      const made = answerOf(await creating(event(create, organizer(`sa${k}`), completeActivity(), uniqueId('draft')), contextWithin(10_000)));
      expect(made.status).toBe(201);
      drafts.set(k, String(made.body.activityId));
    }
    const route = (k: number): Route => ({ functionId: 'submit-activity', method: 'POST', path: '/v1/activities/{activityId}/submit', params: { activityId: drafts.get(k) ?? '' } });
    // One route per caller (the draft is in the path): killAtEachStep's route is the probe's; the
    // others are built per step below.
    const probe = await callsOf(route(0), event(route(0), organizer('sa0'), undefined, uniqueId('probe')));
    expect(probe.answer.status).toBe(200);
    expect(probe.calls).toBeLessThanOrEqual(8);
    for (let k = 1; k <= probe.calls; k += 1) {
      const ev = event(route(k), organizer(`sa${k}`), undefined, uniqueId(`k${k}`));
      expect(await attemptDying(route(k), ev, k)).toBe('died');
      await sleep(LOCK_EXPIRED_MS);
      const second = await retry(route(k), ev);
      expect({ k, status: second.status }).toEqual({ k, status: 200 });
      expect({ k, version: second.body.version, status: second.body.status }).toEqual({ k, version: 2, status: 'registered' });
      const third = await attempt(route(k), ev);
      expect({ k, status: third.status, version: third.body.version }).toEqual({ k, status: 200, version: 2 });
      const items = await madeBy(clients.doc, organizer(`sa${k}`).sub);
      const activity = items.find((i) => i.entity === 'Activity');
      expect({ k, version: activity?.version, status: activity?.status }).toEqual({ k, version: 2, status: 'registered' });
      // Flags raised once (their count equals the open flags on the activity).
      const flags = await scanAll(clients.doc, { FilterExpression: 'entity = :f AND activityId = :a', ExpressionAttributeValues: { ':f': 'Flag', ':a': drafts.get(k) } });
      expect({ k, flags: flags.length }).toEqual({ k, flags: Number(activity?.openFlags ?? 0) });
    }
  });

  it('create-upload: one pending media item per key; the retry presigns the same object again', async () => {
    const create: Route = { functionId: 'create-activity', method: 'POST', path: '/v1/campaigns/{campaignId}/activities', params: { campaignId } };
    const made = await attempt(create, event(create, organizer('up'), completeActivity(), uniqueId('draft')));
    const route: Route = { functionId: 'create-upload', method: 'POST', path: '/v1/activities/{activityId}/uploads', params: { activityId: String(made.body.activityId) } };
    const photo = { kind: 'photo', fileName: '现场.jpg', contentType: 'image/jpeg', size: 200_000 };
    const seen = new Set<string>();
    await killAtEachStep({
      route,
      who: () => organizer('up'),
      body: () => photo,
      status: 201,
      check: async (_sub, answer) => {
        const mediaId = String(answer.body.mediaId);
        expect(seen.has(mediaId)).toBe(false);
        seen.add(mediaId);
        const items = (await madeBy(clients.doc, organizer('up').sub)).filter((i) => i.entity === 'Media');
        expect(items.map((i) => i.mediaId).sort()).toEqual([...seen].sort());
      },
    });
  });

  it('create-summary-upload, grant-extension, create-export: one effect per key', async () => {
    const summary: Route = {
      functionId: 'create-summary-upload',
      method: 'POST',
      path: '/v1/campaigns/{campaignId}/organizations/{orgId}/summary/uploads',
      params: { campaignId, orgId: 'hongqi-kx' },
    };
    await killAtEachStep({
      route: summary,
      who: (k) => organizer(`su${k}`),
      body: () => ({ kind: 'document', fileName: '工作总结.pdf', contentType: 'application/pdf', size: 100_000 }),
      status: 201,
      check: async (sub, answer) => expect((await one(sub, 'Media')).mediaId).toBe(answer.body.mediaId),
    });
    const extension: Route = { functionId: 'grant-extension', method: 'POST', path: '/v1/campaigns/{campaignId}/extensions', params: { campaignId } };
    await killAtEachStep({
      route: extension,
      who: (k) => ({ ...admin, sub: `${admin.sub}-ext${k}` }),
      body: () => ({ organizationId: 'hongqi-kx', milestone: 'registration', until: '2021-09-30T18:00:00+08:00', reason: '系统故障，延期登记' }),
      status: 201,
      check: async (sub, answer) => expect((await one(sub, 'Extension')).extensionId).toBe(answer.body.extensionId),
    });
    const exports: Route = { functionId: 'create-export', method: 'POST', path: '/v1/campaigns/{campaignId}/exports', params: { campaignId } };
    await killAtEachStep({
      route: exports,
      who: (k) => ({ ...admin, sub: `${admin.sub}-exp${k}` }),
      body: () => ({ format: 'csv' }),
      status: 202,
      // One export per campaign and format may be queued or running (ADR 0033): each kill point starts
      // after the last one's job has ended, as if it had run, so every retry starts a job of its own.
      before: async () => {
        await clients.doc.send(new DeleteCommand({ TableName: tables.main, Key: keys.exportSlot(campaignId, 'csv') }));
      },
      check: async (sub, answer) => expect((await one(sub, 'Export')).exportId).toBe(answer.body.exportId),
    });
  });

  it('add-organizations and create-campaign: one set of units, one campaign per key', async () => {
    const units: Route = { functionId: 'add-organizations', method: 'POST', path: '/v1/campaigns/{campaignId}/organizations', params: { campaignId } };
    await killAtEachStep({
      route: units,
      who: (k) => ({ ...admin, sub: `${admin.sub}-org${k}` }),
      body: (k) => [
        { name: `断点学会甲${k}`, county: 'city', type: 'society' },
        { name: `断点学会乙${k}`, county: 'city', type: 'society' },
      ],
      status: 201,
      check: async (sub, answer) => {
        const items = (await madeBy(clients.doc, sub)).filter((i) => i.entity === 'Organization');
        expect(items.map((i) => i.organizationId).sort()).toEqual((answer.body.items as Array<{ organizationId: string }>).map((u) => u.organizationId).sort());
        expect(items).toHaveLength(2);
      },
    });
    const campaigns: Route = { functionId: 'create-campaign', method: 'POST', path: '/v1/campaigns', params: {} };
    await killAtEachStep({
      route: campaigns,
      who: (k) => ({ ...admin, sub: `${admin.sub}-cmp${k}` }),
      body: (k) => ({ ...definition, id: `2032-${city}-${k}` }),
      status: 201,
      check: async (sub, answer) => expect((await one(sub, 'Campaign')).campaignId).toBe((answer.body as { id?: string; campaignId?: string }).campaignId ?? answer.body.id),
    });
  });

  it('the same key with another body, after a crash that stored the draft: 422, and nothing more is stored', async () => {
    const route: Route = { functionId: 'create-activity', method: 'POST', path: '/v1/campaigns/{campaignId}/activities', params: { campaignId } };
    const who = organizer('other-body');
    const ev = event(route, who, completeActivity(), uniqueId('ob'));
    // Dies once the draft is stored (its transaction, the last call), before it answers.
    const probe = await callsOf(route, event(route, organizer('other-body-probe'), completeActivity(), uniqueId('probe')));
    const { handler, dynamo } = await boot(route.functionId);
    const { died } = dieAfter(dynamo, probe.calls);
    expect(await Promise.race([handler(ev, dyingContext()).then(() => 'answered'), died.then(() => 'died')])).toBe('died');
    await sleep(LOCK_EXPIRED_MS);
    const changed = await retry(route, { ...ev, body: JSON.stringify({ ...completeActivity(), title: '另一个活动' }) });
    expect(changed.status).toBe(422);
    expect(String(changed.body.type)).toMatch(/idempotency_key_reused$/);
    expect((await madeBy(clients.doc, who.sub)).filter((i) => i.entity === 'Activity')).toHaveLength(1);
  });
});
