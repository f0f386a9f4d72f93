/**
 * The export's SQL over a table copy (ADR 0029): for each table the copy gives, the `SELECT` over
 * a relation `table_copy(Item STRUCT(…))`, the copy in DynamoDB's export format (one gzipped
 * `{"Item": {"pk": {"S": …}, …}}` per line, table-copy.ts), and the type of that `Item` column.
 * Athena (Trino) runs it on AWS over the copy's files; DuckDB runs the same text locally and in
 * the tests, which compare it with what the function's engine writes.
 *
 * - Columns, their order and their types come from the catalogue (columns.ts); {@link ITEM_SOURCES}
 *   says only where in the item each one is, as rows.ts reads it.
 * - Rows are kept as the paged Queries keep them: the entity, and the campaign's partitions of
 *   that reader (readers.ts EXPORT_PARTITIONS; the campaign is in every partition key).
 * - The activities are joined with their results, accepted media counts and open flags by the
 *   same SQL as the engine's view ({@link activitiesJoinSql}), over the same relations.
 * - The two dialects differ only in {@link DIALECTS}: instants, list mapping, regular
 *   expressions, a map's value, type names and how the struct type is written.
 *
 * The units of the campaign's definition are not stored: the copy gives the units added at run
 * time (`addedOrganizations`), and the export adds the definition's (engine.ts). Two more tables
 * hold what the scores read beyond the exported tables: the reviews and the extensions (never
 * exported; their columns are declared here).
 *
 * Plain functions: no DuckDB or CDK import (the SDK only through readers.ts' EXPORT_PARTITIONS).
 */
import { INDICATOR_IDS, type IndicatorId } from '../domain/campaign';
import { EXPORT_TABLES, type ColumnType, type ExportColumn, type ExportEntity } from './columns';
import { DUCKDB_TYPES } from './layout';
import { EXPORT_PARTITIONS, partitionAttribute, type ExportReader } from './readers';
import { ACTIVITY_JOINED_COLUMNS, ACTIVITY_RESULT_COLUMNS } from './rows';

/** The copy tables that feed the exported tables. */
export const ENTITY_COPY_TABLES = ['activities', 'media', 'summaries', 'flags', 'addedOrganizations'] as const;
/** The copy tables of the scores' other facts: reviews and extensions (not exported). */
export const FACT_COPY_TABLES = ['reviews', 'extensions'] as const;
/** The tables a query engine makes from a copy, each one a CTAS on Athena. */
export const COPY_TABLES = [...ENTITY_COPY_TABLES, ...FACT_COPY_TABLES] as const;
export type EntityCopyTable = (typeof ENTITY_COPY_TABLES)[number];
export type FactCopyTable = (typeof FACT_COPY_TABLES)[number];
export type CopyTable = (typeof COPY_TABLES)[number];

/** The exported table each entity copy table feeds (the added units are part of `organizations`). */
export const COPY_TABLE_ENTITY: Readonly<Record<EntityCopyTable, Exclude<ExportEntity, 'scores'>>> = {
  activities: 'activities',
  media: 'media',
  summaries: 'summaries',
  flags: 'flags',
  addedOrganizations: 'organizations',
};

/** The relation every `SELECT` reads: the copy, one row per item, one column `Item`. */
export const COPY_RELATION = 'table_copy';

// ---------------------------------------------------------------------------------------------
// Where each column is in its item

/** DynamoDB JSON's type keys that the export reads. */
type TypeKey = 'S' | 'N' | 'BOOL' | 'L';

/** Where a column's value is in its item (attribute names as stored; nested maps by path). */
export type ItemSource =
  /** The attribute at `path`, read as the column's type. */
  | { readonly kind: 'attribute'; readonly path: readonly string[] }
  /** The first of these attributes that is there (media's campaign and unit, on the item or its subject). */
  | { readonly kind: 'first'; readonly paths: ReadonlyArray<readonly string[]> }
  /** The attribute at `path` when the text at `test` equals `equals`, else NULL. */
  | { readonly kind: 'when'; readonly path: readonly string[]; readonly test: readonly string[]; readonly equals: string }
  /** A boolean attribute, false when absent (a flag's `waived`). */
  | { readonly kind: 'or-false'; readonly path: readonly string[] }
  /** The export's campaign (a unit's row names the campaign it is listed in). */
  | { readonly kind: 'campaign' }
  /** EXIF's wall clock `YYYY-MM-DDTHH:MM:SS` read in the campaign's zone, or an instant with its offset. */
  | { readonly kind: 'wall-clock'; readonly path: readonly string[] }
  /** The value under `key` of the map at `path`, whose keys are data (a review's score of one indicator). */
  | { readonly kind: 'map-value'; readonly path: readonly string[]; readonly key: string };

const at = (...path: string[]): ItemSource => ({ kind: 'attribute', path });

/** A column of a relation: a catalogue column, or a fact's (reviews, extensions). */
type RelationColumn = Pick<ExportColumn, 'name' | 'type'>;

/** The relations read from the copy: each with its reader (entity and partitions) and the source of each column. */
interface CopyRelation {
  readonly reader: ExportReader;
  /** The catalogue entity whose columns the relation has, or the facts it holds. */
  readonly entity: ExportEntity | FactCopyTable;
  readonly columns: readonly RelationColumn[];
  readonly sources: Readonly<Record<string, ItemSource>>;
}

/** A review's score of `indicator` (`joint-actions` is column `score_joint_actions`). */
export const reviewScoreColumn = (indicator: IndicatorId): string => `score_${indicator.replaceAll('-', '_')}`;

const columnOf = (entity: ExportEntity, name: string): ExportColumn => {
  const column = EXPORT_TABLES[entity].columns.find((c) => c.name === name);
  if (!column) throw new Error(`${entity} has no column ${name}`);
  return column;
};

/**
 * Where the columns of each relation are in the items, as rows.ts reads them
 * (activityRow, resultsRow, mediaRow, summaryRow, flagRow, organizationRow). A test checks that
 * every column of the catalogue has exactly one source.
 */
export const ITEM_SOURCES = {
  activity_items: {
    reader: 'activities',
    entity: 'activities',
    columns: EXPORT_TABLES.activities.columns.filter((c) => !ACTIVITY_JOINED_COLUMNS.has(c.name)),
    sources: {
      activity_id: at('activityId'),
      campaign_id: at('campaignId'),
      organization_id: at('organizationId'),
      status: at('status'),
      title: at('title'),
      description: at('description'),
      kind: at('kind'),
      joint_action: at('jointAction'),
      content_themes: at('contentThemes'),
      format: at('format'),
      starts_at: at('startsAt'),
      ends_at: at('endsAt'),
      county: at('county'),
      audiences: at('audiences'),
      venue_name: at('venue', 'name'),
      venue_address: at('venue', 'address'),
      expected_participants: at('expectedParticipants'),
      max_on_site: at('maxOnSite'),
      online_url: at('onlineUrl'),
      volunteer_count: at('volunteers', 'count'),
      volunteer_hours: at('volunteers', 'hours'),
      co_organizers: at('coOrganizers'),
      branded: at('branded'),
      version: at('version'),
      created_at: at('createdAt'),
      submitted_at: at('submittedAt'),
      completed_at: at('completedAt'),
      updated_at: at('updatedAt'),
    },
  },
  activity_results: {
    reader: 'results',
    entity: 'activities',
    columns: [columnOf('activities', 'activity_id'), ...ACTIVITY_RESULT_COLUMNS.map((n) => columnOf('activities', n))],
    sources: {
      activity_id: at('activityId'),
      actual_participants: at('actualParticipants'),
      news_links: at('newsLinks'),
      results_online_url: at('onlineUrl'),
      highlights: at('highlights'),
    },
  },
  media: {
    reader: 'media',
    entity: 'media',
    columns: EXPORT_TABLES.media.columns,
    sources: {
      media_id: at('mediaId'),
      campaign_id: { kind: 'first', paths: [['campaignId'], ['subject', 'campaignId']] },
      organization_id: { kind: 'first', paths: [['organizationId'], ['subject', 'organizationId']] },
      activity_id: { kind: 'when', path: ['subject', 'activityId'], test: ['subject', 'type'], equals: 'activity' },
      kind: at('kind'),
      status: at('status'),
      reason: at('reason'),
      file_name: at('fileName'),
      content_type: at('declaredContentType'),
      size_bytes: at('declaredSize'),
      sha256: at('sha256'),
      captured_at: { kind: 'wall-clock', path: ['capturedAt'] },
      warnings: at('warnings'),
      created_at: at('createdAt'),
    },
  },
  summaries: {
    reader: 'summaries',
    entity: 'summaries',
    columns: EXPORT_TABLES.summaries.columns,
    sources: {
      campaign_id: at('campaignId'),
      organization_id: at('organizationId'),
      text: at('text'),
      document_media_ids: at('documentMediaIds'),
      version: at('version'),
      submitted_at: at('submittedAt'),
      updated_at: at('updatedAt'),
    },
  },
  flags: {
    reader: 'flags',
    entity: 'flags',
    columns: EXPORT_TABLES.flags.columns,
    sources: {
      flag_id: at('flagId'),
      campaign_id: at('campaignId'),
      organization_id: at('organizationId'),
      activity_id: at('activityId'),
      code: at('code'),
      milestone: at('milestone'),
      raised_at: at('raisedAt'),
      late_by_seconds: at('lateBySeconds'),
      waived: { kind: 'or-false', path: ['waived'] },
      waived_reason: at('waivedReason'),
      waived_at: at('waivedAt'),
    },
  },
  organizations: {
    reader: 'addedOrganizations',
    entity: 'organizations',
    columns: EXPORT_TABLES.organizations.columns,
    sources: {
      campaign_id: { kind: 'campaign' },
      organization_id: at('organizationId'),
      name: at('name'),
      name_en: at('nameEn'),
      county: at('county'),
      type: at('type'),
      listed_at: at('listedAt'),
    },
  },
  reviews: {
    reader: 'reviews',
    entity: 'reviews',
    columns: [
      { name: 'campaign_id', type: 'string' },
      { name: 'organization_id', type: 'string' },
      { name: 'distinctive_activity_ids', type: 'list<string>' },
      ...INDICATOR_IDS.map((i) => ({ name: reviewScoreColumn(i), type: 'double' as const })),
    ],
    sources: {
      campaign_id: at('campaignId'),
      organization_id: at('organizationId'),
      distinctive_activity_ids: at('distinctiveActivityIds'),
      ...Object.fromEntries(INDICATOR_IDS.map((i) => [reviewScoreColumn(i), { kind: 'map-value', path: ['scores'], key: i } as const])),
    },
  },
  extensions: {
    reader: 'extensions',
    entity: 'extensions',
    columns: [
      { name: 'campaign_id', type: 'string' },
      { name: 'organization_id', type: 'string' },
      { name: 'activity_id', type: 'string' },
      { name: 'milestone', type: 'string' },
      // The text as stored: the scores read it as the item's.
      { name: 'until', type: 'string' },
    ],
    sources: {
      campaign_id: at('campaignId'),
      organization_id: at('organizationId'),
      activity_id: at('activityId'),
      milestone: at('milestone'),
      until: at('until'),
    },
  },
} as const satisfies Record<string, CopyRelation>;
export type CopyRelationName = keyof typeof ITEM_SOURCES;

/** The type key a column of each logical type is read from. */
const TYPE_KEYS: Readonly<Record<ColumnType, TypeKey>> = {
  string: 'S',
  int64: 'N',
  double: 'N',
  boolean: 'BOOL',
  timestamptz: 'S',
  'list<string>': 'L',
};

// ---------------------------------------------------------------------------------------------
// The two dialects

export type DialectName = 'trino' | 'duckdb';

/** What Trino (Athena) and DuckDB write differently; everything else in the SQL is the same text. */
export interface Dialect {
  /** The SQL type of each logical column type (CASTs, and so the CTAS's columns). */
  readonly types: Readonly<Record<ColumnType, string>>;
  /** An ISO-8601 instant with its offset as the dialect's instant type; NULL when it is not one. */
  instant(text: string): string;
  /** A wall clock `YYYY-MM-DDTHH:MM:SS` read in the zone `zone` (a SQL literal), as the same type. */
  wallClock(text: string, zone: string): string;
  /** Each element `e` of `list` mapped to `body(e)`, NULLs dropped; NULL when `list` is. */
  mapList(list: string, body: (element: string) => string): string;
  /** Whether `text` matches the regular expression `pattern` (a SQL literal, anchored by the caller). */
  matches(text: string, pattern: string): string;
  /** The value under the key `key` (a SQL literal) of the map `map`; NULL when it has none. */
  mapValue(map: string, key: string): string;
  /** The type of the copy's column `Item`, from its fields (names as stored) and their types. */
  struct(fields: ReadonlyArray<readonly [name: string, type: string]>): string;
  /** Type names of DynamoDB JSON's leaves: text (S, N) and booleans (BOOL), and a list of a type. */
  readonly text: string;
  readonly bool: string;
  list(of: string): string;
  /** A map from text keys to values of a type. */
  map(of: string): string;
}

/**
 * The dialect map. Athena's side is Trino SQL for the queries and Hive DDL for the struct (the
 * `CREATE EXTERNAL TABLE` over the copy); its CTAS writes Hive tables, which hold no instant with a
 * zone, so instants are UTC `timestamp(3)` there and TIMESTAMP WITH TIME ZONE in DuckDB: the
 * export reads both back as the catalogue's instants (engine.ts).
 */
export const DIALECTS: Readonly<Record<DialectName, Dialect>> = {
  trino: {
    types: { string: 'varchar', int64: 'bigint', double: 'double', boolean: 'boolean', timestamptz: 'timestamp(3)', 'list<string>': 'array(varchar)' },
    instant: (text) => `CAST(at_timezone(try(from_iso8601_timestamp(${text})), 'UTC') AS timestamp(3))`,
    wallClock: (text, zone) => `CAST(at_timezone(with_timezone(try(date_parse(${text}, '%Y-%m-%dT%H:%i:%s')), ${zone}), 'UTC') AS timestamp(3))`,
    mapList: (list, body) => `filter(transform(${list}, e -> ${body('e')}), x -> x IS NOT NULL)`,
    matches: (text, pattern) => `regexp_like(${text}, ${pattern})`,
    mapValue: (map, key) => `element_at(${map}, ${key})`,
    struct: (fields) => `struct<${fields.map(([name, type]) => `\`${name}\`:${type}`).join(',')}>`,
    text: 'string',
    bool: 'boolean',
    list: (of) => `array<${of}>`,
    map: (of) => `map<string,${of}>`,
  },
  duckdb: {
    types: DUCKDB_TYPES,
    instant: (text) => `TRY_CAST(${text} AS TIMESTAMP WITH TIME ZONE)`,
    wallClock: (text, zone) => `timezone(${zone}, TRY_CAST(${text} AS TIMESTAMP))`,
    mapList: (list, body) => `list_filter(list_transform(${list}, lambda e: ${body('e')}), lambda x: x IS NOT NULL)`,
    matches: (text, pattern) => `regexp_matches(${text}, ${pattern})`,
    mapValue: (map, key) => `${map}[${key}]`,
    struct: (fields) => `STRUCT(${fields.map(([name, type]) => `"${name}" ${type}`).join(', ')})`,
    text: 'VARCHAR',
    bool: 'BOOLEAN',
    list: (of) => `${of}[]`,
    map: (of) => `MAP(VARCHAR, ${of})`,
  },
};

/** A SQL string literal (the same in both dialects). */
export const sqlLiteral = (text: string): string => `'${text.replaceAll("'", "''")}'`;
/** A quoted identifier, in lower case: Athena's catalogue keeps names in lower case, DuckDB matches them without regard to case. */
const ident = (name: string): string => `"${name.toLowerCase().replaceAll('"', '""')}"`;
const quoted = (name: string): string => `"${name.replaceAll('"', '""')}"`;

const WHOLE_NUMBER = sqlLiteral('^-?[0-9]+$');
const EXIF_WALL_CLOCK = sqlLiteral('^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$');

// ---------------------------------------------------------------------------------------------
// The struct type of `Item`

/**
 * One attribute of the struct: the type keys read from it; under `M`, either its own attributes
 * (`map`) or, when its keys are data, the type keys of every value (`values`).
 */
interface AttributeNode {
  readonly keys: Set<TypeKey>;
  readonly map: Map<string, AttributeNode>;
  readonly values: Set<TypeKey>;
}

const node = (): AttributeNode => ({ keys: new Set(), map: new Map(), values: new Set() });

/** Adds `path` read as `key` to the tree (each step but the last through a map, `M`). */
function addPath(tree: Map<string, AttributeNode>, path: readonly string[], key: TypeKey): void {
  const [head, ...rest] = path;
  if (head === undefined) throw new Error('an item source has an empty path');
  const attribute = tree.get(head) ?? node();
  tree.set(head, attribute);
  if (rest.length === 0) attribute.keys.add(key);
  else addPath(attribute.map, rest, key);
}

/** Adds the map at `path`, whose values are read as `key` (its keys are data). */
function addMap(tree: Map<string, AttributeNode>, path: readonly string[], key: TypeKey): void {
  const [head, ...rest] = path;
  if (head === undefined) throw new Error('an item source has an empty path');
  const attribute = tree.get(head) ?? node();
  tree.set(head, attribute);
  if (rest.length === 0) attribute.values.add(key);
  else addMap(attribute.map, rest, key);
}

const pathsOf = (source: ItemSource): ReadonlyArray<readonly string[]> => {
  switch (source.kind) {
    case 'attribute':
    case 'or-false':
    case 'wall-clock':
      return [source.path];
    case 'map-value':
      return [];
    case 'first':
      return source.paths;
    case 'when':
      return [source.path];
    case 'campaign':
      return [];
  }
};

/** Every attribute the export reads, with its type keys: the columns' sources and what the filters test. */
function attributeTree(): Map<string, AttributeNode> {
  const tree = new Map<string, AttributeNode>();
  addPath(tree, ['entity'], 'S');
  for (const relation of Object.values(ITEM_SOURCES) as CopyRelation[]) {
    addPath(tree, [partitionAttribute(relation.reader)], 'S');
    for (const column of relation.columns) {
      const source = sourceOf(relation, column.name);
      for (const path of pathsOf(source)) addPath(tree, path, TYPE_KEYS[column.type]);
      if (source.kind === 'when') addPath(tree, source.test, 'S');
      if (source.kind === 'map-value') addMap(tree, source.path, TYPE_KEYS[column.type]);
    }
  }
  return tree;
}

function renderTree(tree: ReadonlyMap<string, AttributeNode>, d: Dialect): string {
  const leaf: Readonly<Record<TypeKey, string>> = { S: d.text, N: d.text, BOOL: d.bool, L: d.list(d.struct([['S', d.text]])) };
  return d.struct(
    [...tree].map(([name, attribute]) => {
      const fields: Array<readonly [string, string]> = [...attribute.keys].map((key) => [key, leaf[key]] as const);
      if (attribute.map.size > 0 && attribute.values.size > 0) throw new Error(`attribute ${name} is read both as a record and as a map`);
      if (attribute.map.size > 0) fields.push(['M', renderTree(attribute.map, d)]);
      if (attribute.values.size > 0) fields.push(['M', d.map(d.struct([...attribute.values].map((key) => [key, leaf[key]] as const)))]);
      return [name, d.struct(fields)] as const;
    }),
  );
}

/**
 * The type of the copy's `Item` column: every attribute any column or filter reads, each a struct of
 * the DynamoDB JSON type keys it is read from (`{"S": …}`, `{"N": …}`, `{"L": [{"S": …}]}`, maps
 * under `M`). Keys the struct does not name are ignored by both readers; a missing one is NULL.
 *
 * @example
 * itemStructType('duckdb'); // STRUCT("entity" STRUCT("S" VARCHAR), "gsi2pk" STRUCT("S" VARCHAR), …)
 */
export function itemStructType(dialect: DialectName): string {
  return renderTree(attributeTree(), DIALECTS[dialect]);
}

// ---------------------------------------------------------------------------------------------
// The SELECTs

/** The expression of an attribute in `Item`, read as the type key `key`. */
const raw = (path: readonly string[], key: TypeKey | 'M'): string => `"item".${path.map(ident).join('."m".')}.${ident(key)}`;

/** The attribute at `path` as a value of the column type `type` (NULL when it is not one). */
const typed = (path: readonly string[], type: ColumnType, d: Dialect): string => typedValue(raw(path, TYPE_KEYS[type]), type, d);

/** `value` (a DynamoDB JSON leaf: text, a boolean, a list) as a value of the column type `type`. */
function typedValue(value: string, type: ColumnType, d: Dialect): string {
  switch (type) {
    case 'string':
    case 'boolean':
      return value;
    case 'int64':
      // Whole numbers only, as rows.ts's cellOf takes them (never 12.5 rounded to 13).
      return `CASE WHEN ${d.matches(value, WHOLE_NUMBER)} THEN TRY_CAST(${value} AS ${d.types.int64}) END`;
    case 'double':
      return `TRY_CAST(${value} AS ${d.types.double})`;
    case 'timestamptz':
      return d.instant(value);
    case 'list<string>':
      return d.mapList(value, (e) => `${e}.${ident('S')}`);
  }
}

function sourceOf(relation: CopyRelation, column: string): ItemSource {
  const source = relation.sources[column];
  if (!source) throw new Error(`${relation.entity}: column ${column} has no source in the item`);
  return source;
}

function expression(source: ItemSource, column: RelationColumn, context: SelectContext): string {
  const d = DIALECTS[context.dialect];
  switch (source.kind) {
    case 'attribute':
      return typed(source.path, column.type, d);
    case 'first':
      return `COALESCE(${source.paths.map((p) => typed(p, column.type, d)).join(', ')})`;
    case 'when':
      return `CASE WHEN ${raw(source.test, 'S')} = ${sqlLiteral(source.equals)} THEN ${typed(source.path, column.type, d)} END`;
    case 'or-false':
      return `COALESCE(${raw(source.path, 'BOOL')}, false)`;
    case 'campaign':
      return `CAST(${sqlLiteral(context.campaignId)} AS ${d.types[column.type]})`;
    case 'wall-clock': {
      const value = raw(source.path, 'S');
      return `CASE WHEN ${d.matches(value, EXIF_WALL_CLOCK)} THEN ${d.wallClock(value, sqlLiteral(context.timeZone))} ELSE ${d.instant(value)} END`;
    }
    case 'map-value':
      return typedValue(`(${d.mapValue(raw(source.path, 'M'), sqlLiteral(source.key))}).${ident(TYPE_KEYS[column.type])}`, column.type, d);
  }
}

/** What a `SELECT` over the copy depends on besides the dialect: the campaign. */
export interface SelectContext {
  readonly dialect: DialectName;
  readonly campaignId: string;
  /** The campaign's zone (EXIF capture times are its wall clock). */
  readonly timeZone: string;
  /** The relation holding the copy (default `table_copy`). */
  readonly relation?: string;
}

/** The rows of one relation: the items of its reader's entity in the campaign's partitions, its columns typed. */
export function relationSelectSql(name: CopyRelationName, context: SelectContext): string {
  const relation: CopyRelation = ITEM_SOURCES[name];
  const { partitions, entity } = EXPORT_PARTITIONS[relation.reader];
  const columns = relation.columns.map((c) => `${expression(sourceOf(relation, c.name), c, context)} AS ${quoted(c.name)}`);
  return [
    `SELECT ${columns.join(',\n  ')}`,
    `FROM ${context.relation ?? COPY_RELATION}`,
    `WHERE ${raw(['entity'], 'S')} = ${sqlLiteral(entity)}`,
    `  AND ${raw([partitionAttribute(relation.reader)], 'S')} IN (${partitions(context.campaignId).map(sqlLiteral).join(', ')})`,
  ].join('\n');
}

/** The expression of each activity column that is not the activity item's own (`a` is the item, `r` its results). */
const ACTIVITY_EXPRESSIONS: Readonly<Record<string, string>> = {
  actual_participants: 'r.actual_participants',
  news_links: 'r.news_links',
  results_online_url: 'r.results_online_url',
  highlights: 'r.highlights',
  accepted_photos: 'COALESCE(m.accepted_photos, 0)',
  accepted_videos: 'COALESCE(m.accepted_videos, 0)',
  open_flags: 'COALESCE(f.open_flags, 0)',
};

/**
 * The activities of an export: each activity item (`activity_items`) with its results
 * (`activity_results`), its accepted photo and video counts (`media`) and its unwaived flags
 * (`flags`), every column cast to its type in `types`. The engine's view (workspace.ts) and the
 * copy's activities are this same statement.
 */
export function activitiesJoinSql(types: Readonly<Record<ColumnType, string>>): string {
  const select = EXPORT_TABLES.activities.columns
    .map((c) => `CAST(${ACTIVITY_EXPRESSIONS[c.name] ?? `a.${quoted(c.name)}`} AS ${types[c.type]}) AS ${quoted(c.name)}`)
    .join(',\n  ');
  return `SELECT
  ${select}
FROM activity_items a
LEFT JOIN activity_results r ON r.activity_id = a.activity_id
LEFT JOIN (
  SELECT activity_id,
    count(*) FILTER (WHERE kind = 'photo') AS accepted_photos,
    count(*) FILTER (WHERE kind = 'video') AS accepted_videos
  FROM media WHERE status = 'accepted' AND activity_id IS NOT NULL GROUP BY activity_id
) m ON m.activity_id = a.activity_id
LEFT JOIN (
  SELECT activity_id, count(*) AS open_flags FROM flags WHERE NOT waived AND activity_id IS NOT NULL GROUP BY activity_id
) f ON f.activity_id = a.activity_id`;
}

/** The `SELECT` of one copy table over the copy (`activities`: the four relations, then the join). */
export function copyTableSelectSql(table: CopyTable, context: SelectContext): string {
  switch (table) {
    case 'activities': {
      const relations: CopyRelationName[] = ['activity_items', 'activity_results', 'media', 'flags'];
      const ctes = relations.map((r) => `${r} AS (\n${relationSelectSql(r, context)}\n)`);
      return `WITH ${ctes.join(',\n')}\n${activitiesJoinSql(DIALECTS[context.dialect].types)}`;
    }
    case 'addedOrganizations':
      return relationSelectSql('organizations', context);
    default:
      return relationSelectSql(table, context);
  }
}

/** The columns of a copy table, in order (what its `SELECT` answers): its exported table's, or its facts'. */
export function copyTableColumns(table: CopyTable): readonly RelationColumn[] {
  switch (table) {
    case 'reviews':
    case 'extensions':
      return ITEM_SOURCES[table].columns;
    default:
      return EXPORT_TABLES[COPY_TABLE_ENTITY[table]].columns;
  }
}

// ---------------------------------------------------------------------------------------------
// Binding `table_copy`, and the statements around the SELECTs on Athena

/**
 * DuckDB's `table_copy`: the copy's data files read as JSON lines with the one column `Item` of
 * {@link itemStructType}.
 */
export function duckdbCopyRelation(files: readonly string[]): string {
  const list = files.map(sqlLiteral).join(', ');
  return `read_json([${list}], format = 'newline_delimited', compression = 'gzip', columns = {Item: ${sqlLiteral(itemStructType('duckdb'))}}, maximum_object_size = 67108864)`;
}

/** Names Athena accepts unquoted for the temporary tables: lower case, digits, underscores. */
const TABLE_NAME = /^[a-z][a-z0-9_]{0,127}$/;
const tableName = (name: string): string => {
  if (!TABLE_NAME.test(name)) throw new Error(`not a table name Athena takes: ${name}`);
  return name;
};
const s3Location = (location: string): string => {
  if (!/^s3:\/\/[^/]+\/.+\/$/.test(location)) throw new Error(`not an S3 folder: ${location}`);
  return sqlLiteral(location);
};

/**
 * Athena DDL: the copy's `data/` folder as a table of one column `Item` (OpenX JSON SerDe; the
 * files are read gunzipped by their `.gz` extension). DDL quotes names with backticks.
 */
export function createCopyTableSql(input: { readonly table: string; readonly location: string }): string {
  return [
    `CREATE EXTERNAL TABLE \`${tableName(input.table)}\` (`,
    `  \`Item\` ${itemStructType('trino')}`,
    `)`,
    `ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'`,
    `LOCATION ${s3Location(input.location)}`,
  ].join('\n');
}

/** One CTAS: `select` written as Parquet (zstd) under `location`, registered as `table`. */
export function ctasSql(input: { readonly table: string; readonly location: string; readonly select: string }): string {
  return [
    `CREATE TABLE ${tableName(input.table)}`,
    `WITH (format = 'PARQUET', write_compression = 'ZSTD', external_location = ${s3Location(input.location)})`,
    `AS`,
    input.select,
  ].join('\n');
}

/** Drops a temporary table's metadata (Hive external tables: the files stay). */
export const dropTableSql = (table: string): string => `DROP TABLE IF EXISTS \`${tableName(table)}\``;
