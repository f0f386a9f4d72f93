// Presigned uploads through the gateway to the local S3: the grant, the signed policy, the
// pending media item, the limits, and who may ask.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../shared/repositories/keys';
import { spawnRuntime } from '../helpers/global-setup';
import { stopRuntime } from '../helpers/private-runtime';
import { clientsFor, eventually, runtimeInfo } from '../helpers/runtime';
import { client, completeActivity, tokenFor, type Client } from '../helpers/api';
import { sampleFile } from '../helpers/sample-files';

const dataDir = mkdtempSync(join(tmpdir(), 'sciday-uploads-'));
let runtime: ChildProcess;
let url = '';
let hongqi: Client;
let weibin: Client;
let reviewer: Client;
let activityId = '';
const C = '/v1/campaigns/2021-xinxiang';
const photo = { kind: 'photo', fileName: '活动现场 1.jpg', contentType: 'image/jpeg', size: 1234 };

interface Grant {
  mediaId: string;
  url: string;
  fields: Record<string, string>;
  expiresAt: string;
  maxBytes: number;
}

beforeAll(async () => {
  runtime = await spawnRuntime(dataDir, { SCIDAY_CLOCK: '2021-09-12T10:00:00+08:00' });
  url = runtimeInfo(dataDir).url;
  hongqi = client(url, await tokenFor(url, { sub: 'u-hongqi', orgId: 'hongqi-kx', roles: ['organizer'] }));
  weibin = client(url, await tokenFor(url, { sub: 'u-weibin', orgId: 'weibin-kx', roles: ['organizer'] }));
  reviewer = client(url, await tokenFor(url, { sub: 'u-rev', orgId: 'city-kx', roles: ['reviewer'] }));
  activityId = (await hongqi.post<{ activityId: string }>(`${C}/activities`, completeActivity())).body.activityId;
});

afterAll(async () => {
  await stopRuntime(runtime, dataDir);
});

describe('API: uploads', () => {
  it('grants a presigned POST under a server-chosen key, and the browser’s form lands in the local S3', async () => {
    // Act
    const res = await hongqi.post<Grant>(`/v1/activities/${activityId}/uploads`, photo);

    // Assess: the grant
    expect(res.status).toBe(201);
    const grant = res.body;
    expect(grant.url.startsWith(url)).toBe(true);
    expect(grant.fields.key).toBe(`uploads/2021-xinxiang/hongqi-kx/${activityId}/${grant.mediaId}`);
    expect(grant.fields.key).not.toContain('活动现场');
    expect(grant.fields['Content-Type']).toBe('image/jpeg');
    expect(grant.expiresAt).toMatch(/^2021-09-12T10:1\d:\d\d(\.\d+)?\+08:00$/);
    expect(grant.maxBytes).toBe(20 * 1024 * 1024);

    // The policy S3 enforces on AWS: exact key and type, the kind's size range, 15 minutes.
    const policy = JSON.parse(Buffer.from(grant.fields.Policy ?? '', 'base64').toString('utf8')) as { expiration: string; conditions: unknown[] };
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['eq', '$key', grant.fields.key],
        ['eq', '$Content-Type', 'image/jpeg'],
        ['content-length-range', 1, 20 * 1024 * 1024],
      ]),
    );
    const minutes = (Date.parse(policy.expiration) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15);

    // The media item was recorded first, as pending.
    const pending = await hongqi.get<{ items: Array<{ mediaId: string; status: string; fileName: string }> }>(`/v1/activities/${activityId}/media`);
    expect(pending.body.items).toContainEqual(expect.objectContaining({ mediaId: grant.mediaId, status: 'pending', fileName: '活动现场 1.jpg' }));

    // The browser posts the form (with CORS) and the object is stored, announced and checked.
    const form = new FormData();
    for (const [k, v] of Object.entries(grant.fields)) form.append(k, v);
    form.append('file', new Blob([sampleFile('jpeg', 1234)], { type: 'image/jpeg' }), 'photo.jpg');
    const upload = await fetch(grant.url, { method: 'POST', body: form, headers: { origin: 'http://localhost:3000' } });
    expect(upload.status).toBeLessThan(300);
    const info = runtimeInfo(dataDir);
    const { doc } = clientsFor(info);
    const stored = await eventually(async () => {
      const r = await doc.send(new GetCommand({ TableName: info.resources.tables.main?.name, Key: keys.storedObject(info.resources.buckets.media?.name ?? '', grant.fields.key ?? '') }));
      return r.Item;
    }, 15_000, 'the stored object');
    expect(stored.size).toBe(1234);
    doc.destroy();

    const accepted = await eventually(async () => {
      const media = await hongqi.get<{ items: Array<{ mediaId: string; status: string }> }>(`/v1/activities/${activityId}/media`);
      return media.body.items.find((m) => m.mediaId === grant.mediaId && m.status !== 'pending');
    }, 15_000, 'the verdict');
    expect(accepted.status).toBe('accepted');
  });

  it('refuses a declared type or size outside the kind’s limits before any URL', async () => {
    const exe = await hongqi.post<{ errors: Array<{ path: string; code: string }> }>(`/v1/activities/${activityId}/uploads`, { ...photo, contentType: 'application/x-msdownload' });
    expect(exe.status).toBe(422);
    expect(exe.body.errors).toContainEqual(expect.objectContaining({ path: 'contentType', code: 'content_type_not_allowed' }));
    const big = await hongqi.post<{ errors: Array<{ path: string; code: string }> }>(`/v1/activities/${activityId}/uploads`, { ...photo, size: 20 * 1024 * 1024 + 1 });
    expect(big.body.errors).toContainEqual(expect.objectContaining({ path: 'size', code: 'file_too_large' }));
    expect(JSON.stringify([exe.body, big.body])).not.toContain('X-Amz-Signature');
  });

  it('stops at the campaign’s number of files per activity', async () => {
    const doc = { kind: 'document', fileName: '方案.pdf', contentType: 'application/pdf', size: 2048 };
    const answers = [];
    for (let i = 0; i < 11; i += 1) answers.push(await hongqi.post<{ errors?: Array<{ path: string; code: string; message: string }> }>(`/v1/activities/${activityId}/uploads`, doc));
    expect(answers.map((a) => a.status)).toEqual([...Array(10).fill(201), 422]);
    expect(answers[10]?.body.errors).toEqual([{ path: 'kind', code: 'media_limit_reached', message: '每项活动最多上传 10 个此类文件' }]);
  });

  it('counts rejected files against the activity’s budget: a unit cannot fill storage with files that fail the check', async () => {
    // Prepare: a second activity whose 10 documents (the campaign's limit) were all rejected by the media check
    const doc = { kind: 'document', fileName: '方案.pdf', contentType: 'application/pdf', size: 2048 };
    const target = (await hongqi.post<{ activityId: string }>(`${C}/activities`, completeActivity())).body.activityId;
    for (let i = 0; i < 10; i += 1) expect((await hongqi.post(`/v1/activities/${target}/uploads`, doc)).status).toBe(201);
    const { doc: db } = clientsFor(runtimeInfo(dataDir));
    const table = runtimeInfo(dataDir).resources.tables.main?.name ?? '';
    const media = await db.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :p AND begins_with(sk, :m)', ExpressionAttributeValues: { ':p': keys.activityPartition(target), ':m': keys.mediaPrefix } }));
    expect(media.Items).toHaveLength(10);
    for (const item of media.Items ?? []) {
      await db.send(new UpdateCommand({ TableName: table, Key: { pk: item.pk, sk: item.sk }, UpdateExpression: 'SET #s = :r', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':r': 'rejected' } }));
    }
    // Act: corrected files take the rejected ones' places, up to twice the campaign's limit in all
    const answers = [];
    for (let i = 0; i < 11; i += 1) answers.push(await hongqi.post<{ errors?: Array<{ path: string; code: string; message: string }> }>(`/v1/activities/${target}/uploads`, doc));
    // Assess
    expect(answers.map((a) => a.status)).toEqual([...Array(10).fill(201), 422]);
    expect(answers[10]?.body.errors).toEqual([{ path: 'kind', code: 'media_attempts_exhausted', message: expect.stringContaining('20') }]);
    const after = await db.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :p AND begins_with(sk, :m)', ExpressionAttributeValues: { ':p': keys.activityPartition(target), ':m': keys.mediaPrefix } }));
    expect(after.Items).toHaveLength(20);
  });

  it('lets only the owning unit ask, and readers list', async () => {
    expect((await weibin.post(`/v1/activities/${activityId}/uploads`, photo)).status).toBe(404);
    expect((await weibin.get(`/v1/activities/${activityId}/media`)).status).toBe(404);
    expect((await reviewer.post(`/v1/activities/${activityId}/uploads`, photo)).status).toBe(403);
    expect((await reviewer.get(`/v1/activities/${activityId}/media`)).status).toBe(200);
  });

  it('takes only documents for a work summary', async () => {
    const pdf = await hongqi.post<Grant>(`${C}/organizations/hongqi-kx/summary/uploads`, { kind: 'document', fileName: '总结.pdf', contentType: 'application/pdf', size: 4096 });
    expect(pdf.status).toBe(201);
    expect(pdf.body.fields.key).toBe(`uploads/2021-xinxiang/hongqi-kx/summary/${pdf.body.mediaId}`);
    expect((await hongqi.post(`${C}/organizations/hongqi-kx/summary/uploads`, photo)).status).toBe(422);
    expect((await weibin.post(`${C}/organizations/hongqi-kx/summary/uploads`, { kind: 'document', fileName: 'x.pdf', contentType: 'application/pdf', size: 1 })).status).toBe(404);
  });
});
