/**
 * Stores the seed campaigns (ADR 0023): on first start, the table gets the definitions that
 * used to be compiled in (2021 Xinxiang), published, so a data dir or a deployment that held
 * 2021's data keeps serving it. A campaign already stored is left as it is (an admin may have
 * edited or closed it): running this again changes nothing.
 *
 * One machine: the local runtime runs it once per data dir at start-up, before every other
 * migration. AWS: `npm run -s migrate -- --table <main table>` after the first deploy.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SEED_DEFINITIONS } from '../campaigns/index';
import { CampaignDefinitionSchema } from '../domain/campaign';
import * as z from '../domain/zod';
import { ConflictError } from '../errors';
import { DynamoDbCampaignStore } from '../repositories/campaign-repository';

export const SEED_CAMPAIGNS = '0003-seed-campaigns';

export interface SeedReport {
  readonly created: string[];
  readonly existing: string[];
}

export async function seedCampaigns(deps: {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly at: Date;
  readonly definitions?: readonly unknown[];
}): Promise<SeedReport> {
  const store = new DynamoDbCampaignStore({ client: deps.client, tableName: deps.tableName });
  const created: string[] = [];
  const existing: string[] = [];
  for (const raw of deps.definitions ?? SEED_DEFINITIONS) {
    const definition = z.parse(CampaignDefinitionSchema, raw);
    try {
      await store.create({ definition, status: 'published', at: deps.at.toISOString(), by: 'system:seed' });
      created.push(definition.id);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      existing.push(definition.id);
    }
  }
  return { created, existing };
}
