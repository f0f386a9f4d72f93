/**
 * The scores' facts from the exported rows, for an export whose tables a query engine made from
 * a table copy (ADR 0029): the function never reads the items then, only the tables (and the
 * copy's reviews and extensions, two tables of their own).
 *
 * The rows hold every fact the scores read (domain/scoring-facts.ts ScoringFacts): an activity's own columns,
 * its results (joined into it), each medium's kind, status and activity, each flag's unit, code
 * and waiver, the summaries, the units. Each row is handed to ScoringFacts shaped as the item it
 * came from (the attribute names ScoringFacts reads), one DuckDB chunk at a time. A results item
 * whose every column is empty is not told apart from no results item: the scores read them alike
 * (rules.ts falls back to the activity's own figures either way).
 */
import { INDICATOR_IDS } from '../domain/campaign';
import { EXPORT_TABLES, type ExportEntity } from './columns';
import { FACT_COPY_TABLES, reviewScoreColumn, type FactCopyTable } from './copy-sql';
import type { CopyTableFiles } from './copy-tables';
import type { ScoringFacts } from '../domain/scoring-facts';
import type { StoredItem } from './rows';
import { quoteLiteral, type ExportWorkspace } from './workspace';

type Values = Readonly<Record<string, unknown>>;

/** The columns of `entity` as JS values the facts take: instants as UTC ISO text, whole numbers as numbers. */
function factsSelectSql(entity: ExportEntity): string {
  const columns = EXPORT_TABLES[entity].columns.map((c) => {
    const name = `"${c.name}"`;
    if (c.type === 'timestamptz') return `strftime(${name} AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS ${name}`;
    if (c.type === 'int64') return `CAST(${name} AS DOUBLE) AS ${name}`;
    return name;
  });
  return `SELECT ${columns.join(', ')} FROM ${entity}`;
}

/** How each exported table's row is told to the facts. */
const FEEDS: Readonly<Record<Exclude<ExportEntity, 'scores'>, (facts: ScoringFacts, row: Values) => void>> = {
  activities: (facts, r) => {
    facts.activity({
      activityId: r.activity_id,
      campaignId: r.campaign_id,
      organizationId: r.organization_id,
      status: r.status,
      title: r.title,
      kind: r.kind,
      jointAction: r.joint_action,
      format: r.format,
      county: r.county,
      startsAt: r.starts_at,
      expectedParticipants: r.expected_participants,
      onlineUrl: r.online_url,
      volunteers: { count: r.volunteer_count, hours: r.volunteer_hours },
      coOrganizers: r.co_organizers,
      createdAt: r.created_at,
      submittedAt: r.submitted_at,
      completedAt: r.completed_at,
    } satisfies StoredItem);
    const results = [r.actual_participants, r.news_links, r.results_online_url, r.highlights];
    if (results.some((v) => v !== null && v !== undefined)) {
      facts.result({ activityId: r.activity_id, campaignId: r.campaign_id, actualParticipants: r.actual_participants, newsLinks: r.news_links, onlineUrl: r.results_online_url });
    }
  },
  media: (facts, r) =>
    facts.medium({
      campaignId: r.campaign_id,
      subject: r.activity_id ? { type: 'activity', activityId: r.activity_id } : { type: 'summary' },
      kind: r.kind,
      status: r.status,
    }),
  flags: (facts, r) => facts.flag({ campaignId: r.campaign_id, organizationId: r.organization_id, code: r.code, waived: r.waived }),
  summaries: (facts, r) => facts.summary({ campaignId: r.campaign_id, organizationId: r.organization_id }),
  organizations: (facts, r) => facts.organization({ organizationId: r.organization_id, name: r.name, county: r.county, type: r.type }),
};

/** The review and extension rows of the copy (copy-sql.ts), told to the facts as the items they were. */
const OTHER_FEEDS: Readonly<Record<FactCopyTable, (facts: ScoringFacts, row: Values) => void>> = {
  reviews: (facts, r) =>
    facts.review({
      campaignId: r.campaign_id,
      organizationId: r.organization_id,
      distinctiveActivityIds: r.distinctive_activity_ids,
      scores: Object.fromEntries(INDICATOR_IDS.map((i) => [i, r[reviewScoreColumn(i)]]).filter(([, v]) => v !== null && v !== undefined)),
    }),
  extensions: (facts, r) =>
    facts.extension({ campaignId: r.campaign_id, organizationId: r.organization_id, activityId: r.activity_id, milestone: r.milestone, until: r.until }),
};

/** Hands the copy's reviews and extensions (their Parquet files) to `facts`, a chunk at a time. */
export async function feedOtherFacts(workspace: ExportWorkspace, files: CopyTableFiles, facts: ScoringFacts): Promise<void> {
  for (const table of FACT_COPY_TABLES) {
    if (files[table].length === 0) continue;
    const result = await workspace.connection.stream(`SELECT * FROM read_parquet([${files[table].map(quoteLiteral).join(', ')}])`);
    for await (const chunk of result.yieldRowObjectJs()) for (const row of chunk) OTHER_FEEDS[table](facts, row);
  }
}

/** Hands every row of the workspace's exported tables (but `scores`) to `facts`, a chunk at a time. */
export async function feedFactsFromTables(workspace: ExportWorkspace, facts: ScoringFacts): Promise<void> {
  for (const [entity, feed] of Object.entries(FEEDS) as Array<[ExportEntity, (facts: ScoringFacts, row: Values) => void]>) {
    const result = await workspace.connection.stream(factsSelectSql(entity));
    for await (const chunk of result.yieldRowObjectJs()) for (const row of chunk) feed(facts, row);
  }
}
