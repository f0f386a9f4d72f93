import { createHash } from 'node:crypto';
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, NoSuchKey, NotFound, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

export interface ObjectHead {
  readonly size: number;
  readonly etag: string;
  readonly contentType?: string;
}

/** What one read of a whole object saw (ObjectStore.inspect). */
export interface ObjectInspection {
  readonly size: number;
  readonly start: Uint8Array;
  /** Absent when the reader stopped after the first bytes. */
  readonly sha256?: string;
  /** Every byte, when asked for (`keep`) and read whole. */
  readonly bytes?: Uint8Array;
}

/** Port: the object storage the browser uploads to. */
export interface ObjectStore {
  /** What S3 says about a stored object; `undefined` when it is not (or no longer) there. */
  head(bucket: string, key: string): Promise<ObjectHead | undefined>;
  /** The first `bytes` bytes of an object (a ranged GET). */
  readStart(bucket: string, key: string, bytes: number): Promise<Uint8Array>;
  /** The SHA-256 (hex) of a whole object, streamed. */
  sha256(bucket: string, key: string): Promise<string>;
  /**
   * Reads a whole object once, streamed: its size (from the answer, before any byte), its first
   * `startBytes` bytes, then, while `wanted(size, start)` says so, every byte into a SHA-256 (hex).
   * When `wanted` says no, the rest is not read and there is no `sha256`. `keep`: also answer
   * every byte read whole (a photo to strip: at most the photo limit in memory). `undefined`
   * when the object is not there.
   */
  inspect(bucket: string, key: string, startBytes: number, wanted: (size: number, start: Uint8Array) => boolean, keep?: boolean): Promise<ObjectInspection | undefined>;
  /** Stores `body` at `key` (replacing what is there). */
  put(bucket: string, key: string, body: Uint8Array, contentType: string): Promise<void>;
  /** Copies an object as it is now (server-side); `false` when the source is not (or no longer) there. */
  copyOnly(bucket: string, from: string, to: string): Promise<boolean>;
  /**
   * Copies an object as it is now (server-side) and answers what the copy holds; `undefined` when
   * the source is not (or no longer) there.
   */
  copy(bucket: string, from: string, to: string): Promise<ObjectHead | undefined>;
  /** Deletes an object (a duplicate of one already attached); deleting a missing one is no error. */
  remove(bucket: string, key: string): Promise<void>;
  /**
   * Moves an object to `quarantine/<as>` (default: its own key), where a lifecycle rule expires it.
   * A source already gone moves nothing.
   */
  quarantine(bucket: string, key: string, as?: string): Promise<string>;
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

  public async inspect(bucket: string, key: string, startBytes: number, wanted: (size: number, start: Uint8Array) => boolean, keep = false): Promise<ObjectInspection | undefined> {
    let res;
    try {
      res = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    const size = res.ContentLength ?? 0;
    const body = (res.Body ?? []) as AsyncIterable<Uint8Array> & { destroy?: () => void };
    const hash = createHash('sha256');
    const head: Uint8Array[] = [];
    let headBytes = 0;
    let start: Uint8Array | undefined;
    const all: Uint8Array[] = [];
    for await (const chunk of body) {
      hash.update(chunk);
      if (keep) all.push(chunk);
      if (start) continue;
      head.push(chunk);
      headBytes += chunk.length;
      if (headBytes < startBytes) continue;
      start = Buffer.concat(head).subarray(0, startBytes);
      if (!wanted(size, start)) {
        body.destroy?.();
        return { size, start };
      }
    }
    if (!start) {
      // The whole object is shorter than `startBytes`.
      start = Buffer.concat(head);
      if (!wanted(size, start)) return { size, start };
    }
    return { size, start, sha256: hash.digest('hex'), ...(keep ? { bytes: Buffer.concat(all) } : {}) };
  }

  public async put(bucket: string, key: string, body: Uint8Array, contentType: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
  }

  public async copyOnly(bucket: string, from: string, to: string): Promise<boolean> {
    try {
      await this.client.send(new CopyObjectCommand({ Bucket: bucket, Key: to, CopySource: copySource(bucket, from) }));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  public async remove(bucket: string, key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  }

  public async copy(bucket: string, from: string, to: string): Promise<ObjectHead | undefined> {
    return (await this.copyOnly(bucket, from, to)) ? this.head(bucket, to) : undefined;
  }

  public async quarantine(bucket: string, key: string, as = key): Promise<string> {
    const target = `${QUARANTINE_PREFIX}${as}`;
    if (!(await this.copyOnly(bucket, key, target))) return target;
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
      if (isMissing(error)) return undefined;
      throw error;
    }
  }
}

const copySource = (bucket: string, key: string) => `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;

/** S3's answer for an object that is not there (HeadObject: NotFound; CopyObject, GetObject: NoSuchKey). */
const isMissing = (error: unknown): boolean =>
  error instanceof NotFound || error instanceof NoSuchKey || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;
