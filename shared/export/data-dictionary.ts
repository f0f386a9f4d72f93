/**
 * docs/data-dictionary.md, generated from the column catalogue (EXPORT_TABLES) and the writers'
 * type map: `npm run docs:dictionary` writes it, and a unit test fails when the committed file
 * differs from what this renders (and when a written Parquet file differs from the catalogue).
 */
import { EXPORT_ENTITIES, EXPORT_SCHEMA_VERSION, EXPORT_TABLES, type ColumnType } from './columns';
import { LIST_SEPARATOR } from './csv';
// layout.ts, not manifest.ts or workspace.ts: no DuckDB or node: import, so the web app renders the
// dictionary from this module too (web/src/pages/console/DataDictionaryPage.vue).
import { DUCKDB_TYPES, manifestKey, snapshotPrefix } from './layout';

/** What each logical type is, in both languages (this document and the web app's dictionary page). */
export const TYPE_NOTES: Readonly<Record<ColumnType, { zh: string; en: string }>> = {
  string: { zh: 'UTF-8 文本', en: 'UTF-8 text' },
  int64: { zh: '整数', en: 'whole number' },
  double: { zh: '小数', en: 'decimal number' },
  boolean: { zh: '是/否（CSV 中为 true / false）', en: 'true / false' },
  timestamptz: {
    zh: '时刻（Parquet 内为 UTC；CSV 中按活动季时区书写并带偏移，如 2021-09-15T09:00:00+08:00）',
    en: 'an instant (UTC inside Parquet; in CSV written in the campaign’s zone with its offset, e.g. 2021-09-15T09:00:00+08:00)',
  },
  'list<string>': { zh: `文本列表（CSV 中以 “${LIST_SEPARATOR.trim()} ” 连接）`, en: `a list of text values (in CSV joined with “${LIST_SEPARATOR.trim()} ”)` },
};

/** What a reader of a table should know beyond its columns. */
export const TABLE_NOTES: Partial<Record<(typeof EXPORT_ENTITIES)[number], { zh: string; en: string }>> = {
  activities: {
    zh: '成果列（actual_participants … highlights）来自活动成果；accepted_photos / accepted_videos 为同一导出中 media 表里已通过审核的照片、视频数；open_flags 为同一导出中 flags 表里该活动未豁免的标记数。',
    en: 'The results columns (actual_participants … highlights) come from the activity’s results; accepted_photos / accepted_videos count the accepted photos and videos in the same export’s media table; open_flags counts the activity’s unwaived flags in the same export’s flags table.',
  },
  scores: {
    zh: '每个组织单位一行（含没有活动的单位），按名次排列；由导出时的数据计算，与 GET /v1/campaigns/{campaignId}/scores 相同（计算口径见 docs/scoring.md）。同分并列，名次相同。missing 列出缺少项：no-registered-activity、no-summary、reviewer-score:<指标>。',
    en: 'One row per organizing unit (units with no activity included), by rank; computed from the data as exported, as GET /v1/campaigns/{campaignId}/scores computes it (docs/scoring.md). Equal totals share a rank. missing lists what is absent: no-registered-activity, no-summary, reviewer-score:<indicator>.',
  },
};

const cell = (text: string): string => text.replaceAll('|', '\\|');

/** The whole document. */
export function renderDataDictionary(): string {
  const lines: string[] = [
    '# 数据字典 / Data dictionary',
    '',
    '<!-- Generated from shared/export/columns.ts by `npm run docs:dictionary`. Do not edit by hand:',
    '     test/unit/export/data-dictionary.test.ts fails when this file and the catalogue differ. -->',
    '',
    `导出数据的每张表、每一列及其含义。Schema version ${EXPORT_SCHEMA_VERSION}.`,
    'Every exported table and column, with its meaning.',
    '',
    '## 文件 / Files',
    '',
    '```',
    `${snapshotPrefix('<campaign>', '<snapshot>')}entity=<entity>/part-0.parquet   (or part-0.csv)`,
    manifestKey('<campaign>', '<snapshot>') + '   (schema version, rows, bytes, SHA-256 of each file; written last)',
    '```',
    '',
    '- `<snapshot>`: the export’s id (on request), `registration` / `completion` (a milestone’s snapshot), or `latest`',
    '  (a copy of the newest Parquet export, which the analysts’ tables and `npm run query` read).',
    '- Parquet column names are the `column` names below; CSV headers are the meanings (中文 by default, English on request).',
    '- CSV: UTF-8 with BOM, CRLF, RFC 4180 quoting; a text cell starting with `=`, `+`, `-`, `@`, a tab or a CR is',
    '  prefixed with `\'` so spreadsheets never run it as a formula. An empty cell is a missing value.',
    '- A column is nullable unless it is marked required (必填).',
    '',
    '## 类型 / Types',
    '',
    '| type | Parquet / DuckDB | 说明 | notes |',
    '|---|---|---|---|',
    ...(Object.keys(DUCKDB_TYPES) as ColumnType[]).map(
      (t) => `| \`${t}\` | \`${DUCKDB_TYPES[t]}\` | ${cell(TYPE_NOTES[t].zh)} | ${cell(TYPE_NOTES[t].en)} |`,
    ),
  ];
  for (const entity of EXPORT_ENTITIES) {
    const table = EXPORT_TABLES[entity];
    lines.push(
      '',
      `## \`${entity}\``,
      '',
      `${table.meaning.zh} / ${table.meaning.en}`,
      '',
      ...(TABLE_NOTES[entity] ? [TABLE_NOTES[entity].zh, TABLE_NOTES[entity].en, ''] : []),
      '| # | column | type | Parquet / DuckDB | 必填 required | 含义 | meaning |',
      '|---|---|---|---|---|---|---|',
      ...table.columns.map(
        (c, i) =>
          `| ${i + 1} | \`${c.name}\` | \`${c.type}\` | \`${DUCKDB_TYPES[c.type]}\` | ${c.required ? '✓' : ''} | ${cell(c.meaning.zh)} | ${cell(c.meaning.en)} |`,
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}
