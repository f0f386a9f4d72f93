// Signed list cursors (shared/repositories/page.ts, ADR 0031): a cursor is accepted only by the list it
// was issued for and only when it carries the key's signature; everything else is a 400 before any
// database is asked. The key comes from configuration (shared/config.ts loadCursorKeySource) and,
// on one machine, from the data dir (infra/local/cursor-key.ts).
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CURSOR_KEY_ENV, loadCursorKeySource } from '../../../shared/config';
import { ConfigError } from '../../../shared/errors';
import { BadRequestError } from '../../../shared/errors';
import { cursorScope, decodeCursor, encodeCursor, useCursorKey } from '../../../shared/repositories/page';
import { CURSOR_KEY_FILE, localCursorKey } from '../../../infra/local/cursor-key';

const unitScope = (orgId: string, filters: Record<string, unknown> = {}) => cursorScope('activities', `CAMP#2021-xinxiang#ORG#${orgId}#ACT`, filters);
const KEY_NAMES = ['pk', 'sk', 'gsi1pk', 'gsi1sk'];
const lastKey = (orgId: string) => ({ pk: 'ACT#a1', sk: 'A', gsi1pk: `CAMP#2021-xinxiang#ORG#${orgId}#ACT`, gsi1sk: '2021-09-20T01:00:00.000Z#a1' });

/** The cursor format before ADR 0031: the key and an unkeyed SHA-256 anyone could compute. */
const unkeyedCursor = (scope: string, key: Record<string, string>) => {
  const checksum = createHash('sha256').update(`${scope}\n${JSON.stringify(key)}`).digest('base64url').slice(0, 16);
  return Buffer.from(JSON.stringify({ k: key, c: checksum })).toString('base64url');
};

afterEach(() => useCursorKey(undefined));

describe('Module: repositories/page', () => {
  it('round-trips the key of a page through the list it was issued for', async () => {
    // Prepare
    const scope = unitScope('hongqi-kx', { status: 'registered' });
    // Act
    const cursor = await encodeCursor(scope, lastKey('hongqi-kx'));
    // Assess
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    await expect(decodeCursor(scope, cursor ?? '', KEY_NAMES, { gsi1pk: lastKey('hongqi-kx').gsi1pk })).resolves.toEqual(lastKey('hongqi-kx'));
    await expect(encodeCursor(scope, undefined)).resolves.toBeNull();
    await expect(decodeCursor(scope, undefined, KEY_NAMES)).resolves.toBeUndefined();
  });

  it('binds a cursor to its list: another unit, another list, other filters are 400', async () => {
    // Prepare
    const cursor = (await encodeCursor(unitScope('hongqi-kx'), lastKey('hongqi-kx'))) ?? '';
    // Act + Assess
    for (const other of [unitScope('weibin-kx'), cursorScope('flags', `CAMP#2021-xinxiang#ORG#hongqi-kx#ACT`), unitScope('hongqi-kx', { status: 'draft' })]) {
      await expect(decodeCursor(other, cursor, KEY_NAMES)).rejects.toThrow(BadRequestError);
    }
    // Absent filters are not filters: the same list.
    await expect(decodeCursor(unitScope('hongqi-kx', { status: undefined }), cursor, KEY_NAMES)).resolves.toEqual(lastKey('hongqi-kx'));
  });

  it.each([
    ['an edited key', (c: string) => `${Buffer.from(JSON.stringify([1, lastKey('weibin-kx')])).toString('base64url')}.${c.split('.')[1]}`],
    ['an edited signature', (c: string) => `${c.slice(0, -3)}${c.endsWith('AAA') ? 'BBB' : 'AAA'}`],
    ['a truncated signature', (c: string) => c.slice(0, -10)],
    ['no signature', (c: string) => c.split('.')[0] ?? ''],
    ['an extra part', (c: string) => `${c}.x`],
    ['garbage', () => 'garbage'],
    ['the empty string', () => ''],
    ['a huge cursor', (c: string) => `${'A'.repeat(5000)}.${c.split('.')[1]}`],
    ['the old unkeyed checksum, aimed at another unit’s partition', () => unkeyedCursor(unitScope('hongqi-kx'), lastKey('weibin-kx'))],
  ])('refuses %s with a 400', async (_name, forge) => {
    // Prepare
    const cursor = (await encodeCursor(unitScope('hongqi-kx'), lastKey('hongqi-kx'))) ?? '';
    // Act
    const decoded = decodeCursor(unitScope('hongqi-kx'), forge(cursor), KEY_NAMES);
    // Assess
    await expect(decoded).rejects.toThrow(BadRequestError);
    await expect(decoded).rejects.toMatchObject({ status: 400, code: 'bad_request' });
  });

  it('refuses a cursor signed with another key', async () => {
    // Prepare
    useCursorKey(randomBytes(32));
    const foreign = (await encodeCursor(unitScope('hongqi-kx'), lastKey('hongqi-kx'))) ?? '';
    useCursorKey(randomBytes(32));
    // Act + Assess
    await expect(decodeCursor(unitScope('hongqi-kx'), foreign, KEY_NAMES)).rejects.toThrow(BadRequestError);
  });

  it('refuses a signed key with other attribute names, or whose partition is not the list’s', async () => {
    // Prepare
    const scope = unitScope('hongqi-kx');
    const cursor = (await encodeCursor(scope, lastKey('hongqi-kx'))) ?? '';
    // Act + Assess
    await expect(decodeCursor(scope, cursor, ['pk', 'sk'])).rejects.toThrow(BadRequestError);
    await expect(decodeCursor(scope, cursor, KEY_NAMES, { gsi1pk: lastKey('weibin-kx').gsi1pk })).rejects.toThrow(BadRequestError);
  });

  it('refuses keys shorter than 32 bytes', () => {
    expect(() => useCursorKey(Buffer.alloc(16))).toThrow(/32 bytes/);
  });
});

describe('Function: loadCursorKeySource', () => {
  const arn = 'arn:aws:secretsmanager:cn-north-1:123456789012:secret:CursorKey-AbCdEf';

  it('takes the secret’s ARN on AWS and the key itself on one machine', () => {
    const key = randomBytes(32);
    expect(loadCursorKeySource({ [CURSOR_KEY_ENV.secretArn]: arn, AWS_REGION: 'cn-north-1' })).toEqual({ kind: 'secret', secretId: arn, region: 'cn-north-1' });
    expect(loadCursorKeySource({ [CURSOR_KEY_ENV.value]: key.toString('base64url') })).toEqual({ kind: 'value', key });
  });

  it('fails without a key, with a short key and with something that is not a secret ARN', () => {
    expect(() => loadCursorKeySource({})).toThrow(ConfigError);
    expect(() => loadCursorKeySource({ [CURSOR_KEY_ENV.value]: randomBytes(16).toString('base64url') })).toThrow(ConfigError);
    expect(() => loadCursorKeySource({ [CURSOR_KEY_ENV.value]: `${randomBytes(32).toString('base64')}!` })).toThrow(ConfigError);
    expect(() => loadCursorKeySource({ [CURSOR_KEY_ENV.secretArn]: 'my-secret' })).toThrow(ConfigError);
  });
});

describe('Function: localCursorKey', () => {
  it('makes a 32-byte key once, readable by its owner only, and keeps it', () => {
    // Prepare
    const dataDir = mkdtempSync(join(tmpdir(), 'sciday-cursor-key-'));
    // Act
    const first = localCursorKey(dataDir);
    const again = localCursorKey(dataDir);
    // Assess
    expect(Buffer.from(first, 'base64url')).toHaveLength(32);
    expect(again).toBe(first);
    expect(readFileSync(join(dataDir, CURSOR_KEY_FILE), 'utf8')).toBe(first);
    expect(statSync(join(dataDir, CURSOR_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(localCursorKey(mkdtempSync(join(tmpdir(), 'sciday-cursor-key-')))).not.toBe(first);
  });

  it('replaces a kept key that is too short', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sciday-cursor-key-'));
    writeFileSync(join(dataDir, CURSOR_KEY_FILE), 'short');
    expect(Buffer.from(localCursorKey(dataDir), 'base64url')).toHaveLength(32);
  });
});

describe('Module: repositories/page, the key from Secrets Manager (AWS)', () => {
  const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:CursorKey-AbCdEf';
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    useCursorKey(undefined);
  });

  it('reads the secret named by CURSOR_KEY_SECRET_ARN once, and signs with it', async () => {
    // Prepare: a stand-in for the Secrets Manager endpoint on loopback, counting GetSecretValue calls.
    const secret = randomBytes(48).toString('base64url');
    const asked: Array<{ target: string | undefined; body: { SecretId?: string } }> = [];
    const server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        asked.push({ target: req.headers['x-amz-target'] as string | undefined, body: JSON.parse(raw) as { SecretId?: string } });
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ ARN: arn, Name: 'CursorKey', SecretString: secret, VersionId: 'v1' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      delete process.env[CURSOR_KEY_ENV.value];
      process.env[CURSOR_KEY_ENV.secretArn] = arn;
      process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      useCursorKey(undefined);
      // Act
      const cursor = (await encodeCursor(unitScope('hongqi-kx'), lastKey('hongqi-kx'))) ?? '';
      const decoded = await decodeCursor(unitScope('hongqi-kx'), cursor, KEY_NAMES);
      // Assess
      expect(decoded).toEqual(lastKey('hongqi-kx'));
      expect(asked).toEqual([{ target: 'secretsmanager.GetSecretValue', body: { SecretId: arn } }]);
      // Signed with the secret's value: the same cursor is valid under that key, not under another.
      useCursorKey(Buffer.from(secret, 'utf8'));
      await expect(decodeCursor(unitScope('hongqi-kx'), cursor, KEY_NAMES)).resolves.toEqual(lastKey('hongqi-kx'));
      useCursorKey(randomBytes(32));
      await expect(decodeCursor(unitScope('hongqi-kx'), cursor, KEY_NAMES)).rejects.toThrow(BadRequestError);
    } finally {
      server.close();
    }
  });
});
