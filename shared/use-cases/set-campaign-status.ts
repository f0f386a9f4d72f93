/**
 * Publishes or closes a campaign (admin, own city; ADR 0023).
 *
 * - Publishing a draft makes it visible to its city's units and reviewers; the stream then makes
 *   its schedules (sync-schedules). Publishing a published campaign changes nothing (a retry).
 * - Closing makes it read-only (409 on every change) and removes its schedules; its data stays
 *   readable and exportable. Closing a closed campaign changes nothing.
 * - A closed campaign is never published again.
 * - Closing starts the retention of its personal information (ADR 0047): an item in the index of
 *   what expires when, `retentionDays` after the close; a retried close writes it if it is missing.
 * Each change is stored at the next version with who and why, and audited from the stream.
 */
import type { Principal } from '../auth/principal';
import type { CampaignStatus } from '../domain/campaign';
import { CampaignClosedError } from '../errors';
import type { StoredCampaign } from '../repositories/campaign-repository';
import { managedCampaign, type CampaignAdminDeps } from './campaign-admin';

export async function setCampaignStatus(
  input: { principal: Principal; campaignId: string; status: Exclude<CampaignStatus, 'draft'>; reason?: string; expectedVersion?: number },
  deps: CampaignAdminDeps,
): Promise<{ stored: StoredCampaign; changed: boolean }> {
  const stored = await managedCampaign(input.principal, deps.store, input.campaignId);
  if (stored.status === input.status) {
    if (stored.status === 'closed') await startRetention(stored, deps);
    return { stored, changed: false };
  }
  if (stored.status === 'closed') throw new CampaignClosedError(input.campaignId);
  const updated = await deps.store.update(stored.definition.id, input.expectedVersion ?? stored.version, {
    status: input.status,
    at: deps.clock.now().toISOString(),
    by: input.principal.sub,
    ...(input.reason ? { reason: input.reason } : {}),
  });
  deps.cache?.invalidate(stored.definition.id);
  if (updated.status === 'closed') await startRetention(updated, deps);
  return { stored: updated, changed: true };
}

/** The index item of a closed campaign's retention: expires `retentionDays` after the close. */
async function startRetention(closed: StoredCampaign, deps: CampaignAdminDeps): Promise<void> {
  if (!deps.retention) return;
  const closedAt = closed.closedAt ?? closed.updatedAt;
  const expiresOn = addDays(closedAt.slice(0, 10), closed.campaign.retentionDays);
  await deps.retention.schedule({ campaignId: closed.definition.id, expiresOn }, deps.clock.now().toISOString());
}

const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
