import http from 'node:http';
import { topology } from '../../infra/topology';
import { runtimeInfo } from '../helpers/runtime';

const { url } = runtimeInfo();

/** A raw request (fetch refuses a body on GET and always sends whole bodies). */
function raw(method: string, path: string, headers: Record<string, string>, chunks: Buffer[]) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(`${url}${path}`, { method, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

describe('Local runtime: HTTP gateway', () => {
  it('answers GET /health through the real handler with every dependency up', async () => {
    const res = await fetch(`${url}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('apigw-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    const body = (await res.json()) as { status: string; dependencies: Array<{ name: string; ok: boolean }> };
    expect(body.status).toBe('ok');
    const expected = [
      ...Object.keys(topology.tables),
      ...Object.keys(topology.queues),
      ...Object.keys(topology.buckets),
    ].sort();
    expect(body.dependencies.map((d: { name: string }) => d.name).sort()).toEqual(expected);
    expect(body.dependencies.every((d: { ok: boolean }) => d.ok)).toBe(true);
  });

  it('answers an unknown route with problem+json 404, in Chinese by default and English on request', async () => {
    const zh = await fetch(`${url}/v1/nowhere`);
    expect(zh.status).toBe(404);
    expect(zh.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await zh.json()).toMatchObject({ status: 404, title: '没有这个接口' });

    const en = await fetch(`${url}/v1/nowhere`, { headers: { 'accept-language': 'en' } });
    expect(await en.json()).toMatchObject({ status: 404, title: 'No such route' });
  });

  it('answers a known path with the wrong method with 405 and Allow', async () => {
    const res = await fetch(`${url}/health`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
  });

  it('refuses a body over 256 KiB with 413 before any handler runs, declared or streamed', async () => {
    const big = Buffer.alloc(256 * 1024 + 1, 'x');
    const declared = await raw('GET', '/health', { 'content-type': 'application/json', 'content-length': String(big.length) }, [big]);
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toMatchObject({ status: 413, title: '请求体超过 256 KiB 上限' });

    // No content-length: the limit is enforced while the body streams in.
    const chunks = Array.from({ length: 5 }, () => Buffer.alloc(64 * 1024, 'y'));
    const chunked = await raw('GET', '/health', { 'transfer-encoding': 'chunked' }, chunks);
    expect(chunked.status).toBe(413);
  });

  it('accepts a body of exactly 256 KiB', async () => {
    const body = Buffer.alloc(256 * 1024, 'x');
    const res = await raw('GET', '/health', { 'content-type': 'application/json', 'content-length': String(body.length) }, [body]);
    expect(res.status).toBe(200);
  });

  it('reads the simulated clock and moves it forward only', async () => {
    const now = ((await (await fetch(`${url}/local/clock`)).json()) as { now: string }).now;
    const later = new Date(Date.parse(now) + 3600_000).toISOString();
    const moved = await fetch(`${url}/local/clock`, { method: 'POST', body: JSON.stringify({ now: later }) });
    expect(moved.status).toBe(200);
    expect(Date.parse(((await moved.json()) as { now: string }).now)).toBeGreaterThanOrEqual(Date.parse(later));

    const back = await fetch(`${url}/local/clock`, { method: 'POST', body: JSON.stringify({ now }), headers: { 'accept-language': 'en' } });
    expect(back.status).toBe(409);
    const bad = await fetch(`${url}/local/clock`, { method: 'POST', body: JSON.stringify({ now: '2021-09-24 23:00' }) });
    expect(bad.status).toBe(422);
    const errors = ((await bad.json()) as { errors: Array<{ path: string; code: string; message: string }> }).errors;
    expect(errors).toEqual([{ path: 'now', code: 'invalid_instant', message: expect.stringContaining('2021-09-24T23:59:59+08:00') }]);
  });
});
