/**
 * The web app's registration form as a browser loads it: Debian's Chromium (playwright-core,
 * headless, loopback), a fresh browser profile per run (cold HTTP cache), 1280 × 800.
 *
 * - Measured: a direct navigation to `/activities/new`, signed in (the local sign-in's stored
 *   session, no sign-in page on the way), on a local runtime as `npm start` serves it (web/dist,
 *   built when stale; the API on the same origin).
 *   1. Its JavaScript, gzip: every `.js` response of the navigation (the entry, its
 *      modulepreloads, the route's lazy chunks), until the network is idle, each gzipped
 *      (zlib's default level, as bundles.ts does) and summed. Budget 200 KB, the row fails
 *      (✗) over it.
 *   2. Navigation → interactive: from `page.goto` until the 活动名称 input is visible, enabled
 *      and editable and holds what was typed into it (`fill`, then read back). This includes
 *      what the page waits for before it shows the form: /config.json, the campaign from the API.
 * - Baseline, same run, same browser: a bare page of the same library, one ElForm with one
 *   ElFormItem + ElInput (labelled 活动名称) and one ElButton, with their styles, built by Vite
 *   with the same plugin and target from a temporary folder and served by a plain node:http
 *   static server on loopback; the same two measures. Runs of the two alternate.
 *
 * BENCH_RUNS (default 5) sets the runs of each.
 * Alone: `npx node --import tsx --disable-warning=ExperimentalWarning test/bench/web.ts`.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import vue from '@vitejs/plugin-vue';
import type { Browser, BrowserContext } from 'playwright-core';
import { build } from 'vite';
import { launchChromium, signIn, VIEWPORTS } from '../helpers/browser';
import { spawnRuntime } from '../helpers/global-setup';
import { stopRuntime } from '../helpers/private-runtime';
import { envCount, median, progress, table, type Row } from './stats';

const KB = 1000;
const BUDGET = 200 * KB;
const TITLE_LABEL = '活动名称';

/** The bare page: what Element Plus and Vue cost for one form with one input and one button. */
const BARE_FILES: Record<string, string> = {
  'index.html': [
    '<!doctype html>',
    '<html lang="zh-CN">',
    '  <head><meta charset="UTF-8" /><meta name="viewport" content="width=device-width, initial-scale=1" /><title>bare</title></head>',
    '  <body><div id="app"></div><script type="module" src="/main.ts"></script></body>',
    '</html>',
  ].join('\n'),
  'main.ts': ["import { createApp } from 'vue';", "import App from './App.vue';", '', "createApp(App).mount('#app');"].join('\n'),
  'App.vue': [
    '<script setup lang="ts">',
    "import { ref } from 'vue';",
    "import { ElButton, ElForm, ElFormItem, ElInput } from 'element-plus';",
    "import 'element-plus/es/components/base/style/css';",
    "import 'element-plus/es/components/form/style/css';",
    "import 'element-plus/es/components/form-item/style/css';",
    "import 'element-plus/es/components/input/style/css';",
    "import 'element-plus/es/components/button/style/css';",
    "const title = ref('');",
    '</script>',
    '<template>',
    '  <el-form label-position="top" @submit.prevent>',
    `    <el-form-item label="${TITLE_LABEL}" for="f-title"><el-input id="f-title" v-model="title" /></el-form-item>`,
    '    <el-button type="primary" native-type="submit">提交</el-button>',
    '  </el-form>',
    '</template>',
  ].join('\n'),
};

/** Builds the bare page with Vite (the app's plugin and target) into `<dir>/dist`. */
async function buildBarePage(projectRoot: string, dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(BARE_FILES)) writeFileSync(join(dir, name), text);
  // Resolve vue and element-plus from the project, as the app's build does.
  symlinkSync(join(projectRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const outDir = join(dir, 'dist');
  await build({
    root: dir,
    configFile: false,
    logLevel: 'warn',
    plugins: [vue()],
    base: '/',
    build: { outDir, emptyOutDir: true, target: 'es2022', sourcemap: false },
  });
  return outDir;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** A plain static server for `root` on loopback (no compression, like the runtime's gateway). */
async function serveStatic(root: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(root, path));
    if (!(file + sep).startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) file = join(root, 'index.html');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('static server: no port');
  return { url: `http://127.0.0.1:${address.port}`, server };
}

interface Load {
  readonly interactiveMs: number;
  /** When the last script of the navigation had arrived, and the campaign's GET (the form page only). */
  readonly lastScriptMs: number;
  readonly campaignMs?: number;
  readonly scripts: ReadonlyArray<{ readonly file: string; readonly bytes: number; readonly gzipBytes: number }>;
}

/** One cold navigation to `url` in a fresh profile: time until the title input takes typing, and every script loaded. */
async function load(browser: Browser, url: string, storageState?: Awaited<ReturnType<BrowserContext['storageState']>>): Promise<Load> {
  const context = await browser.newContext({ viewport: VIEWPORTS.desktop, ...(storageState ? { storageState } : {}) });
  try {
    const page = await context.newPage();
    const bodies: Array<Promise<{ file: string; bytes: number; gzipBytes: number } | undefined>> = [];
    page.on('response', (response) => {
      const file = new URL(response.url()).pathname;
      if (!file.endsWith('.js')) return;
      bodies.push(
        response.body().then(
          (body) => ({ file, bytes: body.length, gzipBytes: gzipSync(body).length }),
          () => undefined,
        ),
      );
    });
    let started = performance.now();
    let lastScriptMs = 0;
    let campaignMs: number | undefined;
    page.on('requestfinished', (request) => {
      const at = performance.now() - started;
      const path = new URL(request.url()).pathname;
      if (path.endsWith('.js')) lastScriptMs = Math.max(lastScriptMs, at);
      if (/^\/v1\/campaigns\/[^/]+$/.test(path)) campaignMs ??= at;
    });
    started = performance.now();
    await page.goto(url, { waitUntil: 'commit' });
    const title = page.getByLabel(TITLE_LABEL, { exact: true });
    await title.fill('科普', { timeout: 30_000 });
    if ((await title.inputValue()) !== '科普') throw new Error(`${url}: the ${TITLE_LABEL} input did not take the typing`);
    const interactiveMs = performance.now() - started;
    await page.waitForLoadState('networkidle');
    const scripts = (await Promise.all(bodies)).filter((s) => s !== undefined);
    if (scripts.length === 0) throw new Error(`${url}: no script loaded`);
    return { interactiveMs, lastScriptMs, ...(campaignMs !== undefined ? { campaignMs } : {}), scripts };
  } finally {
    await context.close();
  }
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const gzipOf = (l: Load) => sum(l.scripts.map((s) => s.gzipBytes));
/** `name 12.3 KB` for the largest scripts (gzip), hashes left out. */
const largest = (l: Load, n = 3) =>
  [...l.scripts]
    .sort((a, b) => b.gzipBytes - a.gzipBytes)
    .slice(0, n)
    .map((s) => `${s.file.split('/').pop()?.replace(/-[\w-]{8}\.js$/, '.js')} ${(s.gzipBytes / KB).toFixed(1)} KB`)
    .join(', ');

export async function webRows(projectRoot: string, work: string, runs: number): Promise<Row[]> {
  progress('web: building the bare Vue 3 + Element Plus page');
  const bareDist = await buildBarePage(projectRoot, join(work, 'web-bare'));
  const bare = await serveStatic(bareDist);
  const dataDir = join(work, 'web-runtime');
  mkdirSync(dataDir);
  const runtime = await spawnRuntime(dataDir, { SCIDAY_CLOCK: '2021-09-20T09:00:00+08:00' });
  const browser = await launchChromium();
  try {
    const { url } = JSON.parse(readFileSync(join(dataDir, 'runtime.json'), 'utf8')) as { url: string };
    // Signed in once; each run starts from that stored session in a fresh profile.
    const signInContext = await browser.newContext({ viewport: VIEWPORTS.desktop });
    await signIn(await signInContext.newPage(), url, '红旗区科协');
    const storageState = await signInContext.storageState();
    await signInContext.close();
    // One unmeasured load of each (the runtime's and Chromium's first-time work).
    await load(browser, `${bare.url}/`);
    await load(browser, `${url}/activities/new`, storageState);

    const bareLoads: Load[] = [];
    const formLoads: Load[] = [];
    for (let i = 0; i < runs; i += 1) {
      bareLoads.push(await load(browser, `${bare.url}/`));
      formLoads.push(await load(browser, `${url}/activities/new`, storageState));
      progress(`web run ${i + 1}/${runs} done`);
    }
    const form = formLoads[0]!;
    const base = bareLoads[0]!;
    const bareJs = 'web: bare page (Vue 3 + Element Plus: ElForm, ElInput, ElButton), JavaScript gzip';
    const bareTime = 'web: bare page, navigation → input accepts typing (Chromium, loopback)';
    return [
      {
        name: bareJs,
        unit: 'B',
        samples: bareLoads.map(gzipOf),
        note: `${base.scripts.length} file(s), ${sum(base.scripts.map((s) => s.bytes)).toLocaleString('en-US')} B before gzip`,
        data: { scripts: base.scripts },
      },
      {
        name: 'web: form page /activities/new signed in, JavaScript gzip (every script it loads)',
        unit: 'B',
        samples: formLoads.map(gzipOf),
        baseline: bareJs,
        goal: { maxMedian: BUDGET },
        note: `${form.scripts.length} files, ${sum(form.scripts.map((s) => s.bytes)).toLocaleString('en-US')} B before gzip; largest ${largest(form)}`,
        data: { scripts: form.scripts },
      },
      {
        name: bareTime,
        unit: 'ms',
        samples: bareLoads.map((l) => l.interactiveMs),
        note: `plain node:http static server; last script in at median ${median(bareLoads.map((l) => l.lastScriptMs)).toFixed(0)} ms`,
      },
      {
        name: 'web: form page /activities/new, navigation → 活动名称 accepts typing (Chromium, loopback)',
        unit: 'ms',
        samples: formLoads.map((l) => l.interactiveMs),
        baseline: bareTime,
        note:
          `served by the local runtime's gateway; medians: last script in at ${median(formLoads.map((l) => l.lastScriptMs)).toFixed(0)} ms, ` +
          `the campaign (GET /v1/campaigns/…, which the form waits for) at ${median(formLoads.map((l) => l.campaignMs ?? NaN)).toFixed(0)} ms`,
        data: { lastScriptMs: formLoads.map((l) => l.lastScriptMs), campaignMs: formLoads.map((l) => l.campaignMs) },
      },
    ];
  } finally {
    await browser.close();
    await new Promise((resolve) => bare.server.close(resolve));
    await stopRuntime(runtime, dataDir);
  }
}

// Alone: just these rows.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const work = mkdtempSync(join(tmpdir(), 'sciday-bench-'));
  try {
    console.log(table(await webRows(process.cwd(), work, envCount('BENCH_RUNS', 5))));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.exit(0);
}
