import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Campaign, OrganizationType } from '../domain/campaign';
import { keys } from './keys';

/** An organizing unit as the API lists it. */
export interface Organization {
  readonly organizationId: string;
  readonly name: string;
  readonly nameEn?: string;
  readonly county: string;
  readonly type: OrganizationType;
  /** Units added at run time carry when they were added. */
  readonly listedAt?: string;
}

/** Port: the units of a campaign, from its definition and added at run time. */
export interface OrganizationDirectory {
  list(campaign: Campaign): Promise<Organization[]>;
  find(campaign: Campaign, organizationId: string): Promise<Organization | undefined>;
  add(campaign: Campaign, organizations: readonly Organization[]): Promise<void>;
}

export class DynamoDbOrganizationDirectory implements OrganizationDirectory {
  public constructor(private readonly deps: { client: DynamoDBDocumentClient; tableName: string }) {}

  private fromDefinition(campaign: Campaign): Organization[] {
    return campaign.organizations.map((o) => ({
      organizationId: o.organizationId,
      name: o.name.zh,
      nameEn: o.name.en,
      county: o.county,
      type: o.type,
    }));
  }

  public async list(campaign: Campaign): Promise<Organization[]> {
    const added: Organization[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.deps.client.send(
        new QueryCommand({
          TableName: this.deps.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.organizationsPartition(campaign.id) },
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) {
        if (item.entity !== 'Organization') continue;
        added.push({
          organizationId: item.organizationId,
          name: item.name,
          ...(item.nameEn ? { nameEn: item.nameEn } : {}),
          county: item.county,
          type: item.type,
          ...(item.listedAt ? { listedAt: item.listedAt } : {}),
        });
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    const defined = this.fromDefinition(campaign);
    const known = new Set(defined.map((o) => o.organizationId));
    return [...defined, ...added.filter((o) => !known.has(o.organizationId))];
  }

  public async find(campaign: Campaign, organizationId: string): Promise<Organization | undefined> {
    return (await this.list(campaign)).find((o) => o.organizationId === organizationId);
  }

  public async add(campaign: Campaign, organizations: readonly Organization[]): Promise<void> {
    for (const o of organizations) {
      await this.deps.client.send(
        new PutCommand({
          TableName: this.deps.tableName,
          Item: { ...keys.organization(campaign.id, o.organizationId), entity: 'Organization', campaignId: campaign.id, ...o },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    }
  }
}
