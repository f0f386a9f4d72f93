// The export's SQL over a table copy (ADR 0029) as text: where each column comes from, the
// dialect map, and the Trino (Athena) statements, which cannot run here. Their DuckDB twins run
// over a real copy in copy-tables.test.ts.
import { DuckDBInstance } from '@duckdb/node-api';
import { EXPORT_TABLES } from '../../../shared/export/columns';
import {
  activitiesJoinSql,
  COPY_TABLES,
  copyTableColumns,
  copyTableSelectSql,
  createCopyTableSql,
  ctasSql,
  DIALECTS,
  dropTableSql,
  itemStructType,
  ITEM_SOURCES,
  relationSelectSql,
  type DialectName,
} from '../../../shared/export/copy-sql';
import { DUCKDB_TYPES } from '../../../shared/export/layout';
import { ACTIVITY_COMPUTED_COLUMNS } from '../../../shared/export/rows';
import { activitiesViewSql } from '../../../shared/export/workspace';
import { keys } from '../../../shared/repositories/keys';

const C = '2021-xinxiang';
const context = (dialect: DialectName) => ({ dialect, campaignId: C, timeZone: 'Asia/Shanghai' });

/** The SQL with string literals and quoted names blanked (what is left is keywords, functions, punctuation). */
const bare = (sql: string): string => sql.replace(/'(?:[^']|'')*'/g, "''").replace(/"(?:[^"]|"")*"/g, '""').replace(/`[^`]*`/g, '``');

/** Whether every bracket of `sql` (outside literals and quoted names) is closed, in order; `<…>` too in a type. */
function balanced(sql: string, angles = false): boolean {
  const closing: Record<string, string> = { ')': '(', ']': '[', ...(angles ? { '>': '<' } : {}) };
  const stack: string[] = [];
  for (const ch of bare(sql).replaceAll('->', '')) {
    if (ch === '(' || ch === '[' || (angles && ch === '<')) stack.push(ch);
    else if (closing[ch] && stack.pop() !== closing[ch]) return false;
  }
  return stack.length === 0;
}

/** The aliases of the outermost SELECT's columns (`… AS "name"` at depth 0, before its FROM). */
function outerAliases(sql: string): string[] {
  let depth = 0;
  let start = -1;
  let end = -1;
  const text = sql.replace(/'(?:[^']|'')*'/g, (m) => '_'.repeat(m.length));
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === '(') depth += 1;
    else if (ch === ')') depth -= 1;
    else if (depth === 0 && text.startsWith('SELECT', i)) start = i + 6;
    else if (depth === 0 && start >= 0 && text.startsWith('FROM', i) && end < start) end = i;
  }
  const list = sql.slice(start, end);
  const columns: string[] = [];
  depth = 0;
  let from = 0;
  for (let i = 0; i <= list.length; i += 1) {
    const ch = list[i];
    if (ch === '(') depth += 1;
    else if (ch === ')') depth -= 1;
    else if ((ch === ',' && depth === 0) || i === list.length) {
      columns.push(list.slice(from, i));
      from = i + 1;
    }
  }
  return columns.map((c) => /AS "([^"]+)"\s*$/.exec(c.trim())?.[1] ?? `?${c.trim()}`);
}

type TypeTree = string | { readonly list: TypeTree } | { readonly map: TypeTree } | { readonly [field: string]: TypeTree };

/** Hive DDL's `struct<\`a\`:string,…>` as a tree. */
function parseHive(text: string): TypeTree {
  let i = 0;
  const type = (): TypeTree => {
    for (const [word, leaf] of [
      ['string', 'text'],
      ['boolean', 'bool'],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return leaf;
      }
    }
    if (text.startsWith('array<', i)) {
      i += 6;
      const of = type();
      i += 1;
      return { list: of };
    }
    if (text.startsWith('map<string,', i)) {
      i += 11;
      const of = type();
      i += 1;
      return { map: of };
    }
    if (!text.startsWith('struct<', i)) throw new Error(`hive type at ${text.slice(i, i + 20)}`);
    i += 7;
    const fields: Record<string, TypeTree> = {};
    while (text[i] === '`') {
      const close = text.indexOf('`', i + 1);
      const name = text.slice(i + 1, close);
      i = close + 2;
      fields[name] = type();
      if (text[i] === ',') i += 1;
    }
    i += 1;
    return fields;
  };
  const tree = type();
  expect(i).toBe(text.length);
  return tree;
}

/** DuckDB's `STRUCT("a" VARCHAR, …)` as the same tree. */
function parseDuckDb(text: string): TypeTree {
  let i = 0;
  const type = (): TypeTree => {
    let t: TypeTree;
    if (text.startsWith('VARCHAR', i)) {
      i += 7;
      t = 'text';
    } else if (text.startsWith('BOOLEAN', i)) {
      i += 7;
      t = 'bool';
    } else if (text.startsWith('MAP(VARCHAR, ', i)) {
      i += 13;
      t = { map: type() };
      i += 1;
    } else {
      if (!text.startsWith('STRUCT(', i)) throw new Error(`duckdb type at ${text.slice(i, i + 20)}`);
      i += 7;
      const fields: Record<string, TypeTree> = {};
      while (text[i] === '"') {
        const close = text.indexOf('"', i + 1);
        const name = text.slice(i + 1, close);
        i = close + 2;
        fields[name] = type();
        if (text.startsWith(', ', i)) i += 2;
      }
      i += 1;
      t = fields;
    }
    while (text.startsWith('[]', i)) {
      i += 2;
      t = { list: t };
    }
    return t;
  };
  const tree = type();
  expect(i).toBe(text.length);
  return tree;
}

describe('Constant: ITEM_SOURCES', () => {
  it('gives every column of the catalogue exactly one place in its item, and names no other column', () => {
    // Assess: each relation's sources are its columns, in the catalogue's order.
    for (const [name, relation] of Object.entries(ITEM_SOURCES)) {
      expect([name, Object.keys(relation.sources)]).toEqual([name, relation.columns.map((c) => c.name)]);
    }
    // The activities: the item's own columns, the results' columns and the three computed are all of them.
    const activities = [...ITEM_SOURCES.activity_items.columns, ...ITEM_SOURCES.activity_results.columns.slice(1)].map((c) => c.name);
    expect([...activities, ...ACTIVITY_COMPUTED_COLUMNS].sort()).toEqual(EXPORT_TABLES.activities.columns.map((c) => c.name).sort());
    for (const table of COPY_TABLES) expect(copyTableColumns(table).length).toBeGreaterThan(0);
  });
});

describe('Constant: DIALECTS', () => {
  it('differs only in a small map: instants, list mapping, regular expressions, type names and struct syntax', () => {
    // Assess
    expect(Object.keys(DIALECTS.trino).sort()).toEqual(Object.keys(DIALECTS.duckdb).sort());
    expect(DIALECTS.duckdb.types).toBe(DUCKDB_TYPES);
    expect(DIALECTS.trino.types).toEqual({ string: 'varchar', int64: 'bigint', double: 'double', boolean: 'boolean', timestamptz: 'timestamp(3)', 'list<string>': 'array(varchar)' });
    expect(DIALECTS.trino.instant('x')).toBe(`CAST(at_timezone(try(from_iso8601_timestamp(x)), 'UTC') AS timestamp(3))`);
    expect(DIALECTS.duckdb.instant('x')).toBe('TRY_CAST(x AS TIMESTAMP WITH TIME ZONE)');
    expect(DIALECTS.trino.wallClock('x', "'Asia/Shanghai'")).toBe(
      `CAST(at_timezone(with_timezone(try(date_parse(x, '%Y-%m-%dT%H:%i:%s')), 'Asia/Shanghai'), 'UTC') AS timestamp(3))`,
    );
    expect(DIALECTS.duckdb.wallClock('x', "'Asia/Shanghai'")).toBe(`timezone('Asia/Shanghai', TRY_CAST(x AS TIMESTAMP))`);
    expect(DIALECTS.trino.mapList('l', (e) => `${e}.s`)).toBe('filter(transform(l, e -> e.s), x -> x IS NOT NULL)');
    expect(DIALECTS.duckdb.mapList('l', (e) => `${e}.s`)).toBe('list_filter(list_transform(l, lambda e: e.s), lambda x: x IS NOT NULL)');
    expect(DIALECTS.trino.matches('x', "'^a$'")).toBe("regexp_like(x, '^a$')");
    expect(DIALECTS.duckdb.matches('x', "'^a$'")).toBe("regexp_matches(x, '^a$')");
    expect(DIALECTS.trino.mapValue('m', "'k'")).toBe("element_at(m, 'k')");
    expect(DIALECTS.duckdb.mapValue('m', "'k'")).toBe("m['k']");
  });

  it('writes the same statement in both dialects but for the map: the same columns, relations and filters', () => {
    for (const table of COPY_TABLES) {
      // Act
      const trino = copyTableSelectSql(table, context('trino'));
      const duckdb = copyTableSelectSql(table, context('duckdb'));
      // Assess
      const shape = (sql: string) => sql.split('\n').filter((l) => /^\s*(FROM|WHERE|AND|LEFT JOIN|WITH|\) [a-z]+ ON|GROUP BY)\b/.test(l));
      expect(shape(trino)).toEqual(shape(duckdb));
      expect(outerAliases(trino)).toEqual(outerAliases(duckdb));
    }
  });
});

describe('Function: copyTableSelectSql (Trino)', () => {
  it.each(COPY_TABLES)('answers the catalogue columns of %s, in order, in balanced Trino SQL', (table) => {
    // Act
    const sql = copyTableSelectSql(table, { ...context('trino'), relation: 'sciday_copy_x' });
    // Assess: structure
    expect(balanced(sql)).toBe(true);
    expect(outerAliases(sql)).toEqual(copyTableColumns(table).map((c) => c.name));
    expect(sql).toContain('FROM sciday_copy_x\n');
    // …and no DuckDB in it.
    for (const duck of [/\blist_transform\(/, /\blist_filter\(/, /\blambda /, /\bregexp_matches\(/, /TIMESTAMP WITH TIME ZONE/, /\btimezone\(/, /VARCHAR\[\]/]) expect(bare(sql)).not.toMatch(duck);
  });

  it('types each column with Trino’s casts and functions', () => {
    // Act
    const sql = copyTableSelectSql('activities', context('trino'));
    // Assess
    expect(sql).toContain(`CASE WHEN regexp_like("item"."expectedparticipants"."n", '^-?[0-9]+$') THEN TRY_CAST("item"."expectedparticipants"."n" AS bigint) END AS "expected_participants"`);
    expect(sql).toContain(`TRY_CAST("item"."volunteers"."m"."hours"."n" AS double) AS "volunteer_hours"`);
    expect(sql).toContain(`"item"."venue"."m"."name"."s" AS "venue_name"`);
    expect(sql).toContain(`"item"."branded"."bool" AS "branded"`);
    expect(sql).toContain(`filter(transform("item"."contentthemes"."l", e -> e."s"), x -> x IS NOT NULL) AS "content_themes"`);
    expect(sql).toContain(`CAST(at_timezone(try(from_iso8601_timestamp("item"."createdat"."s")), 'UTC') AS timestamp(3)) AS "created_at"`);
    expect(sql).toContain(`CAST(COALESCE(m.accepted_photos, 0) AS bigint) AS "accepted_photos"`);
    expect(sql).toContain(`CAST(r.news_links AS array(varchar)) AS "news_links"`);
    const media = copyTableSelectSql('media', context('trino'));
    expect(media).toContain(`CASE WHEN "item"."subject"."m"."type"."s" = 'activity' THEN "item"."subject"."m"."activityid"."s" END AS "activity_id"`);
    expect(media).toContain(`COALESCE("item"."campaignid"."s", "item"."subject"."m"."campaignid"."s") AS "campaign_id"`);
    expect(media).toMatch(/CASE WHEN regexp_like\("item"\."capturedat"\."s", '[^']+'\) THEN CAST\(at_timezone\(with_timezone\(.*'Asia\/Shanghai'\).*ELSE CAST\(at_timezone\(try\(from_iso8601_timestamp/);
    expect(copyTableSelectSql('flags', context('trino'))).toContain(`COALESCE("item"."waived"."bool", false) AS "waived"`);
    // The scores' other facts: a review's score of each indicator, out of a map whose keys are data.
    const reviews = copyTableSelectSql('reviews', context('trino'));
    expect(reviews).toContain(`TRY_CAST((element_at("item"."scores"."m", 'joint-actions'))."n" AS double) AS "score_joint_actions"`);
    expect(reviews).toContain(`filter(transform("item"."distinctiveactivityids"."l", e -> e."s"), x -> x IS NOT NULL) AS "distinctive_activity_ids"`);
    expect(copyTableSelectSql('extensions', context('trino'))).toContain(`"item"."until"."s" AS "until"`);
  });

  it('keeps the items of the reader’s entity in the campaign’s partitions, as the paged Queries read them', () => {
    // Act
    const flags = copyTableSelectSql('flags', context('trino'));
    const units = copyTableSelectSql('addedOrganizations', { ...context('trino'), campaignId: "o'c" });
    // Assess
    expect(flags).toContain(`WHERE "item"."entity"."s" = 'Flag'\n  AND "item"."gsi1pk"."s" IN (${keys.shards('flags', C).map((p) => `'${p}'`).join(', ')})`);
    expect(units).toContain(`WHERE "item"."entity"."s" = 'Organization'\n  AND "item"."pk"."s" IN ('CAMP#o''c#ORGS')`);
    expect(units).toContain(`CAST('o''c' AS varchar) AS "campaign_id"`);
    // The activities read four relations, each with its own entity and partitions.
    const activities = copyTableSelectSql('activities', context('trino'));
    expect(activities.match(/"item"\."entity"\."s" = '(\w+)'/g)).toEqual([`"item"."entity"."s" = 'Activity'`, `"item"."entity"."s" = 'Results'`, `"item"."entity"."s" = 'Media'`, `"item"."entity"."s" = 'Flag'`]);
    expect(relationSelectSql('activity_results', context('trino'))).toContain(keys.shards('results', C).at(-1));
  });
});

describe('Function: activitiesJoinSql', () => {
  it('is the engine’s own view: one join for both the function and the copy', () => {
    expect(activitiesViewSql()).toBe(`CREATE VIEW activities AS\n${activitiesJoinSql(DUCKDB_TYPES)}`);
    expect(copyTableSelectSql('activities', context('duckdb')).endsWith(activitiesJoinSql(DUCKDB_TYPES))).toBe(true);
  });
});

describe('Function: itemStructType', () => {
  it('declares the same struct in Hive DDL and in DuckDB: every attribute read, each under its DynamoDB type keys', async () => {
    // Act
    const hive = parseHive(itemStructType('trino'));
    const duckdb = parseDuckDb(itemStructType('duckdb'));
    // Assess
    expect(hive).toEqual(duckdb);
    expect(hive).toMatchObject({
      entity: { S: 'text' },
      pk: { S: 'text' },
      gsi1pk: { S: 'text' },
      gsi2pk: { S: 'text' },
      expectedParticipants: { N: 'text' },
      branded: { BOOL: 'bool' },
      contentThemes: { L: { list: { S: 'text' } } },
      venue: { M: { name: { S: 'text' }, address: { S: 'text' } } },
      subject: { M: { type: { S: 'text' }, activityId: { S: 'text' }, campaignId: { S: 'text' }, organizationId: { S: 'text' } } },
      // A review's scores: a map whose keys (the indicators) are data.
      scores: { M: { map: { N: 'text' } } },
    });
    // DuckDB takes its own declaration.
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    try {
      const reader = await connection.runAndReadAll(`SELECT typeof(NULL::${itemStructType('duckdb')}) AS t`);
      expect(String(reader.getRows()[0]?.[0])).toMatch(/^STRUCT\(/);
    } finally {
      connection.closeSync();
      db.closeSync();
    }
  });
});

describe('Functions: createCopyTableSql, ctasSql, dropTableSql', () => {
  it('write Athena’s DDL with backticks, the JSON SerDe over the copy’s folder, and Parquet (zstd) CTAS', () => {
    // Act
    const ddl = createCopyTableSql({ table: 'sciday_copy_x', location: 's3://exports/table-copies/e/AWSDynamoDB/1/data/' });
    const ctas = ctasSql({ table: 'sciday_tmp_x_media', location: 's3://exports/table-copies/e/tables/r/media/', select: 'SELECT 1' });
    // Assess
    expect(balanced(ddl, true)).toBe(true);
    expect(balanced(itemStructType('trino'), true)).toBe(true);
    expect(ddl).toBe(
      [
        'CREATE EXTERNAL TABLE `sciday_copy_x` (',
        `  \`Item\` ${itemStructType('trino')}`,
        ')',
        "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'",
        "LOCATION 's3://exports/table-copies/e/AWSDynamoDB/1/data/'",
      ].join('\n'),
    );
    expect(ctas).toBe("CREATE TABLE sciday_tmp_x_media\nWITH (format = 'PARQUET', write_compression = 'ZSTD', external_location = 's3://exports/table-copies/e/tables/r/media/')\nAS\nSELECT 1");
    expect(dropTableSql('sciday_tmp_x_media')).toBe('DROP TABLE IF EXISTS `sciday_tmp_x_media`');
  });

  it('refuses names and locations that would need quoting or are not S3 folders', () => {
    expect(() => dropTableSql('x`; DROP DATABASE y')).toThrow(/not a table name/);
    expect(() => createCopyTableSql({ table: 'Upper', location: 's3://b/f/' })).toThrow(/not a table name/);
    expect(() => ctasSql({ table: 't', location: 's3://b/file.parquet', select: 'SELECT 1' })).toThrow(/not an S3 folder/);
    expect(() => ctasSql({ table: 't', location: "s3://b/it's/", select: 'SELECT 1' })).not.toThrow();
    expect(ctasSql({ table: 't', location: "s3://b/it's/", select: 'SELECT 1' })).toContain("'s3://b/it''s/'");
  });
});
