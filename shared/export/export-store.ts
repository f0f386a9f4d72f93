/**
 * Port and S3 adapter for the exports bucket: upload a local file (streamed, with its SHA-256 so
 * S3 refuses a corrupted upload), write the manifest, copy a file to another key (promotion to
 * `latest/`), delete a key.
 */
import { createReadStream } from 'node:fs';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';

/** Files larger than this go up in parts of this size (S3 allows 5 MiB..5 GiB; the local S3 refuses bodies over 11 MiB). */
export const MULTIPART_PART_BYTES = 8 * 1024 * 1024;

export interface ExportStore {
  /** Uploads the local file `path` to `key`; `sha256` (hex) is the file's checksum. */
  putFile(key: string, path: string, file: { readonly bytes: number; readonly sha256: string; readonly contentType: string }): Promise<void>;
  putJson(key: string, body: unknown): Promise<void>;
  copy(fromKey: string, toKey: string): Promise<void>;
  remove(key: string): Promise<void>;
}

const base64OfHex = (hex: string): string => Buffer.from(hex, 'hex').toString('base64');

/** Sends of a streamed body: the SDK never retries those (it cannot read a stream twice). */
const STREAM_ATTEMPTS = 4;

/** Whether a failed send is worth another (throttled, 5xx, timeout, connection): not a real 4xx answer. */
function transient(error: unknown): boolean {
  const e = error as { $fault?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  return e.$retryable !== undefined || status === undefined || status >= 500 || status === 429;
}

/** Runs `send` (which opens its stream afresh) until it succeeds, a real 4xx comes, or the attempts run out (ADR 0026). */
async function sendStreamed<T>(send: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await send();
    } catch (error) {
      if (attempt >= STREAM_ATTEMPTS || !transient(error)) throw error;
      await new Promise((r) => setTimeout(r, 100 * 2 ** attempt * Math.random()));
    }
  }
}

export class S3ExportStore implements ExportStore {
  public constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  public async putFile(key: string, path: string, file: { bytes: number; sha256: string; contentType: string }): Promise<void> {
    if (file.bytes > MULTIPART_PART_BYTES) return this.putInParts(key, path, file);
    await sendStreamed(() =>
      this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: createReadStream(path),
          ContentLength: file.bytes,
          ContentType: file.contentType,
          ChecksumSHA256: base64OfHex(file.sha256),
        }),
      ),
    );
  }

  /** A multipart upload, one part at a time (bounded memory); the manifest carries the whole file's SHA-256. */
  private async putInParts(key: string, path: string, file: { bytes: number; contentType: string }): Promise<void> {
    const { UploadId } = await this.client.send(
      new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, ContentType: file.contentType }),
    );
    try {
      const parts: Array<{ ETag: string | undefined; PartNumber: number }> = [];
      for (let start = 0, n = 1; start < file.bytes; start += MULTIPART_PART_BYTES, n++) {
        const end = Math.min(start + MULTIPART_PART_BYTES, file.bytes) - 1;
        const part = await sendStreamed(() =>
          this.client.send(
            new UploadPartCommand({
              Bucket: this.bucket,
              Key: key,
              UploadId,
              PartNumber: n,
              Body: createReadStream(path, { start, end }),
              ContentLength: end - start + 1,
            }),
          ),
        );
        parts.push({ ETag: part.ETag, PartNumber: n });
      }
      await this.client.send(new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId, MultipartUpload: { Parts: parts } }));
    } catch (error) {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId })).catch(() => undefined);
      throw error;
    }
  }

  public async putJson(key: string, body: unknown): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: `${JSON.stringify(body, null, 2)}\n`,
        ContentType: 'application/json',
        // Readers poll the manifest to see a new snapshot: never serve a cached one.
        CacheControl: 'no-cache',
      }),
    );
  }

  public async copy(fromKey: string, toKey: string): Promise<void> {
    await this.client.send(
      new CopyObjectCommand({
        Bucket: this.bucket,
        Key: toKey,
        CopySource: `${this.bucket}/${fromKey.split('/').map(encodeURIComponent).join('/')}`,
      }),
    );
  }

  public async remove(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}
