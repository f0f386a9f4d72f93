// The export engine against the real local services. Data is seeded through the real
// repositories into a table of its own on the shared runtime's DynamoDB Local (same key schema
// and indexes as `main`, no stream, so nothing else runs these jobs and no other test's data is
// counted), exported in-process by the run-export use case to a bucket of its own on the
// runtime's S3, and read back with DuckDB. A last test goes through the runtime itself: an export
// item in the shared main table is dispatched from the stream and run by the run-export function.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { campaignCatalog } from '../../shared/campaigns/catalog';
import { findCampaign } from '../../shared/campaigns/index';
import type { ActivityRecord, FlagRecord } from '../../shared/domain/activity';
import { fixedClock } from '../../shared/domain/clock';
import type { MediaRecord } from '../../shared/domain/media';
import { mediaObjectKey } from '../../shared/domain/media';
import { EXPORT_ENTITIES } from '../../shared/export/columns';
import type { ExportRecord } from '../../shared/export/export-record';
import { S3ExportStore } from '../../shared/export/export-store';
import { manifestKey, type ExportManifest } from '../../shared/export/manifest';
import { DynamoDbExportSource, type ExportSource } from '../../shared/export/readers';
import { DynamoDbActivityRepository } from '../../shared/repositories/activity-repository';
import { DynamoDbExportRepository, DynamoDbLatestLease, latestLeaseKey } from '../../shared/repositories/export-repository';
import { DynamoDbMediaRepository } from '../../shared/repositories/media-repository';
import { DynamoDbOrganizationDirectory } from '../../shared/repositories/organization-repository';
import { DynamoDbSummaryRepository } from '../../shared/repositories/summary-repository';
import { runExport, type RunExportDeps } from '../../shared/use-cases/run-export';
import { provision } from '../../infra/local/provision';
import { topology } from '../../infra/topology';
import { clientsFor, eventually, runtimeInfo, uniqueId, type Clients } from '../helpers/runtime';

const campaign = findCampaign('2021-xinxiang')!;
const C = campaign.id;
const work = mkdtempSync(join(tmpdir(), 'sciday-export-it-'));
let aws: Clients;
let doc: DynamoDBDocumentClient;
let tableName = '';
let bucket = '';
let duck: DuckDBConnection;

const ORG_A = 'hongqi-kx';
const ORG_B = campaign.organizations.find((o) => o.organizationId !== ORG_A)!.organizationId;
const ADDED_ORG = 'export-it-society';
const ACTIVITIES = 5;
const at = (day: number, hour = 2) => new Date(Date.UTC(2021, 8, day, hour)).toISOString();

function activity(i: number, over: Partial<ActivityRecord> = {}): ActivityRecord {
  return {
    activityId: `act-${i}`,
    campaignId: C,
    organizationId: i % 2 === 0 ? ORG_A : ORG_B,
    status: 'registered',
    version: 1,
    createdAt: at(1 + i),
    createdBy: 'u1',
    updatedAt: at(1 + i),
    updatedBy: 'u1',
    submittedAt: at(1 + i, 3),
    fields: {
      title: `科普活动 ${i} 🌱`,
      kind: 'joint-action',
      jointAction: 'carbon',
      contentThemes: ['green-development'],
      format: 'offline',
      startsAt: '2021-09-15T09:00:00+08:00',
      endsAt: '2021-09-15T11:00:00+08:00',
      county: 'hongqi',
      expectedParticipants: 100 + i,
      volunteers: { count: i, hours: i + 0.5 },
      branded: true,
      contact: { name: '王老师', phone: '13800000000' },
    },
    ...over,
  };
}

function media(activityId: string | undefined, mediaId: string, kind: MediaRecord['kind'], createdAt: string): MediaRecord {
  const subject = activityId
    ? ({ type: 'activity', campaignId: C, organizationId: ORG_A, activityId } as const)
    : ({ type: 'summary', campaignId: C, organizationId: ORG_A } as const);
  return {
    mediaId,
    subject,
    kind,
    fileName: `${mediaId}.bin`,
    declaredContentType: kind === 'video' ? 'video/mp4' : kind === 'photo' ? 'image/jpeg' : 'application/pdf',
    declaredSize: 1000,
    objectKey: mediaObjectKey(subject, mediaId),
    status: 'pending',
    createdAt,
    createdBy: 'u1',
  };
}

const flag = (over: Partial<FlagRecord>): FlagRecord => ({
  flagId: uniqueId('flag'),
  campaignId: C,
  organizationId: ORG_A,
  code: 'registration-late',
  milestone: 'registration',
  raisedAt: at(25),
  waived: false,
  ...over,
});

async function seed(): Promise<void> {
  const table = { client: doc, tableName };
  const activities = new DynamoDbActivityRepository(table);
  const mediaRepo = new DynamoDbMediaRepository(table);
  for (let i = 0; i < ACTIVITIES; i++) await activities.create(activity(i), Number.MAX_SAFE_INTEGER);
  // act-0: results, two accepted photos, one accepted video, one rejected photo, one pending, an unwaived flag.
  await activities.putResults({
    campaignId: C,
    organizationId: ORG_A,
    results: { activityId: 'act-0', version: 1, actualParticipants: 321, newsLinks: ['https://news.example.cn/a'], highlights: '=1+1', updatedAt: at(20), updatedBy: 'u1' },
    expectedResultsVersion: undefined,
  });
  await activities.putResults({
    campaignId: C,
    organizationId: ORG_A,
    results: { activityId: 'act-2', version: 1, actualParticipants: 50, newsLinks: [], updatedAt: at(21), updatedBy: 'u1' },
    expectedResultsVersion: undefined,
  });
  const decisions: Array<[string | undefined, string, MediaRecord['kind'], 'accepted' | 'rejected' | undefined]> = [
    ['act-0', 'm-photo-1', 'photo', 'accepted'],
    ['act-0', 'm-photo-2', 'photo', 'accepted'],
    ['act-0', 'm-video-1', 'video', 'accepted'],
    ['act-0', 'm-photo-3', 'photo', 'rejected'],
    ['act-0', 'm-photo-4', 'photo', undefined],
    ['act-2', 'm-photo-5', 'photo', 'accepted'],
    [undefined, 'm-doc-1', 'document', 'accepted'],
  ];
  for (const [i, [activityId, mediaId, kind, status]] of decisions.entries()) {
    const m = media(activityId, mediaId, kind, at(16, i));
    await mediaRepo.create(m);
    if (status) await mediaRepo.decide(m.subject, mediaId, { status, size: 900, checkedAt: at(16, i + 1), ...(status === 'rejected' ? { reason: 'type_mismatch' } : {}) });
  }
  await activities.saveWithFlags(activity(0), 1, [flag({ activityId: 'act-0' })]);
  await new DynamoDbSummaryRepository(table).put(
    { campaignId: C, organizationId: ORG_A, version: 1, text: '工作总结：共 3 场活动。', documentMediaIds: ['m-doc-1'], submittedAt: at(29), updatedAt: at(29), updatedBy: 'u1' },
    undefined,
    [flag({ code: 'summary-late', milestone: 'completion', raisedAt: at(29), lateBySeconds: 60 })],
  );
  await new DynamoDbOrganizationDirectory(table).add(campaign, [
    { organizationId: ADDED_ORG, name: '导出测试学会', county: 'hongqi', type: 'society', listedAt: at(5), listedBy: 'admin' },
  ]);
}

function deps(exports: DynamoDbExportRepository, source?: ExportSource): RunExportDeps {
  const table = { client: doc, tableName };
  return {
    exports,
    campaigns: campaignCatalog,
    // Pages of 2: every reader goes through several pages.
    source: source ?? new DynamoDbExportSource({ ...table, pageSize: 2 }),
    store: new S3ExportStore(aws.s3, bucket),
    lease: new DynamoDbLatestLease(table),
    clock: fixedClock('2021-10-30T00:00:00Z'),
  };
}

const exportRecord = (exportId: string, asOf: string, over: Partial<ExportRecord> = {}): ExportRecord => ({
  exportId,
  campaignId: C,
  format: 'parquet',
  language: 'zh',
  snapshot: exportId,
  asOf,
  status: 'queued',
  requestedBy: 'analyst-1',
  requestedAt: asOf,
  ...over,
});

async function download(key: string, b = bucket): Promise<{ path: string; body: Buffer }> {
  const res = await aws.s3.send(new GetObjectCommand({ Bucket: b, Key: key }));
  const body = Buffer.from(await res.Body!.transformToByteArray());
  const path = join(work, key.replaceAll('/', '_'));
  writeFileSync(path, body);
  return { path, body };
}

const manifestOf = async (snapshot: string, b = bucket): Promise<ExportManifest> =>
  JSON.parse((await download(manifestKey(C, snapshot), b)).body.toString('utf8')) as ExportManifest;

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function keysUnder(prefix: string): Promise<string[]> {
  const listed = await aws.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (listed.Contents ?? []).map((o) => o.Key ?? '').sort();
}

/** Downloads a manifest's Parquet files and registers each as a DuckDB view named after its entity. */
async function viewsOf(manifest: ExportManifest): Promise<void> {
  for (const f of manifest.files) {
    const { path, body } = await download(f.key);
    expect(sha256(body)).toBe(f.sha256);
    expect(body.length).toBe(f.bytes);
    await duck.run(`CREATE OR REPLACE VIEW ${f.entity} AS SELECT * FROM read_parquet('${path}')`);
  }
}

const rows = async (sql: string) => (await duck.runAndReadAll(sql)).getRowObjectsJson();

/** The same source, without one activity (the older export of the concurrency test saw one fewer). */
function withoutActivity(source: ExportSource, activityId: string): ExportSource {
  return {
    ...source,
    results: (c) => source.results(c),
    media: (c) => source.media(c),
    summaries: (c) => source.summaries(c),
    flags: (c) => source.flags(c),
    addedOrganizations: (c) => source.addedOrganizations(c),
    activities: async function* (c) {
      for await (const page of source.activities(c)) yield page.filter((a) => a.activityId !== activityId);
    },
  };
}

beforeAll(async () => {
  const info = runtimeInfo();
  aws = clientsFor(info);
  doc = DynamoDBDocumentClient.from(aws.dynamodb, { marshallOptions: { removeUndefinedValues: true } });
  const stage = uniqueId('itexp').toLowerCase();
  const { stream: _stream, ...mainWithoutStream } = topology.tables.main;
  const resources = await provision({ tables: { main: mainWithoutStream }, queues: {}, buckets: { exports: topology.buckets.exports }, functions: {} }, stage, aws);
  tableName = resources.tables.main!.name;
  bucket = resources.buckets.exports!.name;
  duck = await (await DuckDBInstance.create(':memory:')).connect();
  await seed();
});

afterAll(() => {
  duck?.closeSync();
  for (const c of Object.values(aws)) c.destroy();
  rmSync(work, { recursive: true, force: true });
});

describe('Export engine (DynamoDB Local → DuckDB → S3)', () => {
  it('exports every seeded row; the Parquet files join activities with results, accepted media and open flags', async () => {
    const exports = new DynamoDbExportRepository({ client: doc, tableName });
    await exports.create(exportRecord('exp-one', '2021-10-01T00:00:00.000Z'));

    const outcome = await runExport({ exportId: 'exp-one' }, deps(exports));

    expect(outcome).toMatchObject({ status: 'succeeded', promotion: 'promoted' });
    const job = await exports.get('exp-one');
    expect(job).toMatchObject({ status: 'succeeded', manifestKey: manifestKey(C, 'exp-one') });
    expect(job).not.toHaveProperty('pk');
    const manifest = await manifestOf('exp-one');
    expect(manifest.files.map((f) => f.key)).toEqual(EXPORT_ENTITIES.map((e) => `campaign=${C}/snapshot=exp-one/entity=${e}/part-0.parquet`));
    await viewsOf(manifest);

    expect(await rows('SELECT count(*) AS n FROM activities')).toEqual([{ n: String(ACTIVITIES) }]);
    expect(
      await rows(`SELECT activity_id, actual_participants, news_links, highlights, accepted_photos, accepted_videos, open_flags, version
                  FROM activities WHERE activity_id IN ('act-0', 'act-1', 'act-2') ORDER BY activity_id`),
    ).toEqual([
      { activity_id: 'act-0', actual_participants: '321', news_links: ['https://news.example.cn/a'], highlights: '=1+1', accepted_photos: '2', accepted_videos: '1', open_flags: '1', version: '1' },
      { activity_id: 'act-1', actual_participants: null, news_links: null, highlights: null, accepted_photos: '0', accepted_videos: '0', open_flags: '0', version: '1' },
      { activity_id: 'act-2', actual_participants: '50', news_links: [], highlights: null, accepted_photos: '1', accepted_videos: '0', open_flags: '0', version: '1' },
    ]);
    expect(await rows(`SELECT title, starts_at = TIMESTAMPTZ '2021-09-15 09:00:00+08:00' AS starts_ok, volunteer_hours FROM activities WHERE activity_id = 'act-3'`)).toEqual([
      { title: '科普活动 3 🌱', starts_ok: true, volunteer_hours: 3.5 },
    ]);
    expect(await rows(`SELECT count(*) AS n, count(*) FILTER (WHERE activity_id IS NULL) AS summary_docs, count(*) FILTER (WHERE status = 'pending') AS pending FROM media`)).toEqual([
      { n: '7', summary_docs: '1', pending: '1' },
    ]);
    expect(await rows('SELECT code, activity_id FROM flags ORDER BY raised_at')).toEqual([
      { code: 'registration-late', activity_id: 'act-0' },
      { code: 'summary-late', activity_id: null },
    ]);
    expect(await rows('SELECT organization_id, document_media_ids FROM summaries')).toEqual([{ organization_id: ORG_A, document_media_ids: ['m-doc-1'] }]);
    expect(await rows(`SELECT count(*) AS n, count(*) FILTER (WHERE organization_id = '${ADDED_ORG}' AND listed_at IS NOT NULL) AS added FROM organizations`)).toEqual([
      { n: String(campaign.organizations.length + 1), added: '1' },
    ]);
    // One score row per unit (shared/use-cases/scores.ts; the numbers are test/unit/scores' and scores-api's).
    expect(await rows('SELECT count(*) AS n FROM scores')).toEqual([{ n: String(campaign.organizations.length + 1) }]);
    expect(Object.fromEntries(manifest.files.map((f) => [f.entity, f.rows]))).toEqual({
      activities: ACTIVITIES,
      media: 7,
      summaries: 1,
      flags: 2,
      organizations: campaign.organizations.length + 1,
      scores: campaign.organizations.length + 1,
    });
  });

  it('two exports finishing at once write disjoint snapshots, and latest/ is exactly the newer one', async () => {
    const exports = new DynamoDbExportRepository({ client: doc, tableName });
    await exports.create(exportRecord('exp-older', '2021-10-10T00:00:00.000Z'));
    await exports.create(exportRecord('exp-newer', '2021-10-20T00:00:00.000Z'));
    const base = deps(exports);

    const [older, newer] = await Promise.all([
      runExport({ exportId: 'exp-older' }, { ...base, source: withoutActivity(base.source, 'act-4') }),
      runExport({ exportId: 'exp-newer' }, base),
    ]);

    expect([older.status, newer.status]).toEqual(['succeeded', 'succeeded']);
    expect(newer).toMatchObject({ promotion: 'promoted' });
    const [olderKeys, newerKeys] = [await keysUnder(`campaign=${C}/snapshot=exp-older/`), await keysUnder(`campaign=${C}/snapshot=exp-newer/`)];
    // One file per entity, the commendation list and the chart, and the manifest.
    expect(olderKeys).toHaveLength(EXPORT_ENTITIES.length + 3);
    expect(newerKeys).toHaveLength(EXPORT_ENTITIES.length + 3);
    expect(olderKeys.filter((k) => newerKeys.includes(k))).toEqual([]);

    const [latest, newerManifest, olderManifest] = [await manifestOf('latest'), await manifestOf('exp-newer'), await manifestOf('exp-older')];
    expect(latest).toMatchObject({ exportId: 'exp-newer', snapshot: 'latest', sourceSnapshot: 'exp-newer', asOf: '2021-10-20T00:00:00.000Z' });
    // Every file in latest/ is the newer export's (the older one's activities differ: one row fewer).
    expect(olderManifest.files.find((f) => f.entity === 'activities')?.sha256).not.toBe(newerManifest.files.find((f) => f.entity === 'activities')?.sha256);
    for (const f of latest.files) {
      const { body } = await download(f.key);
      expect(sha256(body)).toBe(newerManifest.files.find((n) => n.entity === f.entity)?.sha256);
    }
    await viewsOf(latest);
    expect(await rows('SELECT count(*) AS n FROM activities')).toEqual([{ n: String(ACTIVITIES) }]);

    // An older export finishing afterwards leaves latest/ alone.
    await exports.create(exportRecord('exp-late-old', '2021-10-15T00:00:00.000Z'));
    expect(await runExport({ exportId: 'exp-late-old' }, base)).toMatchObject({ status: 'succeeded', promotion: 'superseded' });
    expect((await manifestOf('latest')).exportId).toBe('exp-newer');
  });

  it('reads through the repositories still answer plain records (no index keys leak into views)', async () => {
    const table = { client: doc, tableName };
    const found = await new DynamoDbActivityRepository(table).get('act-0');
    const mediaList = await new DynamoDbMediaRepository(table).list({ type: 'activity', campaignId: C, organizationId: ORG_A, activityId: 'act-0' });
    const summary = await new DynamoDbSummaryRepository(table).get(C, ORG_A);
    for (const record of [found?.results, ...mediaList, summary]) {
      expect(record).toBeDefined();
      expect(Object.keys(record!).filter((k) => /^(pk|sk|gsi\d(pk|sk)|entity)$/.test(k))).toEqual([]);
    }
    expect(mediaList).toHaveLength(5);
  });

  it('keeps each status change conditional: created once, started from queued or running, never leaving a final state', async () => {
    const exports = new DynamoDbExportRepository({ client: doc, tableName });
    const r = exportRecord('exp-states', '2021-10-01T00:00:00.000Z');
    expect(await exports.create(r)).toBe(true);
    expect(await exports.create(r)).toBe(false);
    expect(await exports.start('exp-states', at(30))).toBe(true);
    expect(await exports.start('exp-states', at(30, 3))).toBe(true);
    await exports.fail('exp-states', at(30, 4), 'x'.repeat(5000));
    await exports.fail('exp-states', at(30, 5), 'again');
    expect(await exports.start('exp-states', at(30, 6))).toBe(false);
    await expect(exports.succeed('exp-states', at(30, 7), [], 'k')).rejects.toThrow(/cannot become succeeded/);
    expect(await exports.start('exp-missing', at(30))).toBe(false);
    const stored = await exports.get('exp-states');
    expect(stored).toMatchObject({ status: 'failed', finishedAt: at(30, 4) });
    expect(stored?.error).toHaveLength(1000);
  });

  it('grants the latest/ lease by the rules: free, own, newer-or-equal once the holder is done or expired', async () => {
    const lease = new DynamoDbLatestLease({ client: doc, tableName });
    const campaignId = uniqueId('lease');
    const now = '2021-10-01T00:00:00.000Z';
    const until = '2021-10-01T00:02:00.000Z';
    expect(await lease.acquire({ campaignId, exportId: 'b', asOf: '2021-09-20T00:00:00.000Z', now, until })).toEqual({ granted: true });
    expect(await lease.acquire({ campaignId, exportId: 'b', asOf: '2021-09-20T00:00:00.000Z', now, until })).toEqual({ granted: true });
    expect(await lease.acquire({ campaignId, exportId: 'c', asOf: '2021-09-30T00:00:00.000Z', now, until })).toMatchObject({ granted: false, holder: { exportId: 'b', state: 'promoting' } });
    expect(await lease.acquire({ campaignId, exportId: 'c', asOf: '2021-09-30T00:00:00.000Z', now: '2021-10-01T00:03:00.000Z', until: '2021-10-01T00:05:00.000Z' })).toEqual({ granted: true });
    expect(await lease.confirm({ campaignId, exportId: 'b', until })).toBe(false);
    await lease.release({ campaignId, exportId: 'c', at: now });
    expect(await lease.acquire({ campaignId, exportId: 'a', asOf: '2021-09-01T00:00:00.000Z', now, until })).toMatchObject({ granted: false, holder: { exportId: 'c', state: 'promoted' } });
    expect(await lease.acquire({ campaignId, exportId: 'd', asOf: '2021-09-30T00:00:00.000Z', now, until })).toEqual({ granted: true });
    expect(latestLeaseKey(campaignId).pk).toBe(`CAMP#${campaignId}#EXPORT-LATEST`);
  });
});

describe('Export through the runtime (stream → record-changes → exports queue → run-export)', () => {
  it('runs an export item created in the main table to success', async () => {
    const info = runtimeInfo();
    const main = info.resources.tables.main!.name;
    const exportsBucket = info.resources.buckets.exports!.name;
    const exports = new DynamoDbExportRepository({ client: doc, tableName: main });
    const exportId = uniqueId('exp-rt');
    // As of long ago: it never displaces another test's newer export in latest/.
    await exports.create(exportRecord(exportId, '2000-01-01T00:00:00.000Z', { format: 'csv' }));

    const done = await eventually(async () => {
      const r = await exports.get(exportId);
      return r?.status === 'succeeded' || r?.status === 'failed' ? r : undefined;
    }, 25_000, 'the export to finish');

    expect(done).toMatchObject({ status: 'succeeded', manifestKey: manifestKey(C, exportId) });
    expect(done.files?.map((f) => f.entity)).toEqual([...EXPORT_ENTITIES]);
    const manifest = await manifestOf(exportId, exportsBucket);
    expect(manifest).toMatchObject({ exportId, format: 'csv', files: done.files });
  });
});
