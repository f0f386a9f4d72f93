// The freeze migration (shared/migrations/freeze-accepted-media.ts, ADR 0032) on the local
// services: photos accepted before ADR 0032 get the copy view URLs are signed for when their upload
// still holds the bytes the check accepted; an upload swapped after the check is quarantined and
// served no more; a second run changes nothing. Its own table, so no other test's items are touched.
import { createHash } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { freezeAcceptedMedia } from '../../shared/migrations/freeze-accepted-media';
import { S3ObjectStore } from '../../shared/repositories/object-store';
import { clientsFor, runtimeInfo, uniqueId } from '../helpers/runtime';
import { sampleFile } from '../helpers/sample-files';

const info = runtimeInfo();
const aws = clientsFor(info);
const bucket = info.resources.buckets.media?.name ?? '';
const tableName = uniqueId('it-freeze');
const c = uniqueId('freeze');
const photo = sampleFile('jpeg', 2500);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const uploadKey = (mediaId: string) => `uploads/${c}/hongqi-kx/a1/${mediaId}`;
const item = (mediaId: string) => ({
  pk: `ACT#${c}-a1`,
  sk: `MEDIA#${mediaId}`,
  entity: 'Media',
  mediaId,
  kind: 'photo',
  objectKey: uploadKey(mediaId),
  status: 'accepted',
  sha256: sha256(photo),
  createdAt: '2021-09-15T02:00:00.000Z',
});
const exists = (key: string) => aws.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(() => true, () => false);
const stored = async (mediaId: string) => (await aws.doc.send(new GetCommand({ TableName: tableName, Key: { pk: `ACT#${c}-a1`, sk: `MEDIA#${mediaId}` } }))).Item;

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

describe('Migration: freeze accepted media (ADR 0032)', () => {
  it('copies intact uploads to checked/, quarantines swapped ones, leaves gone ones, and runs once', async () => {
    // Prepare: three photos accepted before ADR 0032: one intact, one swapped for HTML since, one gone; one rejected
    const html = Buffer.from('<!doctype html><script>alert(1)</script>');
    for (const id of ['intact', 'swapped', 'gone', 'rejected']) {
      await aws.doc.send(new PutCommand({ TableName: tableName, Item: { ...item(id), ...(id === 'rejected' ? { status: 'rejected' } : {}) } }));
    }
    await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: uploadKey('intact'), Body: photo, ContentType: 'image/jpeg' }));
    await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: uploadKey('swapped'), Body: html, ContentType: 'image/jpeg' }));
    await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: uploadKey('rejected'), Body: html }));
    const deps = { client: aws.doc, tableName, objects: new S3ObjectStore(aws.s3), bucket };
    // Act
    const first = await freezeAcceptedMedia(deps);
    const second = await freezeAcceptedMedia(deps);
    // Assess
    expect(first).toEqual({ found: 3, frozen: 1, changed: 1, gone: 1, raced: 0 });
    expect(second).toEqual({ found: 2, frozen: 0, changed: 0, gone: 2, raced: 0 });
    const checkedKey = (await stored('intact'))?.checkedKey as string;
    expect(checkedKey).toMatch(new RegExp(`^checked/${c}/hongqi-kx/a1/intact/[0-9a-f-]{36}$`));
    const copy = await aws.s3.send(new GetObjectCommand({ Bucket: bucket, Key: checkedKey }));
    expect(Buffer.from(await copy.Body!.transformToByteArray())).toEqual(photo);
    expect(await exists(uploadKey('intact'))).toBe(false);
    expect(await stored('swapped')).not.toHaveProperty('checkedKey');
    expect(await exists(`quarantine/${uploadKey('swapped')}`)).toBe(true);
    expect(await exists(uploadKey('rejected'))).toBe(true);
  });
});
