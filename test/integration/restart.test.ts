// kill -9, then restart on the same data dir: every item, message and object is still
// there, the orphaned DynamoDB Local is cleaned up, and an object whose announcement
// was lost in the crash is announced after the restart.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { pidAlive } from '../../infra/local/dynamodb-local';
import { keys } from '../../shared/repositories/keys';
import { spawnRuntime } from '../helpers/global-setup';
import { clientsFor, eventually, runtimeInfo, uniqueId } from '../helpers/runtime';
import { client, completeActivity, tokenFor } from '../helpers/api';

const alive = pidAlive;

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
    const grant = await api.post<{ url: string; fields: Record<string, string> }>(`/v1/activities/${activityId}/uploads`, {
      kind: 'document',
      fileName: 'summary.pdf',
      contentType: 'application/pdf',
      size: 14,
    });
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

    // Act: crash hard, lose the announcement ledger as a crash between store and announce would, restart.
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    expect(alive(javaPid)).toBe(true);
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
    const head = await b.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: objectKey }));
    expect(head.ContentLength).toBe(14);
    const reannounced = await eventually(async () => {
      const r = await b.doc.send(new GetCommand({ TableName: table, Key: keys.storedObject(bucket, objectKey), ConsistentRead: true }));
      return r.Item && r.Item.sequencer > firstSeen.sequencer ? r.Item : undefined;
    }, 15_000, 'the object to be announced again');
    expect(reannounced).toMatchObject({ size: 14, etag: firstSeen.etag });
    // Checked once: accepted before the crash, the second announcement decided nothing new.
    const apiAfter = client(after.url, await tokenFor(after.url, { sub: 'u', orgId: 'hongqi-kx', roles: ['organizer'] }));
    const media = await apiAfter.get<{ items: Array<{ status: string; fileName: string }> }>(`/v1/activities/${activityId}/media`);
    expect(media.body.items.map((m) => [m.fileName, m.status])).toEqual([['summary.pdf', 'accepted']]);

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
