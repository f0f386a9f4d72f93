/**
 * Seal webhook URLs (ADR 0048): a unit's webhook URL holds its robot's access token, and before
 * this version it was stored in clear in the settings item, and so in the audit trail the stream
 * writes from it. This migration
 * 1. seals every plain `webhookUrl` of an `OrganizationSettings` item (conditional on the plain
 *    value still being there: a PATCH meanwhile has sealed its own);
 * 2. masks every plain webhook URL in the audit trail's entries of those items (`old`/`new` of a
 *    `webhookUrl` change) with {@link maskWebhookUrl}: the trail keeps that it changed, not the token.
 *    The sealing of step 1 writes audit entries of its own, sealed on both sides.
 * Idempotent: sealed values and masked ones are left as they are.
 *
 * One machine: the local runtime runs it once per data dir at start-up. AWS: `npm run -s migrate
 * -- --table <name> --audit-table <name> --webhook-key-secret <arn>` (infra/migrate.ts).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isSealed, webhookContext, type SecretSealer } from '../clients/secret-sealer';
import { maskWebhookUrl } from '../domain/webhook-address';
import { scanSegments } from '../repositories/query-all';

export const SEAL_WEBHOOK_URLS = '0008-seal-webhook-urls';

export interface SealWebhookUrlsReport {
  /** Settings items found with a plain webhook URL, and how many of them this run sealed. */
  readonly found: number;
  readonly sealed: number;
  /** Audit entries whose plain webhook URLs were masked. */
  readonly auditMasked: number;
}

const plain = (v: unknown): v is string => typeof v === 'string' && !isSealed(v) && !v.startsWith('…') && !/\/….{0,4}$/u.test(v);

export async function sealWebhookUrls(deps: {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly auditTableName?: string;
  readonly sealer: SecretSealer;
}): Promise<SealWebhookUrlsReport> {
  let found = 0;
  let sealed = 0;
  await scanSegments(
    deps.client,
    { TableName: deps.tableName, FilterExpression: 'entity = :settings AND attribute_exists(webhookUrl)', ExpressionAttributeValues: { ':settings': 'OrganizationSettings' } },
    4,
    async (items) => {
      for (const item of items) {
        const url = item.webhookUrl;
        if (!plain(url) || typeof item.campaignId !== 'string' || typeof item.organizationId !== 'string') continue;
        found += 1;
        try {
          await deps.client.send(
            new UpdateCommand({
              TableName: deps.tableName,
              Key: { pk: item.pk, sk: item.sk },
              UpdateExpression: 'SET webhookUrl = :sealed',
              ConditionExpression: 'webhookUrl = :plain',
              ExpressionAttributeValues: { ':sealed': await deps.sealer.seal(url, webhookContext(item.campaignId, item.organizationId)), ':plain': url },
            }),
          );
          sealed += 1;
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      }
    },
  );
  let auditMasked = 0;
  if (deps.auditTableName) {
    const auditTable = deps.auditTableName;
    await scanSegments(
      deps.client,
      { TableName: auditTable, FilterExpression: 'entity = :settings', ExpressionAttributeValues: { ':settings': 'OrganizationSettings' } },
      4,
      async (items) => {
        for (const item of items) {
          const changes = Array.isArray(item.changes) ? (item.changes as Array<Record<string, unknown>>) : [];
          if (!changes.some((c) => c.path === 'webhookUrl' && (plain(c.old) || plain(c.new)))) continue;
          const masked = changes.map((c) =>
            c.path !== 'webhookUrl' ? c : { ...c, ...(plain(c.old) ? { old: maskWebhookUrl(c.old) } : {}), ...(plain(c.new) ? { new: maskWebhookUrl(c.new) } : {}) },
          );
          await deps.client.send(
            new UpdateCommand({ TableName: auditTable, Key: { pk: item.pk, sk: item.sk }, UpdateExpression: 'SET changes = :changes', ExpressionAttributeValues: { ':changes': masked } }),
          );
          auditMasked += 1;
        }
      },
    );
  }
  return { found, sealed, auditMasked };
}
