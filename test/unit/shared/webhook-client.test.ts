// The webhook client against a real HTTP server on 127.0.0.1 (no network beyond this
// machine's loopback): what it sends, how it reads answers, and what it never connects to.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import type { LookupAddress } from 'node:dns';
import {
  classifyResponse,
  guardedLookup,
  HttpWebhookClient,
  resolveHostAddresses,
  WebhookAddressRefusedError,
} from '../../../shared/clients/webhook-client';
import { loadWebhookPolicy } from '../../../shared/config';

const LOCAL = { allowLoopback: true };
const STRICT = { allowLoopback: false };
const payload = { msgtype: 'text', text: { content: '【科普日】提醒\nReminder' } };

interface Seen {
  method?: string;
  url?: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** An HTTP server on 127.0.0.1 answering with `respond`, recording every request. */
async function receiver(respond: (req: IncomingMessage, res: ServerResponse) => void) {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      respond(req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    seen,
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A TCP server that only counts connections: proof that nothing connected at all. */
async function connectionCounter() {
  let connections = 0;
  const server: TcpServer = createTcpServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A resolver answering fixed addresses for every name (what DNS would say). */
const resolvesTo =
  (...addresses: string[]) =>
  (_host: string, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) =>
    callback(null, addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));

const answer = (status: number, body = '', headers: Record<string, string> = {}) => (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body);
};

describe('Class: HttpWebhookClient', () => {
  it('POSTs the robot JSON and reads errcode 0 as sent', async () => {
    // Prepare
    const robot = await receiver(answer(200, '{"errcode":0,"errmsg":"ok"}'));
    const client = new HttpWebhookClient({ policy: LOCAL });

    // Act
    const result = await client.post(`${robot.url}/cgi-bin/webhook/send?key=k`, payload);
    await robot.close();

    // Assess
    expect(result).toEqual({ kind: 'sent', status: 200 });
    expect(robot.seen).toHaveLength(1);
    expect(robot.seen[0]).toMatchObject({ method: 'POST', url: '/cgi-bin/webhook/send?key=k' });
    expect(robot.seen[0]?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(robot.seen[0]?.body ?? '')).toEqual(payload);
  });

  it('connects to the address its lookup checked for a host name', async () => {
    const robot = await receiver(answer(200, '{}'));
    const client = new HttpWebhookClient({ policy: LOCAL, resolve: resolvesTo('127.0.0.1') });
    expect(await client.post(`http://robot.localhost:${robot.port}/hook`, payload)).toEqual({ kind: 'sent', status: 200 });
    await robot.close();
    expect(robot.seen[0]?.headers.host).toBe(`robot.localhost:${robot.port}`);
  });

  it('never connects to a refused address: an IP literal, or a name resolving to loopback or private (DNS rebinding)', async () => {
    // Prepare: something listens on the port, so a connection would be seen.
    const listener = await connectionCounter();
    const strict = (addresses: string[]) => new HttpWebhookClient({ policy: STRICT, resolve: resolvesTo(...addresses) });

    // Act
    const results = [
      await strict([]).post(`https://127.0.0.1:${listener.port}/`, payload),
      await strict([]).post(`http://127.0.0.1:${listener.port}/`, payload),
      await strict([]).post(`https://2130706433:${listener.port}/`, payload),
      await strict([]).post(`https://[::ffff:127.0.0.1]:${listener.port}/`, payload),
      await strict(['127.0.0.1']).post(`https://rebind.example.cn:${listener.port}/`, payload),
      await strict(['93.184.216.34', '127.0.0.1']).post(`https://rebind.example.cn:${listener.port}/`, payload),
      await strict(['::ffff:127.0.0.1']).post(`https://rebind.example.cn:${listener.port}/`, payload),
      await new HttpWebhookClient({ policy: LOCAL, resolve: resolvesTo('127.0.0.1', '10.0.0.1') }).post(
        `http://robot.localhost:${listener.port}/`,
        payload,
      ),
    ];
    await new Promise((r) => setTimeout(r, 50));
    await listener.close();

    // Assess
    expect(results).toEqual(Array(8).fill({ kind: 'refused', reason: 'webhook_address_not_allowed' }));
    expect(listener.connections()).toBe(0);
  });

  it('refuses http to a public host and user info without connecting', async () => {
    const client = new HttpWebhookClient({ policy: LOCAL });
    expect(await client.post('http://hooks.example.cn/x', payload)).toEqual({ kind: 'refused', reason: 'https_required' });
    expect(await client.post('http://u:p@127.0.0.1:9/x', payload)).toEqual({ kind: 'refused', reason: 'invalid_url' });
  });

  it('does not follow a redirect', async () => {
    // Prepare: the redirect points at this very server; a follow would show as a second request.
    const robot = await receiver((req, res) => {
      if (req.url === '/hook') answer(302, '', { location: '/elsewhere' })(req, res);
      else answer(200, '{"errcode":0}')(req, res);
    });
    const client = new HttpWebhookClient({ policy: LOCAL });

    // Act
    const result = await client.post(`${robot.url}/hook`, payload);
    await robot.close();

    // Assess
    expect(result).toEqual({ kind: 'rejected', reason: 'http_302', status: 302 });
    expect(robot.seen.map((s) => s.url)).toEqual(['/hook']);
  });

  it('gives up after its deadline when the robot does not answer (retryable)', async () => {
    const robot = await receiver(() => undefined); // never answers
    const client = new HttpWebhookClient({ policy: LOCAL, timeoutMs: 300 });
    const started = Date.now();
    const result = await client.post(`${robot.url}/slow`, payload);
    const elapsed = Date.now() - started;
    await robot.close();
    expect(result).toEqual({ kind: 'retryable', reason: 'timeout' });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2000);
  });

  it('stops reading a response body past its cap', async () => {
    // Prepare: a 200 whose body never ends.
    const robot = await receiver((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(16 * 1024, 'x');
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('error', () => undefined);
      pump();
    });
    const client = new HttpWebhookClient({ policy: LOCAL, timeoutMs: 4000, maxResponseBytes: 64 * 1024 });

    // Act
    const started = Date.now();
    const result = await client.post(`${robot.url}/endless`, payload);
    await robot.close();

    // Assess: decided by the status long before the deadline.
    expect(result).toEqual({ kind: 'sent', status: 200 });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it.each([
    [500, '', { kind: 'retryable', reason: 'http_500', status: 500 }],
    [503, '', { kind: 'retryable', reason: 'http_503', status: 503 }],
    [429, '', { kind: 'retryable', reason: 'http_429', status: 429 }],
    [404, '', { kind: 'rejected', reason: 'http_404', status: 404 }],
    [400, '{"errcode":300001}', { kind: 'rejected', reason: 'http_400', status: 400 }],
    [200, '{"errcode":93000,"errmsg":"invalid webhook url"}', { kind: 'rejected', reason: 'robot_error', status: 200, errcode: 93000, errmsg: 'invalid webhook url' }],
    [200, '{"errcode":45009,"errmsg":"api freq out of limit"}', { kind: 'retryable', reason: 'robot_busy', status: 200, errcode: 45009, errmsg: 'api freq out of limit' }],
    [200, '{"errcode":130101,"errmsg":"send too fast"}', { kind: 'retryable', reason: 'robot_busy', status: 200, errcode: 130101, errmsg: 'send too fast' }],
    [200, 'ok', { kind: 'sent', status: 200 }],
    [204, '', { kind: 'sent', status: 204 }],
  ])('answers %i %s as %j', async (status, body, expected) => {
    const robot = await receiver(answer(status, body));
    const result = await new HttpWebhookClient({ policy: LOCAL }).post(`${robot.url}/x`, payload);
    await robot.close();
    expect(result).toEqual(expected);
  });

  it('reads a closed port as retryable', async () => {
    const listener = await connectionCounter();
    const { port } = listener;
    await listener.close();
    expect(await new HttpWebhookClient({ policy: LOCAL }).post(`http://127.0.0.1:${port}/`, payload)).toEqual({ kind: 'retryable', reason: 'ECONNREFUSED' });
  });
});

describe('Function: classifyResponse', () => {
  it('reads a string errcode too', () => {
    expect(classifyResponse(200, Buffer.from('{"errcode":"0"}'))).toEqual({ kind: 'sent', status: 200 });
    expect(classifyResponse(200, Buffer.from('{"errcode":"310000"}'))).toMatchObject({ kind: 'rejected', errcode: 310000 });
  });
});

describe('Function: guardedLookup', () => {
  const lookupOf = (policy: { allowLoopback: boolean }, ...addresses: string[]) => guardedLookup(policy, resolvesTo(...addresses));
  const call = (lookup: ReturnType<typeof guardedLookup>, options: Record<string, unknown>) =>
    new Promise<{ error: NodeJS.ErrnoException | null; address: unknown; family?: number }>((r) =>
      lookup('robot.example.cn', options, (error, address, family) => r({ error, address, family })),
    );

  it('answers one address, or all of them when asked (Happy Eyeballs)', async () => {
    expect(await call(lookupOf(STRICT, '8.8.8.8', '2001:4860:4860::8888'), {})).toEqual({ error: null, address: '8.8.8.8', family: 4 });
    expect(await call(lookupOf(STRICT, '8.8.8.8', '2001:4860:4860::8888'), { family: 6 })).toEqual({
      error: null,
      address: '2001:4860:4860::8888',
      family: 6,
    });
    expect((await call(lookupOf(STRICT, '8.8.8.8', '2001:4860:4860::8888'), { all: true })).address).toEqual([
      { address: '8.8.8.8', family: 4 },
      { address: '2001:4860:4860::8888', family: 6 },
    ]);
  });

  it('fails with WebhookAddressRefusedError when any address is not allowed', async () => {
    expect((await call(lookupOf(STRICT, '8.8.8.8', '169.254.169.254'), {})).error).toBeInstanceOf(WebhookAddressRefusedError);
    expect((await call(lookupOf(LOCAL, '127.0.0.1', 'fd00::1'), { all: true })).error).toBeInstanceOf(WebhookAddressRefusedError);
    expect((await call(lookupOf(LOCAL, '127.0.0.1', '::1'), {})).error).toBeNull();
  });
});

describe('Function: resolveHostAddresses', () => {
  it('answers the addresses of a name, undefined for an unknown one or after the timeout', async () => {
    expect(await resolveHostAddresses('localhost')).toEqual(expect.arrayContaining([expect.stringMatching(/^(127\.0\.0\.1|::1)$/)]));
    expect(await resolveHostAddresses('x', 100, resolvesTo('10.0.0.1'))).toEqual(['10.0.0.1']);
    expect(await resolveHostAddresses('x', 100, (_h, cb) => cb(Object.assign(new Error('nope'), { code: 'ENOTFOUND' }), []))).toBeUndefined();
    expect(await resolveHostAddresses('x', 50, () => undefined)).toBeUndefined();
  });
});

describe('Function: loadWebhookPolicy', () => {
  it('allows loopback only when WEBHOOK_ALLOW_LOOPBACK is exactly true', () => {
    expect(loadWebhookPolicy({ WEBHOOK_ALLOW_LOOPBACK: 'true' })).toEqual({ allowLoopback: true });
    expect(loadWebhookPolicy({ WEBHOOK_ALLOW_LOOPBACK: 'TRUE' })).toEqual({ allowLoopback: false });
    expect(loadWebhookPolicy({ WEBHOOK_ALLOW_LOOPBACK: '1' })).toEqual({ allowLoopback: false });
    expect(loadWebhookPolicy({})).toEqual({ allowLoopback: false });
  });
});
