// `npm start`: the whole SciDay backend on one machine. Environment (see README):
// PORT (3000), SCIDAY_DATA_DIR (.sciday), SCIDAY_CLOCK (optional ISO instant),
// SCIDAY_CORS_ORIGINS (comma-separated front-end origins), SCIDAY_ALLOWED_HOSTS (comma-separated
// host names answered besides localhost and 127.0.0.1).
// Only light modules here: DynamoDB Local's JVM is launched first, and boots while the runtime's
// modules (the SDK, every handler's code) load.
import { resolve } from 'node:path';
import { claimDataDir, JavaMissingError, startDynamoDbLocal } from './dynamodb-local';
import { freePort } from './local-aws';

const started = performance.now();
const env = process.env;
const port = Number(env.PORT ?? 3000);
const dataDir = env.SCIDAY_DATA_DIR ?? '.sciday';
const clockStart = env.SCIDAY_CLOCK ? new Date(env.SCIDAY_CLOCK) : undefined;
const quiet = env.SCIDAY_LOG === 'quiet';
const webBuild = env.SCIDAY_WEB_BUILD === 'never' ? 'never' : 'auto';

if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`sciday: PORT must be a port number, got "${env.PORT}"`);
  process.exit(1);
}
if (clockStart && Number.isNaN(clockStart.getTime())) {
  console.error(`sciday: SCIDAY_CLOCK must be an ISO 8601 instant such as 2021-09-24T23:00:00+08:00, got "${env.SCIDAY_CLOCK}"`);
  process.exit(1);
}

const log = (entry: Record<string, unknown>) => {
  if (!quiet) console.log(JSON.stringify({ level: 'INFO', service: 'sciday-local', timestamp: new Date().toISOString(), ...entry }));
};

// Ctrl-C (or SIGTERM) during start-up aborts the start: what had started stops (DynamoDB Local's
// JVM, fauxqs, a web build), then the process exits. Once started, it stops the runtime.
const starting = new AbortController();
let stopRuntime: (() => Promise<void>) | undefined;
let stopping = false;
const stop = (stopIt: () => Promise<void>) =>
  stopIt().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`sciday: stop failed: ${String(error)}`);
      process.exit(1);
    },
  );
const shutdown = (signal: string) => {
  if (stopping) return;
  stopping = true;
  log({ msg: 'stopping', signal });
  if (stopRuntime) void stop(stopRuntime);
  else starting.abort(new Error(`${signal} during start-up`));
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));

try {
  // The data dir first (a live runtime on it keeps its JVM), then the JVM, then the modules.
  claimDataDir(resolve(dataDir));
  const dynamoDb = startDynamoDbLocal({ projectRoot: process.cwd(), dataDir: resolve(dataDir), port: await freePort(), log: (line) => log({ msg: line }), signal: starting.signal });
  dynamoDb.catch(() => undefined); // the runtime awaits it and reports its failure
  const [{ startLocalRuntime }, { faultRoutes, registerFaultInjection }] = await Promise.all([import('./runtime'), import('./fault-injection')]);
  // SCIDAY_FAULTS: the functions' SDK clients fail a share of their calls (ADR 0026); before any handler loads.
  const faults = registerFaultInjection(env);
  const runtime = await startLocalRuntime({
    signal: starting.signal,
    dynamoDb,
    dataDir,
    port,
    webBuild,
    ...(clockStart ? { clockStart } : {}),
    ...(env.SCIDAY_CORS_ORIGINS ? { corsOrigins: env.SCIDAY_CORS_ORIGINS.split(',').map((o) => o.trim()) } : {}),
    ...(env.SCIDAY_ALLOWED_HOSTS ? { allowedHosts: env.SCIDAY_ALLOWED_HOSTS.split(',').map((h) => h.trim()).filter(Boolean) } : {}),
    ...(faults ? { localRoutes: faultRoutes(faults) } : {}),
    log,
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    [
      '',
      `  SciDay 全国科普日活动后端 · local runtime — ready in ${seconds} s`,
      `  Web app  ${runtime.url}/   ← 在浏览器中打开 open this in a browser (local sign-in)`,
      `  API      ${runtime.url}/v1   (health: ${runtime.url}/health, contract: ${runtime.url}/v1/openapi.json)`,
      `  Data     ${runtime.dataDir}`,
      `  Clock    ${runtime.clock.now().toISOString()}${clockStart ? ' (simulated)' : ''}`,
      '  Docs     README.md, docs/',
      '  Stop     Ctrl-C',
      '',
    ].join('\n'),
  );
  stopRuntime = () => runtime.stop();
  // A signal that came after the start's last step: stop now.
  if (stopping) void stop(stopRuntime);
} catch (error) {
  // startLocalRuntime stopped what it had started before rejecting.
  if (starting.signal.aborted) process.exit(130);
  console.error(`sciday: ${error instanceof JavaMissingError ? error.message : `could not start: ${(error as Error).message}`}`);
  process.exit(1);
}
