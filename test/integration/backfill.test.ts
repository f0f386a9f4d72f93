// The campaign-index backfill (shared/migrations/backfill-campaign-indexes.ts) on the running local
// runtime's main table: results, media, summary and extension items written the way an earlier
// version wrote them (no gsi2 keys) are in no export; after the backfill the export readers find
// every one of them with the keys the repositories write today; a second run changes nothing.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { runLocalMigrations } from '../../infra/local/migrations';
import { DynamoDbExportSource, type Pages } from '../../shared/export/readers';
import { BACKFILL_CAMPAIGN_INDEXES, backfillCampaignIndexes } from '../../shared/migrations/backfill-campaign-indexes';
import { BACKFILL_PERSONAL_DATA_LEDGERS } from '../../shared/migrations/backfill-personal-data-ledgers';
import { BUILD_PROGRESS_READ_MODEL, BUILD_SCORES_READ_MODEL } from '../../shared/migrations/build-progress-read-model';
import { BUILD_PUBLIC_CALENDAR } from '../../shared/migrations/build-public-calendar';
import { COUNT_DRAFTS } from '../../shared/migrations/count-drafts';
import { FREEZE_ACCEPTED_MEDIA } from '../../shared/migrations/freeze-accepted-media';
import { STRIP_ACCEPTED_HEIC_PHOTOS, STRIP_ACCEPTED_PHOTOS } from '../../shared/migrations/strip-accepted-photos';
import { SEAL_WEBHOOK_URLS } from '../../shared/migrations/seal-webhook-urls';
import { SEED_CAMPAIGNS } from '../../shared/migrations/seed-campaigns';
import { SHARD_CAMPAIGN_PARTITIONS } from '../../shared/migrations/shard-campaign-partitions';
import { keys } from '../../shared/repositories/keys';
import { clientsFor, eventually, runtimeInfo, uniqueId, type Clients } from '../helpers/runtime';
import { spawnRuntime } from '../helpers/global-setup';
import { stopRuntime } from '../helpers/private-runtime';
import type { RuntimeInfo } from '../../infra/local/runtime';

// A runtime of its own: the migrations below walk (and the index backfill scans) the whole table,
// so on the shared runtime their time grew with every suite that ran before (8 s early, 38 s late).
const runtimeDir = mkdtempSync(join(tmpdir(), 'sciday-backfill-'));
let runtime: ChildProcess;
let info: RuntimeInfo;
let doc: Clients['doc'];
let others: Omit<Clients, 'doc'>;
let tableName = '';
const c = uniqueId('backfill');

beforeAll(async () => {
  runtime = await spawnRuntime(runtimeDir, { SCIDAY_WEB_BUILD: 'never' });
  info = runtimeInfo(runtimeDir);
  ({ doc, ...others } = clientsFor(info));
  tableName = info.resources.tables.main?.name ?? '';
});

afterAll(async () => {
  doc.destroy();
  for (const client of Object.values(others)) client.destroy();
  await stopRuntime(runtime, runtimeDir);
});

async function all(pages: Pages): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  for await (const page of pages) items.push(...page);
  return items;
}

// As an earlier version wrote them: keys and attributes, no gsi2pk/gsi2sk.
const OLD_ITEMS = [
  { ...keys.activityResults(`${c}-a1`), entity: 'Results', campaignId: c, organizationId: 'hongqi-kx', activityId: `${c}-a1`, version: 1, newsLinks: ['https://news.example.cn/1'] },
  {
    pk: `ACT#${c}-a1`,
    sk: `MEDIA#${c}-m1`,
    entity: 'Media',
    campaignId: c,
    organizationId: 'hongqi-kx',
    mediaId: `${c}-m1`,
    subject: { type: 'activity', campaignId: c, organizationId: 'hongqi-kx', activityId: `${c}-a1` },
    kind: 'photo',
    status: 'accepted',
    createdAt: '2021-09-15T02:00:00.000Z',
  },
  { ...keys.summary(c, 'hongqi-kx'), entity: 'Summary', campaignId: c, organizationId: 'hongqi-kx', text: '红旗区科协工作总结', version: 1 },
  {
    ...keys.extension(c, 'hongqi-kx', '2021-10-20T01:00:00.000Z', 'x1'),
    entity: 'Extension',
    campaignId: c,
    organizationId: 'hongqi-kx',
    milestone: 'completion',
    until: '2021-10-29T15:59:59.999Z',
    grantedAt: '2021-10-20T01:00:00.000Z',
    extensionId: 'x1',
  },
];
// Without what its keys are made of: left alone.
const UNUSABLE = { pk: `ACT#${c}-a2`, sk: 'RESULTS', entity: 'Results', organizationId: 'hongqi-kx', version: 1 };

describe('Migration: backfill of the campaign index keys', () => {
  it('gives old items the keys the repositories write, so the exports find them; a second run changes nothing', async () => {
    for (const Item of [...OLD_ITEMS, UNUSABLE]) await doc.send(new PutCommand({ TableName: tableName, Item }));
    const source = new DynamoDbExportSource({ client: doc, tableName });
    const found = async () => ({
      results: (await all(source.results(c))).length,
      media: (await all(source.media(c))).length,
      summaries: (await all(source.summaries(c))).length,
      extensions: (await all(source.extensions(c))).length,
    });
    expect(await found()).toEqual({ results: 0, media: 0, summaries: 0, extensions: 0 });

    const first = await backfillCampaignIndexes({ client: doc, tableName });

    expect(first.updated).toBeGreaterThanOrEqual(4);
    expect(first.unusable).toBeGreaterThanOrEqual(1);
    expect(await found()).toEqual({ results: 1, media: 1, summaries: 1, extensions: 1 });
    const get = async (key: { pk: unknown; sk: unknown }) => (await doc.send(new GetCommand({ TableName: tableName, Key: { pk: key.pk, sk: key.sk }, ConsistentRead: true }))).Item;
    const [results, media, summary, extension] = await Promise.all(OLD_ITEMS.map(get));
    expect(results).toMatchObject(keys.resultsIndex(c, `${c}-a1`));
    expect(media).toMatchObject(keys.mediaIndex(c, '2021-09-15T02:00:00.000Z', `${c}-m1`));
    expect(summary).toMatchObject(keys.summaryIndex(c, 'hongqi-kx'));
    expect(extension).toMatchObject(keys.extensionIndex(c, 'hongqi-kx', '2021-10-20T01:00:00.000Z', 'x1'));
    expect(await get(UNUSABLE)).not.toHaveProperty('gsi2pk');

    const second = await backfillCampaignIndexes({ client: doc, tableName });
    expect(second.updated).toBe(0);
    expect(await found()).toEqual({ results: 1, media: 1, summaries: 1, extensions: 1 });
  });

  it('runs once per data dir on one machine (a ledger in the data dir)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sciday-migrations-'));
    try {
      const input = { dataDir, resources: info.resources, dynamodb: others.dynamodb, log: () => undefined };
      const all = [SEED_CAMPAIGNS, BACKFILL_CAMPAIGN_INDEXES, SHARD_CAMPAIGN_PARTITIONS, BUILD_PROGRESS_READ_MODEL, BUILD_SCORES_READ_MODEL, COUNT_DRAFTS, SEAL_WEBHOOK_URLS, BUILD_PUBLIC_CALENDAR, BACKFILL_PERSONAL_DATA_LEDGERS];
      expect(await runLocalMigrations(input)).toEqual(all);
      expect(JSON.parse(readFileSync(join(dataDir, 'migrations.json'), 'utf8'))).toEqual({ done: all });
      expect(await runLocalMigrations(input)).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('in a store born at this version, runs only the seed, and records the rest as done', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sciday-migrations-'));
    try {
      const input = { dataDir, resources: info.resources, newStore: true, dynamodb: others.dynamodb, log: () => undefined };
      const all = [SEED_CAMPAIGNS, BACKFILL_CAMPAIGN_INDEXES, SHARD_CAMPAIGN_PARTITIONS, BUILD_PROGRESS_READ_MODEL, BUILD_SCORES_READ_MODEL, COUNT_DRAFTS, SEAL_WEBHOOK_URLS, BUILD_PUBLIC_CALENDAR, BACKFILL_PERSONAL_DATA_LEDGERS];
      expect(await runLocalMigrations(input)).toEqual([SEED_CAMPAIGNS]);
      const ledger = JSON.parse(readFileSync(join(dataDir, 'migrations.json'), 'utf8')) as { done: string[] };
      // The media migrations too, though this input names no S3 client.
      expect([...ledger.done].sort()).toEqual([...all, FREEZE_ACCEPTED_MEDIA, STRIP_ACCEPTED_PHOTOS, STRIP_ACCEPTED_HEIC_PHOTOS].sort());
      expect(await runLocalMigrations({ ...input, newStore: false })).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('needs no ledger backfill in a store born at this version: the audit writer records the seed’s touches from its stream', async () => {
    // This suite's runtime started on a new store, so 0011 did not run on it.
    const ledger = await eventually(async () => {
      const item = await doc.send(new GetCommand({ TableName: info.resources.tables.audit!.name, Key: { pk: 'PERSON#system:seed', sk: 'TOUCH#CAMPAIGNS#CAMPAIGN#2021-xinxiang' } }));
      return item.Item;
    }, 15_000, 'the seed campaign in system:seed’s ledger');
    expect(ledger).toMatchObject({ pk: 'PERSON#system:seed', sk: 'TOUCH#CAMPAIGNS#CAMPAIGN#2021-xinxiang' });
  });

  it('runs on a deployed table from the command line (npm run migrate), and refuses a call without --table', () => {
    const run = (args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', '--disable-warning=ExperimentalWarning', 'infra/migrate.ts', ...args], {
        encoding: 'utf8',
        env: { ...process.env, AWS_ENDPOINT_URL_DYNAMODB: info.endpoints.dynamodb, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' },
      });
    const ok = run(['--table', tableName, '--region', info.region]);
    expect(ok.status).toBe(0);
    // The campaign the runtime seeded is left as it is; the backfill finds nothing to do.
    expect(JSON.parse(ok.stdout)).toEqual({
      [SEED_CAMPAIGNS]: { created: [], existing: ['2021-xinxiang'] },
      [BACKFILL_CAMPAIGN_INDEXES]: expect.objectContaining({ updated: 0 }),
      [SHARD_CAMPAIGN_PARTITIONS]: expect.objectContaining({ totalsMoved: 0 }),
      [COUNT_DRAFTS]: expect.objectContaining({ drafts: expect.any(Number) }),
    });
    const bad = run([]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('缺少 --table');
  });
});
