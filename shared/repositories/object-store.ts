import { HeadObjectCommand, NotFound, type S3Client } from '@aws-sdk/client-s3';

export interface ObjectHead {
  readonly size: number;
  readonly etag: string;
  readonly contentType?: string;
}

/** Port: the object storage the browser uploads to. */
export interface ObjectStore {
  /** What S3 says about a stored object; `undefined` when it is not (or no longer) there. */
  head(bucket: string, key: string): Promise<ObjectHead | undefined>;
}

/** Adapter over S3 (and fauxqs on one machine). */
export class S3ObjectStore implements ObjectStore {
  public constructor(private readonly client: S3Client) {}

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
