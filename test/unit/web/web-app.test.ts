import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureWebBuilt, localWebApp, sourcesDigest } from '../../../infra/local/web-app';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sciday-web-'));
  mkdirSync(join(root, 'web', 'dist', 'assets'), { recursive: true });
  mkdirSync(join(root, 'web', 'src'), { recursive: true });
  writeFileSync(join(root, 'web', 'src', 'main.ts'), 'export {};');
  writeFileSync(join(root, 'web', 'dist', 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(root, 'web', 'dist', 'assets', 'app-1.js'), 'console.log(1)');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const body = (r: { body?: string; isBase64Encoded?: boolean } | undefined) =>
  r?.body ? Buffer.from(r.body, r.isBase64Encoded ? 'base64' : 'utf8').toString() : '';

describe('Function: localWebApp', () => {
  it('serves index.html for the app routes, with a CSP and no caching', () => {
    const web = localWebApp(root, { mode: 'local' });
    for (const path of ['/', '/activities', '/activities/01HX/results', '/signin']) {
      const page = web.serve(path);
      expect(page?.statusCode).toBe(200);
      expect(body(page)).toContain('<title>app</title>');
      expect(page?.headers?.['cache-control']).toBe('no-cache');
      expect(String(page?.headers?.['content-security-policy'])).toContain("default-src 'self'");
    }
  });

  it('serves assets with immutable caching and never a path outside web/dist', () => {
    const web = localWebApp(root, { mode: 'local' });
    const asset = web.serve('/assets/app-1.js');
    expect(asset?.headers?.['content-type']).toContain('text/javascript');
    expect(asset?.headers?.['cache-control']).toContain('immutable');
    expect(web.serve('/assets/missing.js')?.statusCode).toBe(404);
    expect(body(web.serve('/../src/main.ts'))).not.toContain('export');
    expect(body(web.serve('/%2e%2e/src/main.ts'))).not.toContain('export');
    expect(web.serve('/%E0%A4%A')?.statusCode).toBe(400);
  });

  it('answers /config.json with the local mode and leaves the API paths to the API', () => {
    const web = localWebApp(root, { mode: 'local', campaignId: '2021-xinxiang' });
    expect(JSON.parse(body(web.serve('/config.json')))).toEqual({ mode: 'local', campaignId: '2021-xinxiang' });
    for (const path of ['/v1/nope', '/v1', '/local/token', '/health', '/health/live', '/health/nope']) expect(web.serve(path)).toBeUndefined();
  });

  it('writes a public activity page\'s own preview into the head, and leaves every other page as it is', async () => {
    // Prepare
    writeFileSync(join(root, 'web', 'dist', 'index.html'), '<!doctype html><html><head><title>app</title><meta name="description" content="generic" /></head><body></body></html>');
    const asked: string[] = [];
    const web = localWebApp(root, { mode: 'local' }, {
      publicActivity: (id) => {
        asked.push(id);
        return Promise.resolve(id === '01HXKNOWN' ? { title: '科普进社区', startsAt: '2021-09-20T14:00:00+08:00', endsAt: '2021-09-20T16:00:00+08:00', countyName: { zh: '红旗区' } } : undefined);
      },
    });
    const at = async (path: string) => body(await web.withPreview(path, web.serve(path)!));
    // Act
    const known = await at('/public/activities/01HXKNOWN');
    const unknown = await at('/public/activities/01HXGONE');
    const other = await at('/public/campaigns/2021-xinxiang');
    // Assess
    expect(known).toContain('<title>科普进社区 · 全国科普日活动</title>');
    expect(known).toContain('<meta property="og:description" content="2021年9月20日星期一 14:00–16:00 · 红旗区" />');
    expect(known).not.toContain('generic');
    expect(unknown).toContain('<title>app</title>');
    expect(other).toContain('<title>app</title>');
    expect(asked).toStrictEqual(['01HXKNOWN', '01HXGONE']);
  });

  it('says how to build the app when web/dist is missing', () => {
    rmSync(join(root, 'web', 'dist'), { recursive: true });
    const page = localWebApp(root, { mode: 'local' }).serve('/');
    expect(page?.statusCode).toBe(503);
    expect(body(page)).toContain('npm run build:web');
  });
});

describe('Function: ensureWebBuilt', () => {
  it('is fresh when the stamp matches the sources, and stale after a source changes', async () => {
    writeFileSync(join(root, 'web', 'dist', '.sources'), sourcesDigest(root));
    expect(await ensureWebBuilt(root, 'auto', () => undefined)).toBe('fresh');
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(root, 'web', 'src', 'main.ts'), later, later);
    // `never` serves what is there instead of building.
    expect(await ensureWebBuilt(root, 'never', () => undefined)).toBe('skipped');
  });
});
