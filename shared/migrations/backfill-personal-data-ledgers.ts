/**
 * Backfill the personal-data ledgers (ADR 0047): the audit writer records who and which contact
 * an item names (`PERSON#<sub>` / `CONTACT#<hash>`, `TOUCH#<pk>#<sk>`) as the item changes, and
 * erasure and `GET /v1/me/data` find a person only there. Items written before that version are
 * in no ledger until they change again; this migration records them.
 *
 * Primary course, no Scan:
 * 1. The stored campaigns (one Query of `CAMPAIGNS`), each item read as stored: its `createdBy`
 *    and `updatedBy`.
 * 2. Per campaign, its items by Query ({@link campaignItemKeys}, the retention purge's walk), read
 *    again consistently 100 at a time, and for each the touches the audit writer records for a
 *    change that leaves it so ({@link recordTouches}, the same rule), with its trail (one Query of
 *    the audit table per item): a person or contact only an earlier image named (a colleague changed
 *    the item since) is recorded too, as the writer would have. Progress after each page.
 * Items of no campaign are not walked: the acknowledgements (`PERSON#<sub>`) are found by their key
 * and the export budgets (`BUDGET#exports#<sub>`) too; erasure records exist only since the ledgers.
 *
 * Never writes the main table; the ledger puts are plain puts of the same item, so a second run
 * changes nothing. One machine: the local runtime runs it once per data dir at start-up. AWS:
 * `npm run -s migrate -- --table <main> --audit-table <audit> --pseudonym-key-secret <arn>`.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { auditSubjectOf, type Pseudonyms } from '../domain/personal-data';
import { DynamoDbExportSource } from '../export/readers';
import { campaignKey, DynamoDbCampaignStore } from '../repositories/campaign-repository';
import { DynamoDbAuditRepository } from '../repositories/dynamodb-audit-repository';
import type { ItemKey } from '../repositories/keys';
import { DynamoDbPersonalDataStore } from '../repositories/personal-data-repository';
import { recordTouches } from '../use-cases/keep-personal-data-ledger';
import { campaignItemKeys } from '../use-cases/walk-campaign-items';

export const BACKFILL_PERSONAL_DATA_LEDGERS = '0011-backfill-personal-data-ledgers';

export interface BackfillLedgersReport {
  readonly campaigns: number;
  /** Items read (campaign definitions included). */
  readonly items: number;
  /** Items that named a person or held a contact, and their ledger items (put, or there already). */
  readonly touched: number;
  readonly personTouches: number;
  readonly contactTouches: number;
}

export async function backfillPersonalDataLedgers(deps: {
  readonly client: DynamoDBDocumentClient;
  readonly mainTable: string;
  readonly auditTable: string;
  readonly pseudonyms: Pseudonyms;
  /** Told after each page: the campaign and the counts so far. */
  readonly progress?: (r: BackfillLedgersReport & { readonly campaignId: string }) => void;
}): Promise<BackfillLedgersReport> {
  const main = { client: deps.client, tableName: deps.mainTable };
  const store = new DynamoDbPersonalDataStore(main);
  const source = new DynamoDbExportSource(main);
  const ledger = { audit: new DynamoDbAuditRepository({ client: deps.client, tableName: deps.auditTable }), pseudonyms: deps.pseudonyms };
  const counts = { campaigns: 0, items: 0, touched: 0, personTouches: 0, contactTouches: 0 };
  const record = async (subjects: readonly ItemKey[]) => {
    for (const item of await store.items(subjects)) {
      counts.items += 1;
      const keys = { pk: String(item.pk), sk: String(item.sk) };
      const history = await ledger.audit.trail(auditSubjectOf(keys, deps.pseudonyms));
      const { persons, contacts } = await recordTouches({ keys, newImage: item }, ledger, history);
      if (persons + contacts > 0) counts.touched += 1;
      counts.personTouches += persons;
      counts.contactTouches += contacts;
    }
  };
  const campaigns = await new DynamoDbCampaignStore(main).list();
  await record(campaigns.map((c) => campaignKey(c.campaign.id)));
  for (const { campaign } of campaigns) {
    counts.campaigns += 1;
    for await (const page of campaignItemKeys(campaign.id, { source, store })) {
      await record(page.keys);
      deps.progress?.({ campaignId: campaign.id, ...counts });
    }
  }
  return counts;
}
