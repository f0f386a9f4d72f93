/** In-memory adapters of the export ports, with the same rules as the DynamoDB and S3 ones. */
import { readFileSync } from 'node:fs';
import type { ExportArtifactFile, ExportFile, ExportReadFrom, ExportRecord, ExportRepository } from '../../../shared/export/export-record';
import type { ExportStore } from '../../../shared/export/export-store';
import type { LatestLease, LeaseHolder } from '../../../shared/export/promotion';

export class MemoryExportRepository implements ExportRepository {
  public readonly items = new Map<string, ExportRecord>();

  public async create(record: ExportRecord): Promise<boolean> {
    if (this.items.has(record.exportId)) return false;
    this.items.set(record.exportId, record);
    return true;
  }

  public async get(exportId: string): Promise<ExportRecord | undefined> {
    return this.items.get(exportId);
  }

  public async start(exportId: string, at: string): Promise<boolean> {
    const r = this.items.get(exportId);
    if (!r || (r.status !== 'queued' && r.status !== 'running')) return false;
    this.items.set(exportId, { ...r, status: 'running', startedAt: at });
    return true;
  }

  public async succeed(
    exportId: string,
    at: string,
    files: readonly ExportFile[],
    manifestKey: string,
    _artifacts?: readonly ExportArtifactFile[],
    readFrom: ExportReadFrom = 'live-table',
  ): Promise<void> {
    const r = this.items.get(exportId)!;
    if (r.status === 'succeeded') return;
    if (r.status !== 'running') throw new Error(`export ${exportId} is ${r.status}`);
    this.items.set(exportId, { ...r, status: 'succeeded', finishedAt: at, files, manifestKey, readFrom });
  }

  public async recordTableCopy(exportId: string, copy: { id: string; startedAt: string }): Promise<void> {
    const r = this.items.get(exportId)!;
    if (r.status !== 'running') throw new Error(`export ${exportId} is ${r.status}`);
    this.items.set(exportId, { ...r, tableCopy: copy });
  }

  public async fail(exportId: string, at: string, error: string): Promise<void> {
    const r = this.items.get(exportId)!;
    if (r.status === 'failed') return;
    if (r.status !== 'running') throw new Error(`export ${exportId} is ${r.status}`);
    this.items.set(exportId, { ...r, status: 'failed', finishedAt: at, error });
  }
}

/** A bucket in memory; `log` lists every write in order. */
export class MemoryStore implements ExportStore {
  public readonly objects = new Map<string, Buffer>();
  public readonly log: string[] = [];
  /** Called before each operation (to inject failures or interleave). */
  public before: (op: string, key: string) => Promise<void> | void = () => undefined;

  public async putFile(key: string, path: string, file: { bytes: number; sha256: string }): Promise<void> {
    await this.before('put', key);
    const body = readFileSync(path);
    if (body.length !== file.bytes) throw new Error('size mismatch');
    this.objects.set(key, body);
    this.log.push(`put ${key}`);
  }

  public async putJson(key: string, body: unknown): Promise<void> {
    await this.before('put', key);
    this.objects.set(key, Buffer.from(JSON.stringify(body)));
    this.log.push(`put ${key}`);
  }

  public async copy(fromKey: string, toKey: string): Promise<void> {
    await this.before('copy', toKey);
    const body = this.objects.get(fromKey);
    if (!body) throw new Error(`no object ${fromKey}`);
    this.objects.set(toKey, body);
    this.log.push(`copy ${toKey}`);
  }

  public async remove(key: string): Promise<void> {
    await this.before('remove', key);
    this.objects.delete(key);
    this.log.push(`remove ${key}`);
  }

  public json<T>(key: string): T {
    return JSON.parse(this.objects.get(key)?.toString('utf8') ?? 'null') as T;
  }
}

export class MemoryLease implements LatestLease {
  public readonly holders = new Map<string, LeaseHolder>();

  public async acquire(input: { campaignId: string; exportId: string; asOf: string; now: string; until: string }) {
    const h = this.holders.get(input.campaignId);
    const ok = !h || h.exportId === input.exportId || (h.asOf <= input.asOf && (h.state === 'promoted' || h.leaseUntil < input.now));
    if (!ok) return { granted: false as const, holder: h };
    this.holders.set(input.campaignId, { exportId: input.exportId, asOf: input.asOf, state: 'promoting', leaseUntil: input.until });
    return { granted: true as const };
  }

  public async confirm(input: { campaignId: string; exportId: string; until: string }): Promise<boolean> {
    const h = this.holders.get(input.campaignId);
    if (h?.exportId !== input.exportId || h.state !== 'promoting') return false;
    this.holders.set(input.campaignId, { ...h, leaseUntil: input.until });
    return true;
  }

  public async release(input: { campaignId: string; exportId: string }): Promise<void> {
    const h = this.holders.get(input.campaignId);
    if (h?.exportId === input.exportId) this.holders.set(input.campaignId, { ...h, state: 'promoted' });
  }
}
