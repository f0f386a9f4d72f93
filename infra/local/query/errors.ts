/** The errors of `npm run query` and their one-line messages, Chinese then English. */

/** Exit 1 (environment) or 2 (input) with a one-line message. */
export class QueryCliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}

/** A DuckDB error as one line: its first paragraph, without the `LINE 1: …` excerpt and caret. */
export function oneLine(message: string): string {
  const firstParagraph = message.split(/\n\s*\n/)[0] ?? message;
  return firstParagraph
    .split('\n')
    .filter((l) => !/^LINE \d+:/.test(l.trim()) && l.trim() !== '^')
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export const MESSAGES = {
  notRunning: (dataDir: string) =>
    `本地运行时未在运行（数据目录 ${dataDir}）：请先执行 npm start。 / The local runtime is not running (data dir ${dataDir}): start it with npm start first.`,
  noExport: () =>
    '还没有任何导出：请先导出活动季数据（POST /v1/campaigns/{campaignId}/exports，format 为 parquet）。 / ' +
    'Nothing has been exported yet: export a campaign first (POST /v1/campaigns/{campaignId}/exports with format parquet).',
  badSql: (detail: string) => `SQL 有误 / bad SQL: ${detail}`,
  fileAccess: () =>
    '查询只能读取导出的表，不能读写其他文件，也不能更改设置 / ' +
    'A query reads the exported tables only: it may not read or write other files, nor change settings.',
  download: (detail: string) => `下载导出文件失败 / could not download the exports: ${detail}`,
} as const;
