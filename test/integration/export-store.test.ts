// Large export files go up in parts: the local S3 refuses single bodies over 11 MiB, and a part
// at a time keeps memory bounded on AWS too.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { MULTIPART_PART_BYTES, S3ExportStore } from '../../shared/export/export-store';
import { clientsFor, runtimeInfo, uniqueId } from '../helpers/runtime';

describe('S3ExportStore', () => {
  it('uploads a 2.5-part file in parts; the object read back has the same SHA-256', async () => {
    const info = runtimeInfo();
    const { s3 } = clientsFor(info);
    const bucket = info.resources.buckets.exports!.name;
    const bytes = randomBytes(Math.floor(MULTIPART_PART_BYTES * 2.5));
    const path = join(mkdtempSync(join(tmpdir(), 'export-store-')), 'big.parquet');
    writeFileSync(path, bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const key = `campaign=test/snapshot=${uniqueId('big')}/entity=activities/part-0.parquet`;
    await new S3ExportStore(s3, bucket).putFile(key, path, { bytes: bytes.length, sha256, contentType: 'application/vnd.apache.parquet' });
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const body = Buffer.from(await got.Body!.transformToByteArray());
    expect(body.length).toBe(bytes.length);
    expect(createHash('sha256').update(body).digest('hex')).toBe(sha256);
    s3.destroy();
  });
});
