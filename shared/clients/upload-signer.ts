/**
 * Presigned POST (browser uploads) and GET (viewing accepted media) on the media bucket.
 * The POST policy fixes the key, the exact Content-Type and the size range; S3 enforces it
 * on AWS, and the media check enforces the same limits in both runtimes (fauxqs does not).
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ClientSettings } from './settings';

export interface PresignedPost {
  readonly url: string;
  readonly fields: Record<string, string>;
}

/** Port: what the upload use cases need from storage. */
export interface UploadSigner {
  presignPost(input: { key: string; contentType: string; maxBytes: number; expiresSeconds: number }): Promise<PresignedPost>;
  /** `downloadAs`: the browser saves the file under this (ASCII) name instead of showing it (`Content-Disposition: attachment`). */
  presignGet(key: string, expiresSeconds: number, downloadAs?: string): Promise<string>;
}

export class S3UploadSigner implements UploadSigner {
  private readonly client: S3Client;

  /** `publicEndpoint`: where browsers reach S3 (the local gateway on one machine; unset on AWS). */
  public constructor(
    private readonly bucket: string,
    settings: ClientSettings & { readonly publicEndpoint?: string },
  ) {
    this.client = new S3Client({
      region: settings.region,
      forcePathStyle: settings.s3ForcePathStyle,
      ...(settings.publicEndpoint ? { endpoint: settings.publicEndpoint } : {}),
    });
  }

  public async presignPost(input: { key: string; contentType: string; maxBytes: number; expiresSeconds: number }): Promise<PresignedPost> {
    // Loaded on first use: list-media and get-export only sign GETs and never load it (ADR 0043).
    const { createPresignedPost } = await import('@aws-sdk/s3-presigned-post');
    const { url, fields } = await createPresignedPost(this.client, {
      Bucket: this.bucket,
      Key: input.key,
      Conditions: [
        ['eq', '$key', input.key],
        ['eq', '$Content-Type', input.contentType],
        ['content-length-range', 1, input.maxBytes],
      ],
      Fields: { 'Content-Type': input.contentType },
      Expires: input.expiresSeconds,
    });
    return { url, fields };
  }

  public presignGet(key: string, expiresSeconds: number, downloadAs?: string): Promise<string> {
    const disposition = downloadAs ? { ResponseContentDisposition: `attachment; filename="${downloadAs.replace(/[^\w.-]/g, '_')}"` } : {};
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: key, ...disposition }), { expiresIn: expiresSeconds });
  }
}
