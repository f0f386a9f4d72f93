/** The running local runtime, and the mirror of its exports bucket under `<data dir>/query-cache/` (files checked against the manifests' SHA-256). */
import { createHash } from 'node:crypto';
import { closeSync, createWriteStream, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { LATEST_SNAPSHOT } from '../../analytics-catalog';
import type { RuntimeInfo } from '../runtime';
import { MESSAGES, QueryCliError } from './errors';

const pidAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The running runtime's runtime.json, or a QueryCliError (exit 1) when there is none. */
export function findRuntime(dataDir: string): RuntimeInfo {
  const file = join(dataDir, 'runtime.json');
  let info: RuntimeInfo;
  try {
    info = JSON.parse(readFileSync(file, 'utf8')) as RuntimeInfo;
  } catch {
    throw new QueryCliError(MESSAGES.notRunning(dataDir), 1);
  }
  if (!Number.isInteger(info.pid) || !pidAlive(info.pid) || !info.endpoints?.s3) throw new QueryCliError(MESSAGES.notRunning(dataDir), 1);
  return info;
}

/** SHA-256 of a file, read in 1 MiB chunks (exports can be large). */
function sha256OfFile(file: string): string {
  const hash = createHash('sha256');
  const buffer = Buffer.alloc(1024 * 1024);
  const fd = openSync(file, 'r');
  try {
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) hash.update(buffer.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

interface RemoteObject {
  readonly key: string;
  readonly size: number;
  readonly etag: string;
}

interface CacheRecord {
  readonly size: number;
  readonly mtimeMs: number;
  readonly sha256: string;
  readonly etag?: string;
}

/** What the cache holds: a mirror of the bucket's keys under `root`, and what is known of each file. */
class ExportCache {
  private readonly indexFile: string;
  private index: Record<string, CacheRecord>;

  constructor(readonly root: string) {
    mkdirSync(root, { recursive: true });
    this.indexFile = join(root, '.index.json');
    try {
      this.index = JSON.parse(readFileSync(this.indexFile, 'utf8')) as Record<string, CacheRecord>;
    } catch {
      this.index = {};
    }
  }

  path(key: string): string {
    return join(this.root, ...key.split('/'));
  }

  /** Where downloads are written until complete; not a key of the bucket, so never pruned. */
  get partialDir(): string {
    return join(this.root, '.partial');
  }

  /** The cached copy's SHA-256 (from the index while the file is unchanged), or undefined if there is none. */
  sha256(key: string): string | undefined {
    const file = this.path(key);
    if (!existsSync(file)) return undefined;
    const stat = statSync(file);
    const known = this.index[key];
    if (known && known.size === stat.size && known.mtimeMs === stat.mtimeMs) return known.sha256;
    const sha256 = sha256OfFile(file);
    this.index[key] = { size: stat.size, mtimeMs: stat.mtimeMs, sha256 };
    return sha256;
  }

  remember(key: string, sha256: string, etag: string): void {
    const stat = statSync(this.path(key));
    this.index[key] = { size: stat.size, mtimeMs: stat.mtimeMs, sha256, etag };
  }

  /** Deletes cached files in scope that are not to be kept (the bucket no longer has them). */
  prune(inScope: (key: string) => boolean, keep: ReadonlySet<string>): void {
    for (const entry of readdirSync(this.root, { withFileTypes: true, recursive: true })) {
      if (!entry.isFile() || entry.name === '.index.json') continue;
      const file = join(entry.parentPath, entry.name);
      if (entry.parentPath === this.partialDir) {
        // Left by a run that was killed mid-download (a day is longer than any download).
        if (Date.now() - statSync(file).mtimeMs > 24 * 3600 * 1000) rmSync(file, { force: true });
        continue;
      }
      const key = relative(this.root, file).split(sep).join('/');
      if (inScope(key) && !keep.has(key)) {
        rmSync(file, { force: true });
        delete this.index[key];
      }
    }
  }

  save(): void {
    writeFileSync(this.indexFile, JSON.stringify(this.index));
  }
}

/** `campaign=<c>/snapshot=<s>/<rest>` → its parts, or undefined for any other key. */
export function parseExportKey(key: string): { campaign: string; snapshot: string; rest: string } | undefined {
  const match = /^campaign=([^/]+)\/snapshot=([^/]+)\/(.+)$/.exec(key);
  // A key becomes a path in the cache: no `.`/`..` segments, no empty ones.
  if (!match || key.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) return undefined;
  return { campaign: match[1]!, snapshot: match[2]!, rest: match[3]! };
}

/**
 * The SHA-256 of each file a manifest lists, by its path inside the snapshot
 * (`entity=activities/part-0.parquet`). Lenient about the manifest's shape: any object with a
 * `key` and a `sha256` counts, so the copy under `snapshot=latest` may name the keys of either.
 */
export function manifestChecksums(manifest: unknown): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (typeof record.key === 'string' && typeof record.sha256 === 'string') {
      const inside = parseExportKey(record.key)?.rest ?? record.key;
      if (!inside.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) {
        found.set(inside, record.sha256.toLowerCase());
      }
    }
    Object.values(record).forEach(visit);
  };
  visit(manifest);
  return found;
}

/** The checksums of a cached manifest file, or undefined when it is not JSON. */
function parseManifest(file: string): Map<string, string> | undefined {
  try {
    return manifestChecksums(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return undefined;
  }
}

async function listAll(s3: S3Client, bucket: string, prefix: string, delimiter?: string): Promise<{ objects: RemoteObject[]; prefixes: string[] }> {
  const objects: RemoteObject[] = [];
  const prefixes: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: delimiter, ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (o.Key) objects.push({ key: o.Key, size: o.Size ?? 0, etag: o.ETag ?? '' });
    for (const p of page.CommonPrefixes ?? []) if (p.Prefix) prefixes.push(p.Prefix);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return { objects, prefixes };
}

/** Progress of the downloads on stderr, once they are worth watching (≥ 8 MB). */
class Progress {
  private done = 0;
  private files = 0;
  private lastPrint = 0;
  private readonly visible: boolean;

  constructor(
    private readonly totalBytes: number,
    private readonly totalFiles: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {
    this.visible = totalBytes >= 8 * 1024 * 1024;
  }

  add(bytes: number): void {
    this.done += bytes;
    this.print(false);
  }

  fileDone(): void {
    this.files += 1;
    this.print(this.files === this.totalFiles);
  }

  private print(final: boolean): void {
    if (!this.visible) return;
    const now = Date.now();
    if (!final && now - this.lastPrint < (this.out.isTTY ? 100 : 2000)) return;
    this.lastPrint = now;
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    const text = `下载导出 / downloading exports: ${mb(this.done)}/${mb(this.totalBytes)} MB (${this.files}/${this.totalFiles} files)`;
    this.out.write(this.out.isTTY ? `\r${text}${final ? '\n' : ''}` : `${text}\n`);
  }
}

let downloads = 0;

/**
 * Downloads one object to `target` through a partial file outside the mirrored keys (so a
 * concurrent run's pruning never sees it), renamed into place once complete. Answers its SHA-256.
 */
async function download(s3: S3Client, bucket: string, object: RemoteObject, target: string, progress: Progress, partialDir: string): Promise<string> {
  mkdirSync(dirname(target), { recursive: true });
  mkdirSync(partialDir, { recursive: true });
  const partial = join(partialDir, `${process.pid}-${++downloads}`);
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.key }));
  const hash = createHash('sha256');
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      progress.add(chunk.length);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(response.Body as Readable, meter, createWriteStream(partial));
    renameSync(partial, target);
  } finally {
    rmSync(partial, { force: true });
  }
  progress.fileDone();
  return hash.digest('hex');
}

export interface SyncResult {
  /** Cached Parquet files by analytics table name (`activities`, `activities_snapshots`, …). */
  readonly files: ReadonlyMap<string, readonly string[]>;
  readonly downloaded: number;
  readonly skipped: number;
}

/**
 * Mirrors the newest export of every campaign (and, with `history`, every snapshot) into the
 * cache, downloading only files whose checksum changed, and says which cached files each table
 * reads. A snapshot counts only once its manifest exists: run-export writes it after the files,
 * and deletes `latest/manifest.json` while it replaces `latest/`. Meanwhile that campaign is read
 * from the copy cached under its previous manifest (or left out), with a note on stderr, never
 * half old and half new.
 */
export async function syncExports(
  s3: S3Client,
  bucket: string,
  cacheRoot: string,
  options: { readonly history: boolean; readonly log?: (line: string) => void },
): Promise<SyncResult> {
  const cache = new ExportCache(cacheRoot);
  const campaigns = (await listAll(s3, bucket, 'campaign=', '/')).prefixes;
  const listed: RemoteObject[] = [];
  for (const campaignPrefix of campaigns) {
    const prefix = options.history ? campaignPrefix : `${campaignPrefix}snapshot=${LATEST_SNAPSHOT}/`;
    listed.push(...(await listAll(s3, bucket, prefix)).objects.filter((o) => parseExportKey(o.key)));
  }
  const byKey = new Map(listed.map((o) => [o.key, o]));

  // Each snapshot's manifest (small, always fetched) names its complete files and their checksums.
  const snapshots = new Map<string, { campaign: string; snapshot: string }>();
  for (const o of listed) {
    const { campaign, snapshot } = parseExportKey(o.key)!;
    snapshots.set(`campaign=${campaign}/snapshot=${snapshot}/`, { campaign, snapshot });
  }
  const entries: Array<{ readonly key: string; readonly sha256: string; readonly remote?: RemoteObject }> = [];
  const untouched: string[] = [];
  for (const [prefix, { campaign, snapshot }] of snapshots) {
    const manifest = byKey.get(`${prefix}manifest.json`);
    const manifestFile = cache.path(`${prefix}manifest.json`);
    if (!manifest) {
      // Being written or replaced: keep (and read) the copy cached from its last manifest, if any.
      untouched.push(prefix);
      const previous = existsSync(manifestFile) ? parseManifest(manifestFile) : undefined;
      for (const [inside, sha256] of previous ?? []) {
        if (inside.endsWith('.parquet') && cache.sha256(`${prefix}${inside}`) === sha256) entries.push({ key: `${prefix}${inside}`, sha256 });
      }
      if (snapshot === LATEST_SNAPSHOT) {
        options.log?.(
          previous
            ? `活动季 ${campaign} 的最新导出正在更新，使用上次缓存的版本 / the latest export of ${campaign} is being replaced: using the copy cached before`
            : `活动季 ${campaign} 的最新导出正在更新，本次未包含 / the latest export of ${campaign} is being replaced and is left out this time`,
        );
      }
      continue;
    }
    await download(s3, bucket, manifest, manifestFile, new Progress(0, 0), cache.partialDir);
    const checksums = parseManifest(manifestFile);
    if (!checksums) {
      options.log?.(`清单无法解析，已跳过 / unreadable manifest, skipped: ${manifest.key}`);
      continue;
    }
    for (const [inside, sha256] of checksums) {
      if (!inside.endsWith('.parquet')) continue; // a CSV export: not queryable, as in Athena
      const remote = byKey.get(`${prefix}${inside}`);
      if (remote) entries.push({ key: remote.key, sha256, remote });
      else options.log?.(`清单中的文件不存在 / a file the manifest lists is missing: ${prefix}${inside}`);
    }
  }

  const stale = entries.filter((e): e is typeof e & { remote: RemoteObject } => !!e.remote && cache.sha256(e.key) !== e.sha256);
  const progress = new Progress(
    stale.reduce((sum, e) => sum + e.remote.size, 0),
    stale.length,
  );
  for (const entry of stale) {
    const sha256 = await download(s3, bucket, entry.remote, cache.path(entry.key), progress, cache.partialDir);
    cache.remember(entry.key, sha256, entry.remote.etag);
    if (sha256 !== entry.sha256) {
      options.log?.(`校验值与清单不符（导出可能正在更新） / checksum differs from the manifest (an export may be changing): ${entry.key}`);
    }
  }

  // What the bucket no longer has goes from the cache too (except snapshots being written).
  const keep = new Set([...entries.map((e) => e.key), ...[...snapshots.keys()].map((p) => `${p}manifest.json`)]);
  cache.prune((key) => {
    const parts = parseExportKey(key);
    if (!parts || untouched.some((prefix) => key.startsWith(prefix))) return false;
    return options.history || parts.snapshot === LATEST_SNAPSHOT;
  }, keep);
  cache.save();

  const tables = new Map<string, string[]>();
  for (const entry of entries) {
    const { snapshot, rest } = parseExportKey(entry.key)!;
    const entity = /^entity=([^/]+)\//.exec(rest)?.[1];
    if (!entity) continue;
    for (const name of [`${entity}_snapshots`, ...(snapshot === LATEST_SNAPSHOT ? [entity] : [])]) {
      tables.set(name, [...(tables.get(name) ?? []), cache.path(entry.key)]);
    }
  }
  return { files: tables, downloaded: stale.length, skipped: entries.length - stale.length };
}
