/**
 * The whole backend on one machine, generated from the topology: DynamoDB Local and
 * fauxqs with their data under one folder, every table, queue and bucket, the HTTP
 * gateway, a poller per queue and stream trigger, and S3's notifications.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs, type FauxqsServer, type SpyMessage } from 'fauxqs';
import { installRuntimeClock, MovableClock } from '../../shared/clock';
import { json } from '../../shared/http/middleware';
import { negotiateLanguage, problemResponse } from '../../shared/http/problem';
import { envName } from '../../shared/env-names';
import { topology as sciDayTopology, type Topology } from '../topology';
import { pidAlive, startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local';
import { DEFAULT_LOCAL_CONCURRENCY, FunctionHost } from './function-host';
import { startGateway, type Gateway, type LocalRoute } from './gateway';
import { CREDENTIALS, freePort, REGION } from './local-aws';
import { runLocalMigrations } from './migrations';
import { provision, type LocalResources } from './provision';
import { S3Notifier } from './s3-notifier';
import { localTokenIssuer } from './token-issuer';
import { localCursorKey } from './cursor-key';
import { ensureWebBuilt, localWebApp, type WebBuildMode } from './web-app';
import { ROLES } from '../../shared/auth/principal';
import { safeParseFields } from '../../shared/domain/issues';
import { SLUG_PATTERN } from '../../shared/domain/slug';
import { id, isoInstant, text } from '../../shared/schemas/text';
import * as z from 'zod';
import { SqsPoller } from './sqs-poller';
import { FORMER_STREAM_READERS, StreamPoller } from './stream-poller';
import { campaignScheduleId, campaignSchedulesIn, LocalScheduler, type LocalSchedule } from './scheduler';
import { campaignScheduleTargets, expandSchedules, scheduleManager, scheduleSource } from '../schedules';
import { SCHEDULE_ENV, scheduleGroupPrefix } from '../../shared/repositories/schedule-gateway';
import { readLocalSchedules } from '../../shared/repositories/schedule-gateway-local';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CURSOR_KEY_ENV, loadClaimNames } from '../../shared/config';
import { DynamoDbCampaignStore } from '../../shared/repositories/campaign-repository';
import { campaignToOpen } from '../../shared/domain/campaign-to-open';

/** Where project-changes (syncCampaignSchedules) keeps the campaigns' one-time schedules, under the data dir (the scheduler reads it). */
export const CAMPAIGN_SCHEDULES_FILE = 'campaign-schedules.json';

/** Batches of one queue in flight at once, unless the trigger says less (`SCIDAY_LOCAL_QUEUE_CONCURRENCY`). */
export const DEFAULT_QUEUE_CONCURRENCY = 2;

/** The campaign the web app opens when none is chosen (the web config schema's default). */

/**
 * Resolves once every queue is empty (nothing visible, nothing in flight), or after `timeoutMs`
 * (a message failing again and again must not stall the clock forever).
 */
async function drained(sqs: SQSClient, queueUrls: readonly string[], log: (e: Record<string, unknown>) => void, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let quietRounds = 0; quietRounds < 2; ) {
    const counts = await Promise.all(
      queueUrls.map(async (QueueUrl) => {
        const { Attributes: a } = await sqs.send(
          new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
        );
        return Number(a?.ApproximateNumberOfMessages ?? 0) + Number(a?.ApproximateNumberOfMessagesNotVisible ?? 0);
      }),
    );
    quietRounds = counts.every((n) => n === 0) ? quietRounds + 1 : 0;
    if (Date.now() > deadline) {
      log({ msg: 'queues still busy; moving the clock on', counts });
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}



export interface LocalRuntimeOptions {
  readonly topology?: Topology;
  readonly projectRoot?: string;
  readonly dataDir: string;
  /** Gateway port; 0 picks a free one. */
  readonly port: number;
  readonly stage?: string;
  /** Where the simulated clock starts (it then runs forward in real time). */
  readonly clockStart?: Date;
  /** The campaign the web app opens (`campaignId` of `/config.json`). Default: none, the app opens the newest published campaign of the user's city. */
  readonly webCampaignId?: string;
  readonly corsOrigins?: readonly string[];
  /** Host names the gateway answers besides the loopback ones (`SCIDAY_ALLOWED_HOSTS`, ADR 0032). */
  readonly allowedHosts?: readonly string[];
  /** Seconds a queue poll waits (Lambda uses 20; 1 keeps shutdown quick). */
  readonly pollWaitSeconds?: number;
  /** Build `web/dist` when missing or stale before serving it (`auto`, the default), or serve what is there (`never`). */
  readonly webBuild?: WebBuildMode;
  /** More `/local/…` routes (the fault injector's report, ADR 0026). */
  readonly localRoutes?: readonly LocalRoute[];
  readonly log?: (entry: Record<string, unknown>) => void;
  /** Aborts the start (Ctrl-C during start-up): what was started stops, and the promise rejects. */
  readonly signal?: AbortSignal;
}

export interface LocalRuntime {
  readonly url: string;
  readonly dataDir: string;
  readonly endpoints: { readonly dynamodb: string; readonly sqs: string; readonly s3: string };
  readonly resources: LocalResources;
  readonly clock: MovableClock;
  readonly host: FunctionHost;
  stop(): Promise<void>;
}

/** What a running runtime publishes about itself in `<dataDir>/runtime.json` (for tools and tests). */
export interface RuntimeInfo {
  readonly pid: number;
  readonly url: string;
  readonly endpoints: LocalRuntime['endpoints'];
  readonly resources: LocalResources;
  readonly region: string;
  /** Every trigger the runtime actually wired (a route, a queue poller, a stream poller). */
  readonly wiring: readonly WiredTrigger[];
}

export interface WiredTrigger {
  readonly functionId: string;
  readonly kind: 'http' | 'sqs' | 'stream' | 'schedule';
  readonly source: string;
}

export { REGION } from './local-aws';

/** Refuses to share a data dir with a live runtime (both would write the same files). */
function claimDataDir(dataDir: string): string {
  const lock = join(dataDir, 'runtime.pid');
  if (existsSync(lock)) {
    const pid = Number(readFileSync(lock, 'utf8'));
    if (pid !== process.pid && pid > 0 && pidAlive(pid)) throw new Error(`Another SciDay runtime (pid ${pid}) is using ${dataDir}; stop it or choose another SCIDAY_DATA_DIR.`);
  }
  writeFileSync(lock, String(process.pid));
  return lock;
}

/** The environment every handler module reads (the runtime runs them all in-process). */
export function handlerEnvironment(resources: LocalResources, endpoints: LocalRuntime['endpoints'], stage: string, dataDir: string) {
  return {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    S3_FORCE_PATH_STYLE: 'true',
    SCIDAY_STAGE: stage,
    POWERTOOLS_SERVICE_NAME: 'sciday',
    POWERTOOLS_METRICS_NAMESPACE: 'SciDay',
    // Webhook receivers on this machine (loopback) are allowed here, and only here.
    WEBHOOK_ALLOW_LOOPBACK: 'true',
    // DynamoDB Local has no point-in-time export: milestone snapshots copy the table by a Scan (ADR 0017).
    TABLE_COPY_MODE: 'scan',
    // List cursors are signed with the key kept in the data dir (ADR 0031); on AWS a Secrets Manager secret.
    [CURSOR_KEY_ENV.value]: localCursorKey(dataDir),
    // project-changes keeps the campaigns' schedules in this file; the local scheduler fires them (ADR 0012).
    [SCHEDULE_ENV.localFile]: join(dataDir, CAMPAIGN_SCHEDULES_FILE),
    [SCHEDULE_ENV.groupPrefix]: scheduleGroupPrefix(stage),
    ...Object.fromEntries(Object.entries(resources.tables).map(([id, t]) => [envName.table(id), t.name])),
    ...Object.fromEntries(Object.entries(resources.queues).map(([id, q]) => [envName.queueUrl(id), q.url])),
    ...Object.fromEntries(Object.entries(resources.buckets).map(([id, b]) => [envName.bucket(id), b.name])),
  };
}

export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const topology: Topology = options.topology ?? sciDayTopology;
  const projectRoot = resolve(options.projectRoot ?? process.cwd());
  const dataDir = resolve(options.dataDir);
  const stage = options.stage ?? 'local';
  const log = options.log ?? (() => undefined);
  mkdirSync(dataDir, { recursive: true });
  const lock = claimDataDir(dataDir);

  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((e: unknown) => log({ msg: 'stop failed', error: String(e) }));
    rmSync(lock, { force: true });
  };
  // Aborted by the caller (options.signal) or by a failed start: the web build and DynamoDB Local's
  // start-up stop waiting, and the next step boundary throws, so the catch below stops what started.
  const startAborted = new AbortController();
  const onAbort = () => startAborted.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const checkpoint = () => startAborted.signal.throwIfAborted();
  let building: Promise<unknown> = Promise.resolve();

  try {
    // The web app builds (when stale) while the services start.
    const webBuilt = ensureWebBuilt(projectRoot, options.webBuild ?? 'auto', log, startAborted.signal);
    building = webBuilt.catch(() => undefined);
    const [ddbPort, fauxPort] = [await freePort(), await freePort()];
    const notifierRef: { current?: S3Notifier } = {};
    // Both start at once; when one fails, the other (once started) is stopped with the rest.
    const [dynamoStart, fauxStart] = await Promise.allSettled([
      startDynamoDbLocal({ projectRoot, dataDir, port: ddbPort, log: (line) => log({ msg: line }), signal: startAborted.signal }),
      (async () => startFauxqs({ port: fauxPort, host: '127.0.0.1', logger: false, dataDir: join(dataDir, 'fauxqs'), messageSpies: true, defaultRegion: REGION }))().catch((error: unknown) => {
        startAborted.abort(error); // DynamoDB Local stops waiting to answer
        throw error;
      }),
    ]);
    if (dynamoStart.status === 'fulfilled') stops.push(() => dynamoStart.value.stop());
    if (fauxStart.status === 'fulfilled') stops.push(() => fauxStart.value.stop());
    if (dynamoStart.status === 'rejected') throw dynamoStart.reason;
    if (fauxStart.status === 'rejected') throw fauxStart.reason;
    const [dynamo, faux]: [DynamoDbLocal, FauxqsServer] = [dynamoStart.value, fauxStart.value];

    // fauxqs has no bucket notifications: watch what its S3 stores through the spy.
    const spy = faux.spy as unknown as { addMessage(m: SpyMessage): void };
    const addMessage = spy.addMessage.bind(spy);
    spy.addMessage = (message: SpyMessage) => {
      addMessage(message);
      if (message.service === 's3' && message.status === 'uploaded') notifierRef.current?.objectStored(message.bucket, message.key);
    };

    const endpoints = { dynamodb: dynamo.endpoint, sqs: `http://127.0.0.1:${faux.port}`, s3: `http://127.0.0.1:${faux.port}` };
    const base = { region: REGION, credentials: CREDENTIALS };
    const clients = {
      dynamodb: new DynamoDBClient({ ...base, endpoint: endpoints.dynamodb }),
      streams: new DynamoDBStreamsClient({ ...base, endpoint: endpoints.dynamodb }),
      sqs: new SQSClient({ ...base, endpoint: endpoints.sqs }),
      s3: new S3Client({ ...base, endpoint: endpoints.s3, forcePathStyle: true }),
    };
    checkpoint();
    const resources = await provision(topology, stage, clients);
    // Before any handler runs: items written by an earlier version get what this one reads.
    await runLocalMigrations({ dataDir, resources, dynamodb: clients.dynamodb, s3: clients.s3, log });
    checkpoint();
    Object.assign(process.env, handlerEnvironment(resources, endpoints, stage, dataDir));

    const clock = new MovableClock(options.clockStart);
    installRuntimeClock(clock);
    const concurrency = Number(process.env.SCIDAY_LOCAL_CONCURRENCY);
    const host = new FunctionHost(topology, { projectRoot, region: REGION, stage, ...(concurrency > 0 ? { concurrency } : {}) });
    // Batches of one queue in flight at once, as Lambda's pollers run several (ADR 0030): each in a
    // module instance of its own; capped by the trigger's maxConcurrency and the function's slots.
    const queueBatches = Number(process.env.SCIDAY_LOCAL_QUEUE_CONCURRENCY) || DEFAULT_QUEUE_CONCURRENCY;

    const notifier = new S3Notifier({
      s3: clients.s3,
      sqs: clients.sqs,
      region: REGION,
      clock,
      ledgerFile: join(dataDir, 's3-notifications.log'),
      rules: Object.entries(topology.buckets).flatMap(([id, b]) =>
        (b.notifications ?? []).map((n) => {
          const queue = resources.queues[n.queue];
          if (!queue) throw new Error(`bucket ${id}: no queue ${n.queue}`);
          return { bucket: resources.buckets[id]?.name ?? '', prefix: n.prefix ?? '', queueUrl: queue.url, configurationId: `${id}-${n.queue}` };
        }),
      ),
      log,
    });
    notifierRef.current = notifier;
    const missed = await notifier.reconcile();
    if (missed > 0) log({ msg: 'announced objects stored while the runtime was down', count: missed });
    stops.push(() => notifier.drain());

    const pollers: Array<SqsPoller | StreamPoller> = [];
    const wiring: WiredTrigger[] = [];
    for (const [functionId, fn] of Object.entries(topology.functions)) {
      for (const trigger of fn.triggers) {
        if (trigger.kind === 'http') {
          continue; // the gateway serves these
        } else if (trigger.kind === 'schedule') {
          // The scheduler below fires these from the clock.
          wiring.push({ functionId, kind: 'schedule', source: scheduleSource(trigger) });
        } else if (trigger.kind === 'sqs') {
          wiring.push({ functionId, kind: 'sqs', source: trigger.queue });
          const queue = resources.queues[trigger.queue];
          if (!queue) throw new Error(`${functionId}: no queue ${trigger.queue}`);
          pollers.push(
            new SqsPoller({
              client: clients.sqs,
              queueUrl: queue.url,
              queueArn: queue.arn,
              region: REGION,
              batchSize: trigger.batchSize,
              maxBatchingWindowSeconds: trigger.maxBatchingWindowSeconds,
              concurrency: Math.min(trigger.maxConcurrency ?? queueBatches, concurrency > 0 ? concurrency : DEFAULT_LOCAL_CONCURRENCY),
              waitTimeSeconds: options.pollWaitSeconds ?? 1,
              invoke: async (event) => (await host.invoke(functionId, event)).value,
              log,
            }),
          );
        } else {
          wiring.push({ functionId, kind: 'stream', source: trigger.table });
          const table = resources.tables[trigger.table];
          const failures = resources.queues[trigger.onFailureQueue];
          if (!table?.streamArn || !failures) throw new Error(`${functionId}: stream of ${trigger.table} not available`);
          pollers.push(
            new StreamPoller({
              streams: clients.streams,
              sqs: clients.sqs,
              streamArn: table.streamArn,
              region: REGION,
              batchSize: trigger.batchSize,
              retryAttempts: trigger.retryAttempts,
              ...(trigger.partitionKeys ? { partitionKeys: trigger.partitionKeys } : {}),
              onFailureQueueUrl: failures.url,
              checkpointFile: join(dataDir, `stream-${functionId}-${trigger.table}.json`),
              formerCheckpointFiles: (FORMER_STREAM_READERS[functionId] ?? []).map((id) => join(dataDir, `stream-${id}-${trigger.table}.json`)),
              invoke: async (event) => (await host.invoke(functionId, event)).value,
              log,
            }),
          );
        }
      }
    }
    for (const p of pollers) p.start();
    stops.push(async () => {
      await Promise.all(pollers.map((p) => p.stop()));
    });

    const consumedQueues = [
      ...new Set(Object.values(topology.functions).flatMap((fn) => fn.triggers.flatMap((t) => (t.kind === 'sqs' ? [t.queue] : [])))),
    ];
    // Recurring schedules come from the topology; the campaigns' one-time ones from the file
    // project-changes keeps (read on every tick: one published or moved at run time fires without a restart).
    const expanded = expandSchedules(topology);
    const campaignTargets = Object.values(campaignScheduleTargets(topology));
    const schedulesFile = join(dataDir, CAMPAIGN_SCHEDULES_FILE);
    const campaignSchedules = campaignSchedulesIn(schedulesFile);
    const onFailureQueueOf = (schedule: LocalSchedule): string | undefined =>
      expanded.find((s) => s.id === schedule.id)?.onFailureQueue ??
      (schedule.at ? campaignTargets.find((t) => t.functionId === schedule.functionId)?.onFailureQueue : undefined);
    const scheduler = new LocalScheduler({
      schedules: expanded.map((s) => ({
        id: s.id,
        functionId: s.functionId,
        input: s.input,
        recurring: { expression: s.expression, timeZone: s.timeZone },
      })),
      campaignSchedules,
      clock,
      ledgerFile: join(dataDir, 'schedules.json'),
      // The queues some function consumes (a queue nobody reads here, like domain-events, never drains).
      quiesce: () => drained(clients.sqs, consumedQueues.map((id) => resources.queues[id]?.url ?? ''), log),
      invoke: async (functionId, input) => (await host.invoke(functionId, input)).value,
      deadLetter: async (schedule, occurrence, error) => {
        const queueId = onFailureQueueOf(schedule);
        const failuresQueue = queueId ? resources.queues[queueId] : undefined;
        if (!failuresQueue) throw new Error(`schedule ${schedule.id} failed and there is no schedule-failures queue`, { cause: error });
        await clients.sqs.send(
          new SendMessageCommand({
            QueueUrl: failuresQueue.url,
            MessageBody: JSON.stringify({ scheduleId: schedule.id, occurrence: occurrence.toISOString(), input: schedule.input, error: String(error) }),
          }),
        );
      },
      log,
    });

    // Tokens live in wall-clock time: moving the simulated clock signs nobody out (ADR 0019).
    const issuer = await localTokenIssuer(dataDir);
    const TokenRequestSchema = z.strictObject({
      sub: text({ min: 1, max: 256 }),
      orgId: id(),
      roles: z.array(z.enum(ROLES)).min(1),
      /** The city whose campaigns the roles apply to (ADR 0024); none: the home city. */
      city: z.string().regex(SLUG_PATTERN).optional(),
    });
    const ClockRequestSchema = z.strictObject({ now: isoInstant(), frozen: z.boolean().optional() });
    const jsonBody = (body: Buffer): unknown => {
      try {
        return JSON.parse(body.toString('utf8'));
      } catch {
        return undefined;
      }
    };

    // The web app's configuration, read at each request: without a configured campaign, the newest
    // published campaign of the home city (ADR 0023), so the sign-in page lists next year's units
    // as soon as it is published. The local mode has no token before sign-in to ask the API with.
    const campaignStore = resources.tables.main ? new DynamoDbCampaignStore({ client: DynamoDBDocumentClient.from(clients.dynamodb), tableName: resources.tables.main.name }) : undefined;
    const homeCity = loadClaimNames().homeCity;
    const webCampaignId = async (): Promise<string | undefined> => {
      if (options.webCampaignId) return options.webCampaignId;
      const mine = (await campaignStore?.list() ?? []).filter((c) => c.definition.cityId === homeCity && c.status !== 'draft');
      return campaignToOpen(mine.map((c) => c.campaign))?.id;
    };
    const localRoutes: LocalRoute[] = [
      {
        method: 'GET',
        path: '/config.json',
        handle: async () => {
          const campaignId = await webCampaignId();
          return json(200, { mode: 'local', ...(campaignId ? { campaignId } : {}) }, { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }) as never;
        },
      },
      {
        method: 'POST',
        path: '/local/token',
        handle: async (req, body) => {
          const lang = negotiateLanguage(req.headers['accept-language']);
          const parsed = safeParseFields(TokenRequestSchema, jsonBody(body));
          if (!parsed.success) return problemResponse(422, 'validation_failed', lang, { errors: parsed.issues });
          return json(200, { token: await issuer.sign(parsed.data) }) as never;
        },
      },
      { method: 'GET', path: '/local/clock', handle: async () => json(200, { now: clock.now().toISOString(), frozen: clock.frozen }) as never },
      {
        // The campaigns' one-time schedules as project-changes made them, each with whether it fired at its instant.
        method: 'GET',
        path: '/local/schedules',
        handle: async () =>
          json(200, {
            now: clock.now().toISOString(),
            schedules: readLocalSchedules(schedulesFile).map((s) => {
              const id = campaignScheduleId(s.target, s.name);
              return {
                id,
                group: s.group,
                name: s.name,
                functionId: s.target,
                at: s.at.toISOString(),
                wallTime: s.wallTime,
                timeZone: s.timeZone,
                input: s.input,
                fired: scheduler.hasFired(id, s.at),
              };
            }),
          }) as never,
      },
      {
        method: 'POST',
        path: '/local/clock',
        handle: async (req, body) => {
          const lang = negotiateLanguage(req.headers['accept-language']);
          const parsed = safeParseFields(ClockRequestSchema, jsonBody(body));
          if (!parsed.success) return problemResponse(422, 'validation_failed', lang, { errors: parsed.issues });
          const target = new Date(parsed.data.now);
          if (target.getTime() < clock.now().getTime()) {
            return problemResponse(409, 'conflict', lang, { detail: `The clock cannot move backwards (now ${clock.now().toISOString()})` });
          }
          // Moving the clock past schedules fires them in order, each once and each at its own time
          // (their queued work runs before the next), before answering.
          const fired = await scheduler.moveTo(target, { frozen: parsed.data.frozen ?? false });
          return json(200, { now: clock.now().toISOString(), frozen: clock.frozen, fired }) as never;
        },
      },
      ...(options.localRoutes ?? []),
    ];

    const web = await webBuilt.then(
      () => localWebApp(projectRoot, { mode: 'local', ...(options.webCampaignId ? { campaignId: options.webCampaignId } : {}) }),
      (error: unknown) => {
        log({ level: 'WARN', msg: 'the web app could not be built; the API runs without it', error: String(error) });
        return localWebApp(projectRoot, { mode: 'local' });
      },
    );
    checkpoint();
    const gateway: Gateway = await startGateway({
      web,
      topology,
      host,
      clock,
      port: options.port,
      corsOrigins: options.corsOrigins ?? ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://localhost:5173'],
      ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
      s3Front: {
        buckets: Object.values(resources.buckets).map((b) => b.name),
        // Browsers upload only where the media check watches (the bucket's notified prefixes).
        uploads: Object.entries(topology.buckets).flatMap(([id, b]) =>
          b.browserUploads ? (b.notifications ?? []).map((n) => ({ bucket: resources.buckets[id]?.name ?? '', prefix: n.prefix ?? '' })) : [],
        ),
        endpoint: endpoints.s3,
        signing: { ...CREDENTIALS, region: REGION },
      },
      localRoutes,
      authorizer: issuer,
      log,
    });
    // Browsers reach the local S3 through the gateway: presigned URLs must name it.
    process.env.S3_PUBLIC_ENDPOINT = gateway.url;
    await host.warm();
    wiring.push(...gateway.routes.map((r) => ({ functionId: r.functionId, kind: 'http' as const, source: r.routeKey })));
    stops.push(async () => {
      await gateway.close();
      // Let handler invocations that are still running finish before the services stop.
      while (host.active > 0) await new Promise((r) => setTimeout(r, 20));
    });

    // Schedules missed while the runtime was down fire now; then the scheduler follows the clock.
    const missedSchedules = await scheduler.start();
    if (missedSchedules.length > 0) log({ msg: 'fired schedules missed while the runtime was down', fired: missedSchedules });
    stops.unshift(() => scheduler.stop());

    // Then the campaigns' schedules as stored now (the seed campaigns, edits made while down): the
    // stream would make them a moment later, but a caller may move the clock as soon as this returns.
    const manager = scheduleManager(topology);
    if (manager) {
      try {
        const report = await host.invoke(manager, { type: 'reconcile-schedules' });
        log({ msg: 'campaign schedules reconciled at start-up', report: report.value });
      } catch (error) {
        log({ level: 'WARN', msg: 'campaign schedules could not be reconciled at start-up; the stream and the daily run will', error: String(error) });
      }
    }

    checkpoint();
    const info: RuntimeInfo = { pid: process.pid, url: gateway.url, endpoints, resources, region: REGION, wiring };
    writeFileSync(join(dataDir, 'runtime.json'), JSON.stringify(info, null, 2));
    stops.push(async () => rmSync(join(dataDir, 'runtime.json'), { force: true }));

    for (const c of Object.values(clients)) stops.unshift(async () => c.destroy());
    options.signal?.removeEventListener('abort', onAbort);
    return { url: gateway.url, dataDir, endpoints, resources, clock, host, stop: stopAll };
  } catch (error) {
    // A failed start stops everything it started: the web build, DynamoDB Local, fauxqs, the pollers.
    options.signal?.removeEventListener('abort', onAbort);
    startAborted.abort(error);
    await building; // the vite child, if one runs, is stopped by the abort
    await stopAll();
    throw error;
  }
}
