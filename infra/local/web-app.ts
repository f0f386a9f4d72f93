/**
 * The web app on one machine: `npm start` serves `web/dist` at `/` on the gateway's port,
 * building it first when it is missing or older than its sources (ADR 0019), and answers
 * `/config.json` with the local sign-in mode. Paths of the API (`/v1/…`, `/local/…`,
 * `/health`, `/health/…`) are never answered here: an unknown API path stays a problem+json 404.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, normalize, relative, resolve, sep } from 'node:path';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { WebConfigInput } from '../../shared/schemas/web-config.schema';
import { pidAlive } from './dynamodb-local';
import { activityPreview, PUBLIC_ACTIVITY_PATH, withSharePreview } from '../../shared/http/share-preview';

/** What the build reads: a change to any of these makes `web/dist` stale. */
// shared/export: the data dictionary page renders the export's column catalogue.
const SOURCES = ['web/src', 'web/index.html', 'web/vite.config.ts', 'shared/domain', 'shared/schemas', 'shared/export', 'package-lock.json'];
const STAMP = '.sources';

/** A digest of every source file's path, size and modification time. */
export function sourcesDigest(projectRoot: string): string {
  // The build's kind is part of what it is made from (a stamp from a non-production build is stale).
  const hash = createHash('sha256').update('production\n');
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    const info = statSync(path);
    if (info.isDirectory()) {
      for (const name of readdirSync(path).sort()) visit(join(path, name));
    } else {
      hash.update(`${relative(projectRoot, path)}\0${info.size}\0${info.mtimeMs}\n`);
    }
  };
  for (const s of SOURCES) visit(join(projectRoot, s));
  return hash.digest('hex');
}

export type WebBuildMode = 'auto' | 'never';

/**
 * Builds `web/dist` when it is missing or stale (`mode` `auto`), one build at a time across
 * processes (a lock file beside it). Resolves with what happened.
 */
export async function ensureWebBuilt(
  projectRoot: string,
  mode: WebBuildMode,
  log: (entry: Record<string, unknown>) => void,
  /** Aborted when the runtime's start failed: the build (its vite child) stops. */
  signal?: AbortSignal,
): Promise<'fresh' | 'built' | 'skipped'> {
  const dist = join(projectRoot, 'web', 'dist');
  const digest = sourcesDigest(projectRoot);
  const stamp = join(dist, STAMP);
  const fresh = () => existsSync(stamp) && readFileSync(stamp, 'utf8') === digest;
  if (fresh()) return 'fresh';
  if (mode === 'never') return 'skipped';
  const lock = join(projectRoot, 'web', '.build.lock');
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      writeFileSync(lock, String(process.pid));
      break;
    } catch {
      const holder = Number(readFileSync(lock, 'utf8') || 0);
      if (holder > 0 && !pidAlive(holder)) rmSync(lock, { force: true });
      else await new Promise((r) => setTimeout(r, 250));
      if (fresh()) return 'fresh';
      signal?.throwIfAborted();
    }
  }
  try {
    if (fresh()) return 'fresh';
    log({ msg: 'building the web app (web/dist is missing or older than its sources)' });
    const started = performance.now();
    await new Promise<void>((resolvePromise, reject) => {
      const child = spawn(process.execPath, [join(projectRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
        cwd: projectRoot,
        // Vite takes NODE_ENV from the environment when it is set: under jest it is `test`, which
        // would ship Vue's development build (40 KB more gzip). The app is always a production build.
        env: { ...process.env, NODE_ENV: 'production' },
        stdio: ['ignore', 'ignore', 'pipe'],
        ...(signal ? { signal } : {}),
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`vite build failed (${code}): ${stderr}`))));
    });
    writeFileSync(stamp, digest);
    log({ msg: 'web app built', ms: Math.round(performance.now() - started) });
    return 'built';
  } finally {
    rmSync(lock, { force: true });
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Paths that belong to the API: never the app's. */
const API_PATH = /^\/(v1|local|health)(\/|$)/;

/** The Content-Security-Policy of the app's pages on one machine (API and uploads on the same origin). */
export const LOCAL_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // Element Plus sets inline style attributes (positions, widths).
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

export interface WebApp {
  /** The answer for a GET/HEAD of `path`, or undefined when the path is not the app's. */
  serve(path: string): APIGatewayProxyStructuredResultV2 | undefined;
  /**
   * `page` (what {@link serve} answered for `path`) with the activity's link preview in its head
   * when `path` is a public activity page (ADR 0045); any other page as it is.
   */
  withPreview(path: string, page: APIGatewayProxyStructuredResultV2): Promise<APIGatewayProxyStructuredResultV2>;
}

export interface WebAppOptions {
  /** The body of `GET /v1/public/activities/{id}`, or undefined when there is none (404, not started). */
  readonly publicActivity?: (activityId: string) => Promise<unknown>;
}

export function localWebApp(projectRoot: string, config: WebConfigInput, options: WebAppOptions = {}): WebApp {
  const dist = resolve(projectRoot, 'web', 'dist');
  const common = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
  const file = (path: string, cache: string): APIGatewayProxyStructuredResultV2 => ({
    statusCode: 200,
    headers: {
      'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
      'cache-control': cache,
      ...common,
      ...(path.endsWith('.html') ? { 'content-security-policy': LOCAL_CSP, 'x-frame-options': 'DENY' } : {}),
    },
    body: readFileSync(path).toString('base64'),
    isBase64Encoded: true,
  });
  return {
    serve(path) {
      if (API_PATH.test(path)) return undefined;
      if (path === '/config.json') {
        return { statusCode: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...common }, body: JSON.stringify(config) };
      }
      const index = join(dist, 'index.html');
      if (!existsSync(index)) {
        return {
          statusCode: 503,
          headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...common },
          body: '网页端尚未构建：运行 npm run build:web（或不设 SCIDAY_WEB_BUILD=never 重新 npm start）。\nThe web app is not built: run npm run build:web (or npm start without SCIDAY_WEB_BUILD=never).\n',
        };
      }
      let decoded: string;
      try {
        decoded = decodeURIComponent(path);
      } catch {
        return { statusCode: 400, headers: { 'content-type': 'text/plain; charset=utf-8', ...common }, body: 'Bad path\n' };
      }
      const target = normalize(join(dist, decoded));
      if ((target + sep).startsWith(dist + sep) && target !== dist && existsSync(target) && statSync(target).isFile() && !target.endsWith(STAMP)) {
        return file(target, target.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      }
      // A file-like path that is not there is a 404; every other path is a route of the app.
      if (extname(path) !== '') return { statusCode: 404, headers: { 'content-type': 'text/plain; charset=utf-8', ...common }, body: 'Not found\n' };
      return file(index, 'no-cache');
    },
    async withPreview(path, page) {
      const id = PUBLIC_ACTIVITY_PATH.exec(path)?.[1];
      const isHtml = String(page.headers?.['content-type'] ?? '').startsWith('text/html');
      if (!id || !options.publicActivity || page.statusCode !== 200 || !isHtml || page.body === undefined) return page;
      // A preview is a nicety: an API that does not answer leaves the app's own head.
      const preview = activityPreview(await options.publicActivity(id).catch(() => undefined));
      if (!preview) return page;
      const html = Buffer.from(page.body, page.isBase64Encoded ? 'base64' : 'utf8').toString('utf8');
      return { ...page, body: Buffer.from(withSharePreview(html, preview)).toString('base64'), isBase64Encoded: true };
    },
  };
}
