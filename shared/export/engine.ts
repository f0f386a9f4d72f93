/**
 * The export engine's two steps over a workspace:
 *
 * 1. {@link stageCampaign}: every page of every entity of a campaign (the entities read
 *    concurrently), staged as it arrives (one page of items per entity in JS at a time);
 * 2. {@link writeEntityFiles}: one local file per exported table (Parquet or CSV), each with
 *    its rows, size and SHA-256.
 *
 * An export whose tables a query engine made from a table copy (ADR 0029) is staged by
 * {@link stageCopyTables} instead: the tables are loaded whole, and step 2 is the same.
 *
 * Scores are computed while staging (shared/domain/scoring-facts.ts, the computation of
 * `GET …/scores`): every activity, results, media, flag, summary and unit item staged is also
 * handed to a ScoringFacts; the source's reviews and extensions (not exported tables) are read
 * after; the `scores` table gets one row per unit, and `onScores` the whole report (the
 * commendation list and the chart are written from it).
 */
import { join } from 'node:path';
import type { Campaign } from '../domain/campaign';
import { EXPORT_ENTITIES, type ExportEntity } from './columns';
import { COPY_TABLE_ENTITY, ENTITY_COPY_TABLES } from './copy-sql';
import type { CopyTableFiles } from './copy-tables';
import type { ExportFormat } from './export-record';
import type { ExportSource, Pages } from './readers';
import { feedFactsFromTables, feedOtherFacts } from './row-facts';
import { activityRow, flagRow, mediaRow, organizationRow, resultsRow, summaryRow, type Row, type StoredItem } from './rows';
import { scoreRows } from './score-files';
import { ScoringFacts, type ScoreReport } from '../domain/scoring-facts';
import type { ScoringSource } from './readers';
import { fileDigest, FORMATS, writeCsv, writeParquet } from './writers';
import type { ExportWorkspace, StagingTable } from './workspace';

/** Rows staged so far of one table, reported after every page (an exported table's, when it is loaded whole). */
export type StagingProgress = (p: { table: StagingTable | ExportEntity; rows: number; done: boolean }) => void;

async function stagePages(
  workspace: ExportWorkspace,
  table: StagingTable,
  pages: Pages,
  toRow: (item: StoredItem) => Row,
  progress?: StagingProgress,
): Promise<number> {
  const stager = workspace.stager(table);
  try {
    for await (const page of pages) {
      for (const item of page) stager.append(toRow(item));
      progress?.({ table, rows: stager.rows, done: false });
    }
  } catch (error) {
    stager.discard();
    throw error;
  }
  await stager.close();
  progress?.({ table, rows: stager.rows, done: true });
  return stager.rows;
}

/** Stages everything the campaign's export holds; answers the rows of each staging table. */
export async function stageCampaign(
  workspace: ExportWorkspace,
  campaign: Campaign,
  source: ExportSource & Partial<Pick<ScoringSource, 'reviews' | 'extensions'>>,
  progress?: StagingProgress,
  onScores?: (report: ScoreReport) => void,
): Promise<Record<StagingTable, number>> {
  const c = campaign.id;
  const facts = new ScoringFacts(campaign);
  /** Each staged item is also a fact of the scores. */
  const tap = (take: (item: StoredItem) => void, toRow: (item: StoredItem) => Row) => (item: StoredItem) => {
    take(item);
    return toRow(item);
  };
  const defined = new Set(campaign.organizations.map((o) => o.organizationId));
  // The definition's units first (not stored), then the units added at run time.
  async function* organizations(): Pages {
    yield campaign.organizations.map((o) => ({ organizationId: o.organizationId, name: o.name.zh, nameEn: o.name.en, county: o.county, type: o.type }));
    for await (const page of source.addedOrganizations(c)) {
      const added = page.filter((item) => !defined.has(String(item.organizationId)));
      if (added.length > 0) yield added;
    }
  }
  async function* none(): Pages {}
  // The entities are read concurrently (each a paged Query of its own partition): the export
  // waits for the slowest partition, not the sum of them. Each table has its own stager.
  const settled = await Promise.allSettled([
    stagePages(workspace, 'activity_items', source.activities(c), tap((i) => facts.activity(i), activityRow), progress),
    stagePages(workspace, 'activity_results', source.results(c), tap((i) => facts.result(i), resultsRow), progress),
    stagePages(workspace, 'media', source.media(c), tap((i) => facts.medium(i), (item) => mediaRow(item, campaign.timeZone)), progress),
    stagePages(workspace, 'summaries', source.summaries(c), tap((i) => facts.summary(i), summaryRow), progress),
    stagePages(workspace, 'flags', source.flags(c), tap((i) => facts.flag(i), flagRow), progress),
    stagePages(
      workspace,
      'organizations',
      organizations(),
      tap((i) => facts.organization(i), (item) => organizationRow(c, item as Parameters<typeof organizationRow>[1])),
      progress,
    ),
  ]);
  // Every reader has finished (none still writing into the workspace) before a failure is thrown.
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  const rows = (i: number): number => (settled[i] as PromiseFulfilledResult<number>).value;
  const staged = {
    activity_items: rows(0),
    activity_results: rows(1),
    media: rows(2),
    summaries: rows(3),
    flags: rows(4),
    organizations: rows(5),
  };
  for await (const page of source.reviews?.(c) ?? none()) for (const item of page) facts.review(item);
  for await (const page of source.extensions?.(c) ?? none()) for (const item of page) facts.extension(item);
  const report = facts.report();
  onScores?.(report);
  async function* scorePages(): Pages {
    yield scoreRows(report);
  }
  return { ...staged, scores: await stagePages(workspace, 'scores', scorePages(), (row) => row as Row, progress) };
}

/**
 * Stages an export whose tables a query engine made from a table copy (ADR 0029), into a
 * workspace opened with `tables`: each entity copy table's Parquet files loaded into its exported
 * table; the campaign definition's units first, then the units added at run time that are not
 * among them (as {@link stageCampaign} does); the scores from those rows and the copy's reviews
 * and extensions (row-facts.ts). Answers the rows of each exported table.
 */
export async function stageCopyTables(
  workspace: ExportWorkspace,
  campaign: Campaign,
  files: CopyTableFiles,
  progress?: StagingProgress,
  onScores?: (report: ScoreReport) => void,
): Promise<Record<ExportEntity, number>> {
  const c = campaign.id;
  async function* definitionUnits(): Pages {
    yield campaign.organizations.map((o) => ({ organizationId: o.organizationId, name: o.name.zh, nameEn: o.name.en, county: o.county, type: o.type }));
  }
  await stagePages(workspace, 'organizations', definitionUnits(), (item) => organizationRow(c, item as Parameters<typeof organizationRow>[1]));
  for (const table of ENTITY_COPY_TABLES) {
    await workspace.loadParquet(COPY_TABLE_ENTITY[table], files[table], table === 'addedOrganizations' ? { newKeysOnly: 'organization_id' } : {});
  }
  const rows = {} as Record<ExportEntity, number>;
  for (const entity of EXPORT_ENTITIES.filter((e) => e !== 'scores')) {
    rows[entity] = await workspace.count(entity);
    progress?.({ table: entity, rows: rows[entity], done: true });
  }

  const facts = new ScoringFacts(campaign);
  await feedFactsFromTables(workspace, facts);
  await feedOtherFacts(workspace, files, facts);
  const report = facts.report();
  onScores?.(report);
  async function* scorePages(): Pages {
    yield scoreRows(report);
  }
  return { ...rows, scores: await stagePages(workspace, 'scores', scorePages(), (row) => row as Row, progress) };
}

export interface LocalFile {
  readonly entity: ExportEntity;
  readonly path: string;
  readonly rows: number;
  readonly bytes: number;
  readonly sha256: string;
  readonly contentType: string;
}

/** Writes every exported table of the staged workspace into `dir`: `<entity>.<ext>`. */
export async function writeEntityFiles(
  workspace: ExportWorkspace,
  dir: string,
  options: { format: ExportFormat; language: 'zh' | 'en'; timeZone: string },
  onFile?: (file: LocalFile) => void,
): Promise<LocalFile[]> {
  const files: LocalFile[] = [];
  for (const entity of EXPORT_ENTITIES) {
    const path = join(dir, `${entity}.${FORMATS[options.format].extension}`);
    const rows =
      options.format === 'parquet'
        ? await writeParquet(workspace, entity, path)
        : await writeCsv(workspace, entity, path, { language: options.language, timeZone: options.timeZone });
    const file = { entity, path, rows, ...(await fileDigest(path)), contentType: FORMATS[options.format].contentType };
    files.push(file);
    onFile?.(file);
  }
  return files;
}
