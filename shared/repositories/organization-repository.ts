import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Campaign, OrganizationType } from '../domain/campaign';
import { BadRequestError, ConflictError, KeyTakenError, StaleVersionError } from '../errors';
import { cursorScope, decodeCursor, encodeCursor, type Page } from './page';
import { cancellation, isOwnWrite, ON_CONDITION_FAILURE, versionCondition } from './conditions';
import { keys, type ItemKey } from './keys';
import { webhookContext, webhookSealer, openWebhookUrl, type SecretSealer } from '../clients/secret-sealer';
import { queryAll, queryPages } from './query-all';

// --- keys of a unit's settings ------------------------------------------------------------
// Kept here rather than in keys.ts (shared by everyone): settings live in a partition of their
// own per campaign, so listing the units (`CAMP#<c>#ORGS`) never reads a settings item.

/** The partition holding the settings (contact, webhook) of a campaign's units. */
export const organizationSettingsPartition = (campaignId: string): string => `CAMP#${campaignId}#ORGSET`;

/** The settings item of one unit (from the campaign definition or added at run time). */
export const organizationSettingsKey = (campaignId: string, organizationId: string): ItemKey => ({
  pk: organizationSettingsPartition(campaignId),
  sk: `ORG#${organizationId}`,
});

/** Most units one `add` writes: DynamoDB's limit of actions in one transaction. */
export const MAX_ORGANIZATIONS_PER_ADD = 100;

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

/** A unit's contact person. */
export interface OrganizationContact {
  readonly name: string;
  readonly phone: string;
  readonly email?: string;
}

/** A unit added at run time: who added it and when, and the contact given then. */
export interface NewOrganization extends Organization {
  readonly listedAt: string;
  readonly listedBy: string;
  /** The contact given when the unit was added: its settings until the first settings change. */
  readonly contact?: OrganizationContact;
}

/** Port: the units of a campaign, from its definition and added at run time. */
export interface OrganizationDirectory {
  list(campaign: Campaign): Promise<Organization[]>;
  find(campaign: Campaign, organizationId: string): Promise<Organization | undefined>;
  /**
   * Adds up to {@link MAX_ORGANIZATIONS_PER_ADD} units all at once or none of them (one
   * transaction); 409 when an id is taken.
   */
  add(campaign: Campaign, organizations: readonly NewOrganization[], createToken?: string): Promise<void>;
}

/** The directory as the route that adds units needs it: which units a request added (ADR 0025). */
export interface OrganizationRegistry extends OrganizationDirectory {
  /** The units added by the request with this token, in the order it listed them; empty if none. */
  addedBy(campaign: Campaign, createToken: string): Promise<NewOrganization[]>;
}

function unitFromItem(item: Record<string, unknown>): Organization {
  return {
    organizationId: String(item.organizationId),
    name: String(item.name),
    ...(item.nameEn ? { nameEn: String(item.nameEn) } : {}),
    county: String(item.county),
    type: item.type as Organization['type'],
    ...(item.listedAt ? { listedAt: String(item.listedAt) } : {}),
  };
}

export class DynamoDbOrganizationDirectory implements OrganizationRegistry {
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

  /**
   * One page of {@link list}'s order (`GET …/organizations`, `limit` 1..100): the definition's
   * units, then those added at run time in their partition's order. The signed cursor
   * (shared/repositories/page.ts) holds how many of the definition's units were given (`i`) and the
   * sort key of the last added unit given (`sk`, `''` before the first): it is valid for this
   * campaign's list only (400 otherwise). One extra unit is read to know whether a next page
   * exists, so the last page's `nextCursor` is `null`.
   */
  public async page(campaign: Campaign, query: { limit: number; cursor?: string }): Promise<Page<Organization>> {
    const partition = keys.organizationsPartition(campaign.id);
    const scope = cursorScope('organizations', partition);
    const after = await decodeCursor(scope, query.cursor, ['i', 'sk']);
    if (after && (typeof after.i !== 'number' || !Number.isInteger(after.i) || typeof after.sk !== 'string')) {
      throw new BadRequestError('the cursor is not one this list issued');
    }
    const defined = this.fromDefinition(campaign);
    // The definition may have gained units since (never lost any once published): clamp.
    const start = after ? Math.min(Math.max(Number(after.i), 0), defined.length) : 0;
    const afterSk = after && after.sk !== '' ? String(after.sk) : undefined;
    const fromDefined = defined.slice(start, start + query.limit + 1);
    if (fromDefined.length > query.limit) {
      return { items: fromDefined.slice(0, query.limit), nextCursor: await encodeCursor(scope, { i: start + query.limit, sk: afterSk ?? '' }) };
    }
    const wanted = query.limit - fromDefined.length;
    const known = new Set(defined.map((o) => o.organizationId));
    const added: Array<{ unit: Organization; sk: string }> = [];
    const pages = queryPages(this.deps.client, {
      TableName: this.deps.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': partition },
      Limit: Math.max(wanted + 1, 25),
      ...(afterSk ? { ExclusiveStartKey: { pk: partition, sk: afterSk } } : {}),
    });
    // One more than wanted: whether a next page has any.
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        if (item.entity !== 'Organization' || known.has(String(item.organizationId))) continue;
        added.push({ unit: unitFromItem(item), sk: String(item.sk) });
      }
      if (added.length > wanted) break;
    }
    const given = added.slice(0, wanted);
    const items = [...fromDefined, ...given.map((a) => a.unit)];
    const lastSk = given.at(-1)?.sk ?? afterSk ?? '';
    return { items, nextCursor: added.length > wanted ? await encodeCursor(scope, { i: defined.length, sk: lastSk }) : null };
  }

  /** The definition's units (once each, in its order), then those added at run time. */
  public async list(campaign: Campaign): Promise<Organization[]> {
    const items = await queryAll(this.deps.client, {
      TableName: this.deps.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.organizationsPartition(campaign.id) },
    });
    // Only unit items; anything else that may share the partition is not a unit.
    const added = items.filter((item) => item.entity === 'Organization').map(unitFromItem);
    const defined = this.fromDefinition(campaign);
    const known = new Set(defined.map((o) => o.organizationId));
    return [...defined, ...added.filter((o) => !known.has(o.organizationId))];
  }

  /** One unit: from the definition, else one GetItem (never the whole list). */
  public async find(campaign: Campaign, organizationId: string): Promise<Organization | undefined> {
    const defined = this.fromDefinition(campaign).find((o) => o.organizationId === organizationId);
    if (defined) return defined;
    const { Item } = await this.deps.client.send(
      new GetCommand({ TableName: this.deps.tableName, Key: keys.organization(campaign.id, organizationId) }),
    );
    return Item?.entity === 'Organization' ? unitFromItem(Item) : undefined;
  }

  public async addedBy(campaign: Campaign, createToken: string): Promise<NewOrganization[]> {
    const items = await queryAll(this.deps.client, {
      TableName: this.deps.tableName,
      KeyConditionExpression: 'pk = :pk',
      FilterExpression: 'createToken = :token',
      ExpressionAttributeValues: { ':pk': keys.organizationsPartition(campaign.id), ':token': createToken },
      ConsistentRead: true,
    });
    return items
      .filter((item) => item.entity === 'Organization')
      .sort((a, b) => Number(a.createIndex ?? 0) - Number(b.createIndex ?? 0))
      .map((item) => ({
        ...unitFromItem(item),
        listedAt: String(item.listedAt),
        listedBy: String(item.listedBy),
        ...(item.contact ? { contact: item.contact as OrganizationContact } : {}),
      }));
  }

  public async add(campaign: Campaign, organizations: readonly NewOrganization[], createToken?: string): Promise<void> {
    if (organizations.length === 0) return;
    if (organizations.length > MAX_ORGANIZATIONS_PER_ADD) {
      throw new RangeError(`at most ${MAX_ORGANIZATIONS_PER_ADD} units can be added at once, not ${organizations.length}`);
    }
    try {
      await this.deps.client.send(
        new TransactWriteCommand({
          TransactItems: organizations.map((o, index) => ({
            Put: {
              TableName: this.deps.tableName,
              Item: {
                ...keys.organization(campaign.id, o.organizationId),
                entity: 'Organization',
                campaignId: campaign.id,
                ...o,
                // The audit trail names the actor of a change by `updatedBy`.
                updatedBy: o.listedBy,
                ...(createToken ? { createToken, createIndex: index } : {}),
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          })),
        }),
      );
    } catch (error) {
      const { failed, conflicted } = cancellation(error);
      if (failed.length > 0) {
        throw new KeyTakenError('an organization id is already taken; send the request again', { cause: error });
      }
      if (conflicted) {
        throw new ConflictError('another change to these units is in progress; send the request again', { cause: error });
      }
      throw error;
    }
  }
}

// --- settings -----------------------------------------------------------------------------

/**
 * A unit's contact and notification settings. Version 0 means never changed: then there is no
 * settings item, and the contact is the one given when the unit was added (none for the
 * units of the campaign definition).
 */
export interface OrganizationSettings {
  readonly campaignId: string;
  readonly organizationId: string;
  readonly version: number;
  readonly contact?: OrganizationContact;
  /** In clear: set by `get` only when revealed, and by a use case that changes it. */
  readonly webhookUrl?: string;
  /**
   * The webhook URL as stored: sealed with the stack's key (ADR 0048), so the item, its stream
   * images, the audit trail and the notification queue never hold the robot's token in clear.
   * Given to `put` with an unchanged `webhookUrl`, it is stored as it is (no new ciphertext).
   */
  readonly sealedWebhookUrl?: string;
  readonly updatedAt?: string;
  readonly updatedBy?: string;
}

/** Port: the settings of the units. */
export interface OrganizationSettingsStore {
  /**
   * The unit's settings; version 0 when they were never changed. `reveal: false` leaves the webhook
   * URL sealed (`sealedWebhookUrl` only): what passes it on without reading it needs no key.
   */
  get(campaignId: string, organizationId: string, options?: { readonly reveal?: boolean }): Promise<OrganizationSettings>;
  /**
   * Stores `settings` (its `webhookUrl` sealed) if the stored version is still `expectedVersion`
   * (0: none stored); 412 otherwise.
   */
  put(settings: OrganizationSettings, expectedVersion: number): Promise<void>;
}

/** Stored as they are; the webhook URL (attribute `webhookUrl`) is stored sealed. */
const SETTINGS_FIELDS = ['contact', 'updatedAt', 'updatedBy'] as const;

export class DynamoDbOrganizationSettingsStore implements OrganizationSettingsStore {
  private readonly sealer: SecretSealer;

  public constructor(private readonly deps: { client: DynamoDBDocumentClient; tableName: string; sealer?: SecretSealer }) {
    this.sealer = deps.sealer ?? webhookSealer();
  }

  public async get(campaignId: string, organizationId: string, options: { readonly reveal?: boolean } = {}): Promise<OrganizationSettings> {
    const stored = await this.deps.client.send(
      new GetCommand({ TableName: this.deps.tableName, Key: organizationSettingsKey(campaignId, organizationId), ConsistentRead: true }),
    );
    if (stored.Item) {
      const item = stored.Item;
      const sealed = typeof item.webhookUrl === 'string' ? item.webhookUrl : undefined;
      const reveal = sealed !== undefined && options.reveal !== false;
      return {
        campaignId,
        organizationId,
        version: Number(item.version),
        ...Object.fromEntries(SETTINGS_FIELDS.filter((f) => item[f] !== undefined).map((f) => [f, item[f]])),
        ...(sealed !== undefined ? { sealedWebhookUrl: sealed } : {}),
        ...(reveal ? { webhookUrl: await openWebhookUrl(sealed, webhookContext(campaignId, organizationId), this.sealer) } : {}),
      };
    }
    // Never changed: a unit added at run time may have been given a contact.
    const unit = await this.deps.client.send(
      new GetCommand({ TableName: this.deps.tableName, Key: keys.organization(campaignId, organizationId), ConsistentRead: true }),
    );
    const contact = unit.Item?.entity === 'Organization' ? (unit.Item.contact as OrganizationContact | undefined) : undefined;
    return { campaignId, organizationId, version: 0, ...(contact ? { contact } : {}) };
  }

  public async put(settings: OrganizationSettings, expectedVersion: number): Promise<void> {
    const item: Record<string, unknown> = {
      ...organizationSettingsKey(settings.campaignId, settings.organizationId),
      entity: 'OrganizationSettings',
      campaignId: settings.campaignId,
      organizationId: settings.organizationId,
      version: settings.version,
    };
    for (const f of SETTINGS_FIELDS) if (settings[f] !== undefined) item[f] = settings[f];
    if (settings.webhookUrl !== undefined) {
      item.webhookUrl = settings.sealedWebhookUrl ?? (await this.sealer.seal(settings.webhookUrl, webhookContext(settings.campaignId, settings.organizationId)));
    }
    try {
      await this.deps.client.send(
        new PutCommand({
          TableName: this.deps.tableName,
          Item: item,
          // Version 0 is a unit whose settings never changed: no item yet.
          ...versionCondition(expectedVersion === 0 ? undefined : expectedVersion),
          ...ON_CONDITION_FAILURE,
        }),
      );
    } catch (error) {
      // A retried put that met its own lost write succeeded (ADR 0026).
      if (isOwnWrite(error, item)) return;
      if (error instanceof ConditionalCheckFailedException) {
        const current = await this.get(settings.campaignId, settings.organizationId);
        throw new StaleVersionError(current.version, { cause: error });
      }
      throw error;
    }
  }
}
