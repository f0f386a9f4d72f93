import { createHash } from 'node:crypto';
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, NotFound, type S3Client } from '@aws-sdk/client-s3';

export interface ObjectHead {
  readonly size: number;
  readonly etag: string;
  readonly contentType?: string;
}

/** Port: the object storage the browser uploads to. */
export interface ObjectStore {
  /** What S3 says about a stored object; `undefined` when it is not (or no longer) there. */
  head(bucket: string, key: string): Promise<ObjectHead | undefined>;
  /** The first `bytes` bytes of an object (a ranged GET). */
  readStart(bucket: string, key: string, bytes: number): Promise<Uint8Array>;
  /** The SHA-256 (hex) of a whole object, streamed. */
  sha256(bucket: string, key: string): Promise<string>;
  /** Deletes an object (a duplicate of one already attached). */
  remove(bucket: string, key: string): Promise<void>;
  /** Moves an object under `quarantine/`, where a lifecycle rule expires it. */
  quarantine(bucket: string, key: string): Promise<string>;
}

export const QUARANTINE_PREFIX = 'quarantine/';

/** Adapter over S3 (and fauxqs on one machine). */
export class S3ObjectStore implements ObjectStore {
  public constructor(private readonly client: S3Client) {}

  public async readStart(bucket: string, key: string, bytes: number): Promise<Uint8Array> {
    const res = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${bytes - 1}` }));
    return res.Body ? await res.Body.transformToByteArray() : new Uint8Array();
  }

  public async sha256(bucket: string, key: string): Promise<string> {
    const res = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const hash = createHash('sha256');
    for await (const chunk of (res.Body ?? []) as AsyncIterable<Uint8Array>) hash.update(chunk);
    return hash.digest('hex');
  }

  public async remove(bucket: string, key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  }

  public async quarantine(bucket: string, key: string): Promise<string> {
    const target = `${QUARANTINE_PREFIX}${key}`;
    await this.client.send(
      new CopyObjectCommand({ Bucket: bucket, Key: target, CopySource: `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}` }),
    );
    await this.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    return target;
  }

  public async head(bucket: string, key: string): Promise<ObjectHead | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return {
        size: head.ContentLength ?? 0,
        etag: (head.ETag ?? '').replaceAll('"', ''),
        ...(head.ContentType ? { contentType: head.ContentType } : {}),
      };
    } catch (error) {
      if (error instanceof NotFound || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) {
        return undefined;
      }
      throw error;
    }
  }
}
