import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { MilestoneId } from '../domain/campaign';
import type { ExtensionFacts } from '../domain/rules';
import type { ExtensionSource } from '../use-cases/submit-activity';
import { keys } from './keys';

/** An extension as stored: who granted which deadline to whom, and why. Times are UTC ISO. */
export interface ExtensionRecord {
  readonly extensionId: string;
  readonly campaignId: string;
  readonly organizationId: string;
  /** Only this activity's deadline moves; the whole unit's when absent. */
  readonly activityId?: string;
  readonly milestone: MilestoneId;
  /** The new last on-time instant. */
  readonly until: string;
  readonly reason: string;
  /** The admin's `sub`. */
  readonly grantedBy: string;
  readonly grantedAt: string;
}

/** Port: granting extensions (each grant is a new item; the latest `until` that applies counts). */
export interface ExtensionRepository {
  grant(extension: ExtensionRecord): Promise<void>;
}

/**
 * The stored item. {@link DynamoDbExtensionSource} reads `organizationId`, `activityId`,
 * `milestone` and `until` of every item in the unit's extension partition: keep those names.
 */
export function extensionItem(e: ExtensionRecord): Record<string, unknown> {
  return {
    ...keys.extension(e.campaignId, e.organizationId, e.grantedAt, e.extensionId),
    // gsi2: every extension of a campaign (the scores' on-time rate, the exports).
    ...keys.extensionIndex(e.campaignId, e.organizationId, e.grantedAt, e.extensionId),
    entity: 'Extension',
    ...e,
  };
}

/** Adapter: the extensions granted to a unit (written by `POST /v1/campaigns/{campaignId}/extensions`). */
export class DynamoDbExtensionSource implements ExtensionSource {
  public constructor(private readonly deps: { client: DynamoDBDocumentClient; tableName: string }) {}

  public async forOrganization(campaignId: string, organizationId: string): Promise<ExtensionFacts[]> {
    const page = await this.deps.client.send(
      new QueryCommand({
        TableName: this.deps.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.extensionsOfOrganization(campaignId, organizationId) },
        ConsistentRead: true,
      }),
    );
    return (page.Items ?? []).map((i) => ({
      organizationId: String(i.organizationId),
      ...(i.activityId ? { activityId: String(i.activityId) } : {}),
      milestone: i.milestone as MilestoneId,
      until: new Date(String(i.until)),
    }));
  }
}

/** Adapter: writes one item per grant in the unit's extension partition. */
export class DynamoDbExtensionRepository implements ExtensionRepository {
  public constructor(private readonly deps: { client: DynamoDBDocumentClient; tableName: string }) {}

  public async grant(extension: ExtensionRecord): Promise<void> {
    await this.deps.client.send(
      new PutCommand({
        TableName: this.deps.tableName,
        Item: extensionItem(extension),
        // A fresh random id: never overwrite another grant.
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }
}
