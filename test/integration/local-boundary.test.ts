// The one-machine runtime's boundary (ADR 0032), attacked as a web page would: a page the
// developer visits, or a DNS-rebinding page, must not mint a token, move the clock or touch the
// local S3; the README's curl flow and the web app's sign-in keep working.
import { execFile } from 'node:child_process';
import http from 'node:http';
import { promisify } from 'node:util';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { client, completeActivity, tokenFor } from '../helpers/api';
import { clientsFor, runtimeInfo, uniqueId, type Clients } from '../helpers/runtime';
import { sampleFile } from '../helpers/sample-files';

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** One raw HTTP request to the gateway, headers exactly as given (a browser's `Host`, `Origin`, `Sec-Fetch-Site`). */
function raw(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  const { port } = new URL(runtimeInfo().url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const ADMIN = JSON.stringify({ sub: 'attacker', orgId: 'xinxiang-kx', roles: ['admin'] });
const LATER = JSON.stringify({ now: '2031-01-01T00:00:00+08:00' });

describe('Local runtime: the boundary', () => {
  const info = runtimeInfo();
  const { port } = new URL(info.url);
  const clockNow = async () => ((await (await fetch(`${info.url}/local/clock`)).json()) as { now: string }).now;

  describe('a foreign Host (DNS rebinding)', () => {
    it.each([
      ['a foreign name with a text/plain body', { host: 'evil.example', 'content-type': 'text/plain' }],
      ['a rebinding page, same origin as far as its browser knows', { host: `rebind.evil.example:${port}`, origin: `http://rebind.evil.example:${port}`, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' }],
      ['a name that merely starts like localhost', { host: `localhost.evil.example:${port}`, 'content-type': 'application/json' }],
    ])('gets no admin token: %s', async (_what, headers) => {
      const res = await raw('/local/token', { method: 'POST', headers, body: ADMIN });
      expect(res.status).toBe(403);
      expect(res.body).not.toContain('token');
      expect(JSON.parse(res.body)).toMatchObject({ status: 403, detail: expect.stringContaining('SCIDAY_ALLOWED_HOSTS') });
    });

    it('reaches nothing else either: the API, the web app and the S3 front', async () => {
      for (const path of ['/v1/campaigns/2021-xinxiang', '/', `/${info.resources.buckets.media?.name}?list-type=2`]) {
        expect((await raw(path, { headers: { host: `rebind.evil.example:${port}` } })).status).toBe(403);
      }
    });
  });

  describe('a cross-site page (Origin not an allowed front end)', () => {
    const crossSite = { host: `localhost:${port}`, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site', 'content-type': 'text/plain;charset=UTF-8' };

    it('mints no token with a text/plain body (no preflight needed)', async () => {
      const res = await raw('/local/token', { method: 'POST', headers: crossSite, body: ADMIN });
      expect(res.status).toBe(403);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(JSON.parse(res.body)).toMatchObject({ detail: expect.stringContaining('Origin https://evil.example is not an allowed front end') });
    });

    it('fires no milestone: the clock stays where it was', async () => {
      const before = Date.parse(await clockNow());
      const res = await raw('/local/clock', { method: 'POST', headers: crossSite, body: LATER });
      expect(res.status).toBe(403);
      expect(Date.parse(await clockNow())).toBeLessThan(Date.parse('2030-01-01T00:00:00Z'));
      expect(Date.parse(await clockNow())).toBeGreaterThanOrEqual(before);
    });

    it.each([
      ['a form post', { 'content-type': 'application/x-www-form-urlencoded' }],
      ['a multipart post', { 'content-type': 'multipart/form-data; boundary=x' }],
      ['a JSON post whose preflight was refused', { 'content-type': 'application/json' }],
      ['a sandboxed frame (Origin null)', { origin: 'null', 'content-type': 'text/plain' }],
    ])('refuses %s too', async (_what, headers) => {
      expect((await raw('/local/token', { method: 'POST', headers: { ...crossSite, ...headers }, body: ADMIN })).status).toBe(403);
    });

    it('gets no preflight for /local/token', async () => {
      const res = await raw('/local/token', { method: 'OPTIONS', headers: { host: `localhost:${port}`, origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
      expect(res.status).toBe(403);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('may not send a browser’s text/plain body even from an allowed origin (only JSON from a page)', async () => {
      const res = await raw('/local/token', { method: 'POST', headers: { ...crossSite, origin: `http://localhost:${port}`, 'sec-fetch-site': 'same-origin' }, body: ADMIN });
      expect(res.status).toBe(415);
    });
  });

  describe('the ways in that keep working', () => {
    it('signs in as the web app does: JSON from the page’s own origin, on either loopback name', async () => {
      for (const origin of [`http://localhost:${port}`, `http://127.0.0.1:${port}`]) {
        const res = await raw('/local/token', {
          method: 'POST',
          headers: { host: new URL(origin).host, origin, 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors', 'content-type': 'application/json' },
          body: JSON.stringify({ sub: 'web', orgId: 'hongqi-kx', roles: ['organizer'] }),
        });
        expect(res.status).toBe(200);
        expect(JSON.parse(res.body)).toHaveProperty('token');
      }
    });

    it('runs the README’s curl flow byte for byte (form-encoded JSON, no Origin)', async () => {
      // Prepare: the README's commands with this runtime's port
      const curl = promisify(execFile);
      const { stdout: minted } = await curl('curl', ['-s', '-XPOST', `localhost:${port}/local/token`, '-d', '{"sub":"u1","orgId":"hongqi-kx","roles":["organizer"]}']);
      const token = (JSON.parse(minted) as { token: string }).token;
      // Act
      const { stdout: created } = await curl('curl', [
        '-s', '-XPOST', `localhost:${port}/v1/campaigns/2021-xinxiang/activities`,
        '-H', `authorization: Bearer ${token}`, '-H', 'content-type: application/json', '-H', `idempotency-key: ${uniqueId('readme')}`,
        '-d', '{"title":"科普进社区","kind":"joint-action","jointAction":"carbon"}',
      ]);
      // The clock route takes curl's body too: a malformed instant gets 422, not 403 or 415.
      const { stdout: clock } = await curl('curl', ['-s', '-XPOST', `localhost:${port}/local/clock`, '-d', '{"now":"not a time"}']);
      // Assess
      expect(JSON.parse(created)).toMatchObject({ title: '科普进社区', status: 'draft' });
      expect(JSON.parse(clock)).toMatchObject({ status: 422 });
    });
  });

  describe('the S3 front passes on presigned POSTs and GETs only', () => {
    let aws: Clients;
    let viaGateway: S3Client;
    const media = info.resources.buckets.media?.name ?? '';
    const victim = `uploads/2021-xinxiang/weibin-kx/${uniqueId('act')}/01JD7Q3M7X5C9F2VZK8N4R6T2C`;

    beforeAll(async () => {
      aws = clientsFor(info);
      // An SDK client with the local credentials, pointed at the gateway (what an attacker's script would do).
      viaGateway = new S3Client({ region: info.region, endpoint: info.url, forcePathStyle: true, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
      await aws.s3.send(new PutObjectCommand({ Bucket: media, Key: victim, Body: sampleFile('jpeg'), ContentType: 'image/jpeg' }));
    });
    afterAll(() => {
      viaGateway.destroy();
      for (const c of Object.values(aws)) c.destroy();
    });

    const status = (p: Promise<unknown>) => p.then(() => 200, (e: { $metadata?: { httpStatusCode?: number } }) => e.$metadata?.httpStatusCode ?? 0);

    it('lists nothing: buckets, objects', async () => {
      expect(await status(viaGateway.send(new ListObjectsV2Command({ Bucket: media })))).toBe(403);
      expect((await raw(`/${media}`, { headers: { host: `127.0.0.1:${port}` } })).status).toBe(403);
      expect((await raw(`/${media}/`, { headers: { host: `127.0.0.1:${port}` } })).status).toBe(403);
      // ListBuckets is GET / (the web app), never S3; an absolute request target cannot name fauxqs either.
      const buckets = await viaGateway.send(new ListBucketsCommand({})).then((r) => r.Buckets ?? [], () => []);
      expect(buckets).toEqual([]);
      const absolute = await raw(`${info.endpoints.s3}/${media}/`, { headers: { host: `127.0.0.1:${port}` } });
      expect(absolute.status).toBe(400);
      expect(absolute.body).not.toContain('ListBucketResult');
    });

    it('deletes and overwrites nothing of another unit’s uploads, and reads nothing unsigned', async () => {
      expect(await status(viaGateway.send(new DeleteObjectCommand({ Bucket: media, Key: victim })))).toBe(403);
      expect(await status(viaGateway.send(new DeleteObjectsCommand({ Bucket: media, Delete: { Objects: [{ Key: victim }] } })))).toBe(403);
      expect(await status(viaGateway.send(new PutObjectCommand({ Bucket: media, Key: victim, Body: '<script>alert(1)</script>' })))).toBe(403);
      expect((await raw(`/${media}/${victim}`, { headers: { host: `127.0.0.1:${port}` } })).status).toBe(403);
      // Assess: still there, still the photo
      const head = await aws.s3.send(new HeadObjectCommand({ Bucket: media, Key: victim }));
      expect(head.ContentType).toBe('image/jpeg');
    });

    it('takes the form the API hands out, from the page’s origin, and refuses a post from a cross-site page', async () => {
      // Prepare
      const api = client(info.url, await tokenFor(info.url, { sub: 'u', orgId: 'hongqi-kx', roles: ['organizer'] }));
      const activityId = (await api.post<{ activityId: string }>('/v1/campaigns/2021-xinxiang/activities', completeActivity())).body.activityId;
      const file = sampleFile('jpeg');
      const grant = await api.post<{ url: string; fields: Record<string, string> }>(`/v1/activities/${activityId}/uploads`, {
        kind: 'photo', contentType: 'image/jpeg', size: file.length, fileName: 'p.jpg',
      });
      const post = (origin: string) => {
        const form = new FormData();
        for (const [k, v] of Object.entries(grant.body.fields)) form.append(k, v);
        form.append('file', new Blob([file], { type: 'image/jpeg' }), 'p.jpg');
        return fetch(grant.body.url, { method: 'POST', body: form, headers: { origin } });
      };
      // Act
      const evil = await post('https://evil.example');
      const own = await post(`http://localhost:${port}`);
      // Assess
      expect(evil.status).toBe(403);
      expect(own.status).toBe(204);
      expect(own.headers.get('access-control-allow-origin')).toBe(`http://localhost:${port}`);
    });
  });
});
