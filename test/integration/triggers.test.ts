// Each trigger kind end to end, with real-shaped events, against the real local services.
import { randomBytes } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { keys } from '../../shared/repositories/keys';
import { clientsFor, eventually, runtimeInfo, uniqueId } from '../helpers/runtime';
import { getSample } from '../helpers/samples';

const info = runtimeInfo();
const aws = clientsFor(info);
const mainTable = info.resources.tables.main?.name ?? '';
const auditTable = info.resources.tables.audit?.name ?? '';
const mediaBucket = info.resources.buckets.media?.name ?? '';
const mediaQueue = info.resources.queues['media-uploads']?.url ?? '';

const storedObject = (key: string) =>
  aws.doc.send(new GetCommand({ TableName: mainTable, Key: keys.storedObject(mediaBucket, key), ConsistentRead: true })).then((r) => r.Item);

const auditTrail = (pk: string, sk: string) =>
  aws.doc
    .send(new QueryCommand({ TableName: auditTable, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.auditTrail({ pk, sk }) } }))
    .then((r) => r.Items ?? []);

afterAll(() => {
  for (const c of Object.values(aws)) c.destroy();
});

describe('Trigger: SQS message → check-media', () => {
  it('handles an S3-shaped message sent straight to the queue, once however often it is delivered', async () => {
    // Prepare: an object outside the notified prefix, so only our messages announce it.
    const key = `direct/${uniqueId('obj')}/科普 照片.jpg`;
    await aws.s3.send(new PutObjectCommand({ Bucket: mediaBucket, Key: key, Body: Buffer.from('seven b') }));
    const sample = getSample<{ Records: Array<{ s3: { bucket: { name: string }; object: { key: string; sequencer: string } } }> }>('s3/object-created.json');
    const record = sample.Records[0];
    if (!record) throw new Error('sample has no record');
    record.s3.bucket.name = mediaBucket;
    record.s3.object.key = key.split('/').map((s) => encodeURIComponent(s).replace(/%20/g, '+')).join('/');

    // Act: at-least-once delivery, three times.
    for (let i = 0; i < 3; i += 1) {
      await aws.sqs.send(new SendMessageCommand({ QueueUrl: mediaQueue, MessageBody: JSON.stringify(sample) }));
    }

    // Assess: the real size from storage, one item, one audit "created" entry.
    const item = await eventually(() => storedObject(key), 15_000, 'the stored-object record');
    expect(item).toMatchObject({ size: 7, key, sequencer: '000000000000000061391B0B5AC7B2C2' });
    const { pk, sk } = keys.storedObject(mediaBucket, key);
    const trail = await eventually(async () => {
      const t = await auditTrail(pk, sk);
      return t.length > 0 ? t : undefined;
    });
    await new Promise((r) => setTimeout(r, 1500));
    expect((await auditTrail(pk, sk)).map((e) => e.action)).toEqual(['created']);
    expect(trail).toHaveLength(1);
  });
});

describe('Trigger: DynamoDB stream → record-changes (its record-audit part)', () => {
  it('writes a field-level audit entry for each change, oldest first', async () => {
    // Prepare
    const pk = `ACTIVITY#${uniqueId('act')}`;
    const sk = 'ACTIVITY';

    // Act
    await aws.doc.send(
      new PutCommand({
        TableName: mainTable,
        Item: { pk, sk, entity: 'Activity', title: '科普进社区', contact: { phone: '0373-5820656' }, updatedBy: 'u1', updatedAt: '2021-09-10T01:00:00.000Z' },
      }),
    );
    await aws.doc.send(
      new UpdateCommand({
        TableName: mainTable,
        Key: { pk, sk },
        UpdateExpression: 'SET contact.phone = :p, updatedBy = :u, updatedAt = :t',
        ExpressionAttributeValues: { ':p': '13803730000', ':u': 'u2', ':t': '2021-09-12T02:00:00.000Z' },
      }),
    );

    // Assess
    const trail = await eventually(async () => {
      const t = await auditTrail(pk, sk);
      return t.length >= 2 ? t : undefined;
    }, 15_000, 'two audit entries');
    expect(trail.map((e) => [e.action, e.actor, e.at])).toEqual([
      ['created', 'u1', '2021-09-10T01:00:00.000Z'],
      ['updated', 'u2', '2021-09-12T02:00:00.000Z'],
    ]);
    expect(trail[1]?.changes).toEqual([
      { path: 'contact.phone', old: '0373-5820656', new: '13803730000' },
      { path: 'updatedAt', old: '2021-09-10T01:00:00.000Z', new: '2021-09-12T02:00:00.000Z' },
      { path: 'updatedBy', old: 'u1', new: 'u2' },
    ]);
  });
});

describe('Trigger: S3 object landing → notification → SQS → check-media', () => {
  it('announces an object a browser POSTs through the CORS front exactly once', async () => {
    // Prepare: a presigned POST whose URL is the gateway (it fronts the local S3).
    const origin = 'http://localhost:3000';
    const signer = new S3Client({ region: info.region, endpoint: info.url, forcePathStyle: true, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const key = `uploads/${uniqueId('org')}/photo.jpg`;
    const body = randomBytes(1234);
    const post = await createPresignedPost(signer, {
      Bucket: mediaBucket,
      Key: key,
      Conditions: [['content-length-range', 1, 20 * 1024 * 1024], ['eq', '$Content-Type', 'image/jpeg']],
      Fields: { 'Content-Type': 'image/jpeg' },
      Expires: 900,
    });
    expect(post.url.startsWith(info.url)).toBe(true);

    // Act: the browser's preflight, then the form post.
    const preflight = await fetch(post.url, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    const form = new FormData();
    for (const [k, v] of Object.entries(post.fields)) form.append(k, v);
    form.append('file', new Blob([body], { type: 'image/jpeg' }), 'photo.jpg');
    const upload = await fetch(post.url, { method: 'POST', body: form, headers: { origin } });

    // Assess
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type');
    expect(upload.status).toBeLessThan(300);
    expect(upload.headers.get('access-control-allow-origin')).toBe(origin);
    const item = await eventually(() => storedObject(key), 15_000, 'the stored-object record');
    expect(item).toMatchObject({ size: 1234, contentType: 'image/jpeg' });
    const { pk, sk } = keys.storedObject(mediaBucket, key);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await auditTrail(pk, sk)).map((e) => e.action)).toEqual(['created']);
    signer.destroy();
  });

  it('refuses a preflight from an origin that is not configured', async () => {
    const res = await fetch(`${info.url}/${mediaBucket}`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
