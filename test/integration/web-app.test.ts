// The web app on one machine: `npm start` serves web/dist at `/` on the gateway's port (the
// global setup's runtime built it when stale), app routes fall back to index.html, and the
// API's own paths are never shadowed.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runtimeInfo } from '../helpers/runtime';

const { url } = runtimeInfo();

describe('Local runtime: the web app', () => {
  it('serves the app at / and at every app route (history routing), with a CSP', async () => {
    for (const path of ['/', '/activities', '/activities/01HXYZ/results', '/summary']) {
      const res = await fetch(`${url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      const html = await res.text();
      expect(html).toContain('<div id="app">');
      expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js"><\/script>/);
    }
  });

  it('serves the built assets with immutable caching', async () => {
    const html = await (await fetch(`${url}/`)).text();
    const script = /src="(\/assets\/index-[\w-]+\.js)"/.exec(html)?.[1];
    const res = await fetch(`${url}${script}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('javascript');
    expect(res.headers.get('cache-control')).toContain('immutable');
  });

  it('is a production build even when the runtime was started under jest (NODE_ENV=test)', () => {
    // Vue's development build carries its warnings; the production build has none of them.
    const assets = join(process.cwd(), 'web', 'dist', 'assets');
    const scripts = readdirSync(assets).filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.filter((f) => readFileSync(join(assets, f), 'utf8').includes('[Vue warn]'))).toEqual([]);
  });

  it('answers /config.json with the local sign-in mode and the home city’s newest published campaign (read from the table)', async () => {
    const res = await fetch(`${url}/config.json`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ mode: 'local', campaignId: '2021-xinxiang' });
  });

  it('leaves unknown API paths to the API (problem+json 404), and a missing asset is a 404', async () => {
    const api = await fetch(`${url}/v1/no-such-route`, { headers: { accept: 'text/html' } });
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
    expect((await fetch(`${url}/assets/nope.js`)).status).toBe(404);
  });

  it('lets the page call the API and post uploads from the gateway’s own origin (CORS)', async () => {
    const origin = url.replace('127.0.0.1', 'localhost');
    const res = await fetch(`${url}/v1/campaigns/2021-xinxiang`, { headers: { origin } });
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
    const other = await fetch(`${url}/v1/campaigns/2021-xinxiang`, { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
