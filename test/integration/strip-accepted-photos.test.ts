// Migration 0009 (shared/migrations/strip-accepted-photos.ts, ADR 0048) on the local services:
// photos accepted before ADR 0048 are served from a copy without their metadata, a photo without
// metadata and a video are left as they are, and a second run changes nothing. Its own table, so
// no other test's items are touched.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import exifr from 'exifr';
import { stripAcceptedPhotos } from '../../shared/migrations/strip-accepted-photos';
import { S3ObjectStore } from '../../shared/repositories/object-store';
import { clientsFor, runtimeInfo, uniqueId } from '../helpers/runtime';
import { sampleFile } from '../helpers/sample-files';

const info = runtimeInfo();
const aws = clientsFor(info);
const bucket = info.resources.buckets.media?.name ?? '';
const tableName = uniqueId('it-strip');
const c = uniqueId('strip');
const phone = readFileSync(join(__dirname, '../fixtures/photos/iphone-4s-gps.jpg'));
const checked = (mediaId: string) => `checked/${c}/hongqi-kx/a1/${mediaId}/old`;
const item = (mediaId: string, kind: string) => ({
  pk: `ACT#${c}-a1`,
  sk: `MEDIA#${mediaId}`,
  entity: 'Media',
  mediaId,
  kind,
  objectKey: `uploads/${c}/hongqi-kx/a1/${mediaId}`,
  checkedKey: checked(mediaId),
  status: 'accepted',
  size: 1,
  createdAt: '2021-09-15T02:00:00.000Z',
});
const exists = (key: string) => aws.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(() => true, () => false);
const stored = async (mediaId: string) => (await aws.doc.send(new GetCommand({ TableName: tableName, Key: { pk: `ACT#${c}-a1`, sk: `MEDIA#${mediaId}` } }))).Item;
const body = async (key: string) => Buffer.from(await (await aws.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray());

beforeAll(async () => {
  await aws.dynamodb.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    }),
  );
});

afterAll(async () => {
  await aws.dynamodb.send(new DeleteTableCommand({ TableName: tableName }));
  for (const client of Object.values(aws)) client.destroy();
});

describe('Migration 0009: strip accepted photos (ADR 0048)', () => {
  it('serves a stripped copy of a photo with GPS, leaves clean photos and videos, and runs once', async () => {
    // Prepare: a phone photo with GPS, a photo without metadata, a video, all accepted with a checked copy
    const files = { phone: [phone, 'photo'], clean: [sampleFile('jpeg', 2500), 'photo'], video: [sampleFile('mp4', 2500), 'video'] } as const;
    for (const [id, [bytes, kind]] of Object.entries(files)) {
      await aws.doc.send(new PutCommand({ TableName: tableName, Item: item(id, kind) }));
      await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: checked(id), Body: bytes }));
    }
    const deps = { client: aws.doc, tableName, objects: new S3ObjectStore(aws.s3), bucket, newCheckId: () => 'stripped' };
    // Act
    const first = await stripAcceptedPhotos(deps);
    const second = await stripAcceptedPhotos(deps);
    // Assess
    expect(first).toEqual({ found: 2, stripped: 1, clean: 1, skipped: 0 });
    expect(second).toEqual({ found: 2, stripped: 0, clean: 2, skipped: 0 });
    const now = await stored('phone');
    expect(now?.checkedKey).toBe(`checked/${c}/hongqi-kx/a1/phone/stripped`);
    const served = await body(String(now?.checkedKey));
    expect(now?.size).toBe(served.length);
    expect(await exifr.gps(phone)).toBeDefined();
    expect(await exifr.gps(served)).toBeUndefined();
    expect(await exifr.orientation(served)).toBe(1);
    expect(await exists(checked('phone'))).toBe(false);
    expect((await stored('clean'))?.checkedKey).toBe(checked('clean'));
    expect((await stored('video'))?.checkedKey).toBe(checked('video'));
  });
});
