import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { MilestoneId } from '../domain/campaign';
import type { ExtensionFacts } from '../domain/rules';
import type { ExtensionSource } from '../use-cases/submit-activity';
import { keys } from './keys';

/** Adapter: the extensions granted to a unit (written by the admin route of the milestones issue). */
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
