/**
 * Builds the progress read model (ADR 0021) of every campaign from the main table: a data dir or a
 * deployment that held activities before the read model existed gets its counters, and running it
 * again changes nothing (it is {@link rebuildProgress}, whose writes are conditioned on what it read).
 *
 * One machine: the local runtime runs it once per data dir at start-up (infra/local/migrations.ts).
 * AWS: `npm run -s migrate -- --table <main table> --progress-table <progress table>` (infra/migrate.ts)
 * with the deployer's credentials. One campaign at a time: `npm run progress:rebuild -- <campaignId>`.
 *
 * The campaigns are the stored ones (ADR 0023), whatever their status and city, read from the main
 * table with no cache: it runs after the seed campaigns are stored (`0003-seed-campaigns`).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbExportSource } from '../export/readers';
import { CachedCampaignCatalog } from '../repositories/cached-campaign-catalog';
import { DynamoDbCampaignStore } from '../repositories/campaign-repository';
import { DynamoDbActivityPartitions, DynamoDbProgressStore, DynamoDbSubjectItems } from '../repositories/progress-repository';
import { rebuildProgress, type RebuildProgressDeps, type RebuildReport } from '../use-cases/rebuild-progress';

export const BUILD_PROGRESS_READ_MODEL = '0002-build-progress-read-model';
/**
 * The same rebuild once more for the scores' share of the read model (ADR 0038: the `SCORE#`
 * contributions, the value counts, the new counters), in data dirs that ran 0002 before it existed.
 */
export const BUILD_SCORES_READ_MODEL = '0006-build-scores-read-model';

/** What {@link rebuildProgress} needs, over the main and progress tables. */
export function progressRebuildDeps(deps: { readonly client: DynamoDBDocumentClient; readonly mainTable: string; readonly progressTable: string }): RebuildProgressDeps {
  const main = { client: deps.client, tableName: deps.mainTable };
  return {
    // A one-off job: every read goes to the table (no time-to-live), so it sees every edit.
    campaigns: new CachedCampaignCatalog(new DynamoDbCampaignStore(main), { ttlMs: 0 }),
    source: new DynamoDbExportSource(main),
    subjects: new DynamoDbSubjectItems(main),
    partitions: new DynamoDbActivityPartitions(main),
    progress: new DynamoDbProgressStore({ client: deps.client, tableName: deps.progressTable }),
  };
}

/** Rebuilds every campaign's read model; one report per campaign. */
export async function buildProgressReadModel(deps: {
  readonly client: DynamoDBDocumentClient;
  readonly mainTable: string;
  readonly progressTable: string;
  readonly progress?: (report: RebuildReport) => void;
}): Promise<RebuildReport[]> {
  const rebuild = progressRebuildDeps(deps);
  const reports: RebuildReport[] = [];
  for (const campaign of await rebuild.campaigns.all()) {
    const report = await rebuildProgress({ campaignId: campaign.id }, rebuild);
    deps.progress?.(report);
    reports.push(report);
  }
  return reports;
}
