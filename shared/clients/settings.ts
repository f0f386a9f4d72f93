/** What every SDK client is built from (region; path-style S3 for fauxqs). */
export interface ClientSettings {
  readonly region: string;
  readonly s3ForcePathStyle: boolean;
}
