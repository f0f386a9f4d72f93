// kill -9, then restart on the same data dir: every item, message and object is still
// there, the orphaned DynamoDB Local is cleaned up, and an object whose announcement
// was lost in the crash is announced (and checked) after the restart.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { pidAlive } from '../../infra/local/dynamodb-local';
import { keys } from '../../shared/repositories/keys';
import { spawnRuntime } from '../helpers/global-setup';
import { clientsFor, eventually, runtimeInfo, uniqueId } from '../helpers/runtime';
import { client, completeActivity, tokenFor } from '../helpers/api';

const alive = pidAlive;

/** Stores one object with fauxqs alone on a runtime's data (fauxqs is ESM-only: in a child process). */
function storeAlone(fauxqsDir: string, bucket: string, key: string, body: string): number | null {
  const script = `
    import { startFauxqs } from 'fauxqs';
    import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
    import { CREDENTIALS, freePort, REGION } from './infra/local/local-aws.ts';
    const [dir, bucket, key, body] = process.argv.slice(1);
    const faux = await startFauxqs({ port: await freePort(), host: '127.0.0.1', logger: false, dataDir: dir, defaultRegion: REGION });
    const s3 = new S3Client({ region: REGION, endpoint: 'http://127.0.0.1:' + faux.port, forcePathStyle: true, credentials: CREDENTIALS });
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/pdf' }));
    s3.destroy();
    await faux.stop();`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, fauxqsDir, bucket, key, body], { cwd: process.cwd(), stdio: 'inherit' });
  return run.status;
}

describe('Local runtime: crash and restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sciday-restart-'));
  // Whatever a failed assertion leaves running (runtimes, their DynamoDB Local, SDK sockets) is
  // stopped here, so a failure is reported instead of keeping jest from exiting.
  const runtimes: ChildProcess[] = [];
  const sdkClients: Array<{ destroy(): void }> = [];
  const started = async () => {
    const child = await spawnRuntime(dataDir);
    runtimes.push(child);
    return child;
  };
  const clients = (info: ReturnType<typeof runtimeInfo>) => {
    const c = clientsFor(info);
    sdkClients.push(...Object.values(c));
    return c;
  };
  afterAll(() => {
    for (const c of sdkClients) c.destroy();
    for (const child of runtimes) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    try {
      const java = Number(readFileSync(join(dataDir, 'dynamodb-local.pid'), 'utf8'));
      if (java > 0 && alive(java)) process.kill(java, 'SIGKILL');
    } catch {
      // No DynamoDB Local was started, or it is gone already.
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every item, message and object across kill -9 and announces what the crash lost', async () => {
    // Prepare: a first runtime with one item, one waiting message and one announced object.
    const first = await started();
    const before = runtimeInfo(dataDir);
    const a = clients(before);
    const pk = `ITEM#${uniqueId('restart')}`;
    // An object uploaded the real way: a pending media item, then the form post.
    const api = client(before.url, await tokenFor(before.url, { sub: 'u', orgId: 'hongqi-kx', roles: ['organizer'] }));
    const activityId = (await api.post<{ activityId: string }>('/v1/campaigns/2021-xinxiang/activities', completeActivity())).body.activityId;
    const requestUpload = (fileName: string) =>
      api.post<{ url: string; fields: Record<string, string> }>(`/v1/activities/${activityId}/uploads`, { kind: 'document', fileName, contentType: 'application/pdf', size: 14 });
    const grant = await requestUpload('summary.pdf');
    // A second upload whose object lands just before the crash, its announcement lost with it.
    const late = await requestUpload('late.pdf');
    const lateKey = late.body.fields.key ?? '';
    const objectKey = grant.body.fields.key ?? '';
    const table = before.resources.tables.main?.name ?? '';
    const bucket = before.resources.buckets.media?.name ?? '';
    await a.doc.send(new PutCommand({ TableName: table, Item: { pk, sk: 'X', entity: 'Probe', n: 1 } }));
    const message = JSON.stringify({ probe: pk });
    await a.sqs.send(new SendMessageCommand({ QueueUrl: before.resources.queues['stream-failures']?.url, MessageBody: message }));
    const form = new FormData();
    for (const [k, v] of Object.entries(grant.body.fields)) form.append(k, v);
    form.append('file', new Blob([Buffer.from('%PDF-1.7 probe')], { type: 'application/pdf' }), 'summary.pdf');
    expect((await fetch(grant.body.url, { method: 'POST', body: form })).status).toBeLessThan(300);
    const firstSeen = await eventually(
      async () => (await a.doc.send(new GetCommand({ TableName: table, Key: keys.storedObject(bucket, objectKey) }))).Item,
      15_000,
      'the object to be checked',
    );
    // Recorded is not yet decided: wait for the decision, so the crash comes after it.
    await eventually(
      async () => {
        const media = await api.get<{ items: Array<{ status: string }> }>(`/v1/activities/${activityId}/media`);
        return media.body.items[0]?.status === 'accepted' ? true : undefined;
      },
      15_000,
      'the upload to be accepted before the crash',
    );
    const javaPid = Number(readFileSync(join(dataDir, 'dynamodb-local.pid'), 'utf8'));
    for (const c of Object.values(a)) c.destroy();

    // Act: crash hard, with an object stored that was never announced (a crash between store and
    // announce; stored here by fauxqs alone on the same data), lose the announcement ledger, restart.
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    expect(alive(javaPid)).toBe(true);
    expect(storeAlone(join(dataDir, 'fauxqs'), bucket, lateKey, '%PDF-1.7 later')).toBe(0);
    writeFileSync(join(dataDir, 's3-notifications.log'), '');
    const second = await started();
    const after = runtimeInfo(dataDir);
    const b = clients(after);

    // Assess: the orphan is gone, and nothing was lost.
    expect(alive(javaPid)).toBe(false);
    const item = await b.doc.send(new GetCommand({ TableName: table, Key: { pk, sk: 'X' }, ConsistentRead: true }));
    expect(item.Item).toEqual({ pk, sk: 'X', entity: 'Probe', n: 1 });
    const received = await b.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: after.resources.queues['stream-failures']?.url, WaitTimeSeconds: 2, MaxNumberOfMessages: 10 }),
    );
    expect((received.Messages ?? []).map((m) => m.Body)).toContain(message);
    const announced = await eventually(async () => {
      const r = await b.doc.send(new GetCommand({ TableName: table, Key: keys.storedObject(bucket, lateKey), ConsistentRead: true }));
      return r.Item;
    }, 15_000, 'the object stored before the crash to be announced');
    expect(announced).toMatchObject({ size: 14 });
    // Checked once each: the first accepted before the crash (still served, byte for byte), the late one after the restart.
    const apiAfter = client(after.url, await tokenFor(after.url, { sub: 'u', orgId: 'hongqi-kx', roles: ['organizer'] }));
    const media = await eventually(async () => {
      const list = await apiAfter.get<{ items: Array<{ status: string; fileName: string; url?: string }> }>(`/v1/activities/${activityId}/media`);
      return list.body.items.every((m) => m.status !== 'pending') ? list.body.items : undefined;
    }, 15_000, 'the late upload to be checked');
    expect(media.map((m) => [m.fileName, m.status])).toEqual([['summary.pdf', 'accepted'], ['late.pdf', 'accepted']]);
    expect(Buffer.from(await (await fetch(media[0]?.url ?? '')).arrayBuffer()).toString()).toBe('%PDF-1.7 probe');
    expect(firstSeen).toMatchObject({ size: 14 });

    // And a clean stop (SIGTERM) stops Java too.
    const secondJava = Number(readFileSync(join(dataDir, 'dynamodb-local.pid'), 'utf8'));
    for (const c of Object.values(b)) c.destroy();
    second.kill('SIGTERM');
    const code = await new Promise((r) => second.once('exit', r));
    expect(code).toBe(0);
    expect(alive(secondJava)).toBe(false);
  });
});

describe('Local runtime: prerequisites', () => {
  it('refuses to share a data dir with a running runtime', async () => {
    const dataDir = process.env.SCIDAY_TEST_DATA_DIR ?? '';
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
      env: { ...process.env, SCIDAY_DATA_DIR: dataDir, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(1);
    expect(stderr).toMatch(/Another SciDay runtime \(pid \d+\) is using/);
    expect(runtimeInfo().pid).not.toBe(child.pid);
  });

  it('stops with one clear line when java is missing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sciday-nojava-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
      env: { ...process.env, PATH: '/nonexistent', SCIDAY_DATA_DIR: dataDir, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n').filter((l) => !l.includes('ExperimentalWarning') && !l.includes('--trace-warnings'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/Java 17\+.*apt-get install -y openjdk-17-jre-headless/);
  });
});
