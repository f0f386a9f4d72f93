/**
 * The whole backend on one machine, generated from the topology: DynamoDB Local and
 * fauxqs with their data under one folder, every table, queue and bucket, the HTTP
 * gateway, a poller per queue and stream trigger, and S3's notifications.
 *
 * `startLocalRuntime` starts them in order and stops them in reverse; each part is built in a
 * module of its own: runtime-notifier.ts (S3 notifications), runtime-pollers.ts (queue and
 * stream triggers), runtime-scheduler.ts (schedules from the simulated clock), dev-routes.ts
 * (`/config.json` and `/local/…`).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { installRuntimeClock, MovableClock } from '../../shared/clock';
import { CURSOR_KEY_ENV, PSEUDONYM_KEY_ENV, WEBHOOK_KEY_ENV } from '../../shared/config';
import { envName } from '../../shared/env-names';
import { SCHEDULE_ENV, scheduleGroupPrefix } from '../../shared/repositories/schedule-gateway';
import { scheduleManager } from '../schedules';
import { topology as sciDayTopology, type Topology } from '../topology';
import { PSEUDONYM_KEY_FILE, localCursorKey, localWebhookKey } from './cursor-key';
import { devRoutes, webCampaignOf, type StreamReaders } from './dev-routes';
import { claimDataDir, startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local';
import { FunctionHost } from './function-host';
import { startGateway, type Gateway, type LocalRoute } from './gateway';
import { CREDENTIALS, freePort, REGION } from './local-aws';
import { runLocalMigrations } from './migrations';
import { provision, type LocalResources } from './provision';
import { topologyNotifier, watchStoredObjects } from './runtime-notifier';
import { DEFAULT_QUEUE_CONCURRENCY, triggerPollers, type WiredTrigger } from './runtime-pollers';
import { StreamPoller } from './stream-poller';
import { CAMPAIGN_SCHEDULES_FILE, topologyScheduler } from './runtime-scheduler';
import type { S3Notifier } from './s3-notifier';
import { localTokenIssuer } from './token-issuer';
import { ensureWebBuilt, localWebApp, type WebBuildMode } from './web-app';

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
  /**
   * DynamoDB Local already starting on this data dir (claimed first with `claimDataDir`): `npm start`
   * launches the JVM before it loads the runtime's modules, so both happen at once. Stopped with the runtime.
   */
  readonly dynamoDb?: Promise<DynamoDbLocal>;
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

export { REGION } from './local-aws';

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
    // Pseudonyms and contact hashes (ADR 0047): a key kept in the data dir; on AWS the stateful stack's secret.
    [PSEUDONYM_KEY_ENV.value]: localCursorKey(dataDir, PSEUDONYM_KEY_FILE),
    // Webhook URLs are sealed at rest with the key kept in the data dir (ADR 0048); on AWS a secret under the stack's KMS key.
    [WEBHOOK_KEY_ENV.value]: localWebhookKey(dataDir),
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
  const lock = claimDataDir(dataDir); // makes the data dir

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
    const dynamoStarting = options.dynamoDb ?? startDynamoDbLocal({ projectRoot, dataDir, port: await freePort(), log: (line) => log({ msg: line }), signal: startAborted.signal });
    const fauxPort = await freePort();
    const notifierRef: { current?: S3Notifier } = {};
    // Both start at once; when one fails, the other (once started) is stopped with the rest.
    const [dynamoStart, fauxStart] = await Promise.allSettled([
      dynamoStarting,
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
    watchStoredObjects(faux, (bucket, key) => notifierRef.current?.objectStored(bucket, key));

    const endpoints = { dynamodb: dynamo.endpoint, sqs: `http://127.0.0.1:${faux.port}`, s3: `http://127.0.0.1:${faux.port}` };
    const base = { region: REGION, credentials: CREDENTIALS };
    const clients = {
      dynamodb: new DynamoDBClient({ ...base, endpoint: endpoints.dynamodb }),
      streams: new DynamoDBStreamsClient({ ...base, endpoint: endpoints.dynamodb }),
      sqs: new SQSClient({ ...base, endpoint: endpoints.sqs }),
      s3: new S3Client({ ...base, endpoint: endpoints.s3, forcePathStyle: true }),
    };
    checkpoint();
    const { createdTables, ...resources } = await provision(topology, stage, clients);
    // Before any handler runs: items written by an earlier version get what this one reads.
    await runLocalMigrations({ dataDir, resources, newStore: createdTables?.includes('main') === true, dynamodb: clients.dynamodb, s3: clients.s3, log });
    checkpoint();
    Object.assign(process.env, handlerEnvironment(resources, endpoints, stage, dataDir));

    const clock = new MovableClock(options.clockStart);
    installRuntimeClock(clock);
    const concurrency = Number(process.env.SCIDAY_LOCAL_CONCURRENCY);
    const host = new FunctionHost(topology, { projectRoot, region: REGION, stage, ...(concurrency > 0 ? { concurrency } : {}) });
    // Batches of one queue in flight at once, as Lambda's pollers run several (ADR 0030): each in a
    // module instance of its own; capped by the trigger's maxConcurrency and the function's slots.
    const queueBatches = Number(process.env.SCIDAY_LOCAL_QUEUE_CONCURRENCY) || DEFAULT_QUEUE_CONCURRENCY;

    const notifier = topologyNotifier({ topology, resources, clients, clock, ledgerFile: join(dataDir, 's3-notifications.log'), log });
    notifierRef.current = notifier;
    const missed = await notifier.reconcile();
    if (missed > 0) log({ msg: 'announced objects stored while the runtime was down', count: missed });
    stops.push(() => notifier.drain());

    const { pollers, wiring } = triggerPollers({
      topology,
      resources,
      clients,
      host,
      dataDir,
      concurrency: concurrency > 0 ? concurrency : 0,
      queueBatches,
      pollWaitSeconds: options.pollWaitSeconds ?? 1,
      log,
    });
    for (const p of pollers) p.start();
    stops.push(async () => {
      await Promise.all(pollers.map((p) => p.stop()));
    });

    const scheduler = topologyScheduler({ topology, resources, sqs: clients.sqs, host, clock, dataDir, log });

    // Tokens live in wall-clock time: moving the simulated clock signs nobody out (ADR 0019).
    const issuer = await localTokenIssuer(dataDir);
    const localRoutes: LocalRoute[] = [
      ...devRoutes({
        webCampaignId: webCampaignOf({ ...(options.webCampaignId ? { configured: options.webCampaignId } : {}), dynamodb: clients.dynamodb, resources }),
        issuer,
        clock,
        scheduler,
        schedulesFile: join(dataDir, CAMPAIGN_SCHEDULES_FILE),
        streams: streamReaders(pollers.filter((p): p is StreamPoller => p instanceof StreamPoller)),
      }),
      ...(options.localRoutes ?? []),
    ];

    // Public activity pages carry their own link preview, read from the public API through the
    // gateway itself (its address is known once it listens) (ADR 0045).
    const listening: { url?: string } = {};
    const webOptions = {
      publicActivity: async (activityId: string) => {
        if (!listening.url) return undefined;
        const res = await fetch(`${listening.url}/v1/public/activities/${encodeURIComponent(activityId)}`, { signal: AbortSignal.timeout(2_000) });
        return res.ok ? res.json() : undefined;
      },
    };
    const web = await webBuilt.then(
      () => localWebApp(projectRoot, { mode: 'local', ...(options.webCampaignId ? { campaignId: options.webCampaignId } : {}) }, webOptions),
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
    listening.url = gateway.url;
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

/** The runtime's stream readers, paused (each stops after its batch in flight) and resumed together. */
function streamReaders(readers: readonly StreamPoller[]): StreamReaders {
  let paused = false;
  return {
    get paused() {
      return paused;
    },
    async pause() {
      paused = true;
      await Promise.all(readers.map((r) => r.stop()));
    },
    resume() {
      paused = false;
      for (const r of readers) r.start();
    },
  };
}
