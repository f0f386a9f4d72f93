/**
 * Edits a campaign's definition (admin, own city; ADR 0023) with a JSON merge patch (RFC 7396).
 *
 * Primary course:
 * 1. The campaign is the caller's city's and not closed; If-Match names its version (412 otherwise).
 * 2. The patched definition is valid (every failing field at once, zh/en).
 * 3. A draft may change anything but its id and city. A published campaign keeps what
 *    `publishedCampaignIssues` lists (its dates move through `moveMilestone`; weights are fixed
 *    once a review exists).
 * 4. It is stored at the next version, with who and (optionally) why; the stream audits it and,
 *    for a published campaign, its schedules follow.
 */
import type { Principal } from '../auth/principal';
import { InvalidInputError } from '../errors';
import type { StoredCampaign } from '../repositories/campaign-repository';
import { managedCampaign, mergePatch, publishedCampaignIssues, validDefinition, type UpdateCampaignDeps } from './campaign-admin';

export async function updateCampaign(
  input: { principal: Principal; campaignId: string; expectedVersion: number; patch: unknown; reason?: string },
  deps: UpdateCampaignDeps,
): Promise<StoredCampaign> {
  const stored = await managedCampaign(input.principal, deps.store, input.campaignId, { write: true });
  if (typeof input.patch !== 'object' || input.patch === null || Array.isArray(input.patch)) {
    throw new InvalidInputError('the body must be a JSON merge patch of the definition (an object)', [{ path: '', code: 'invalid_type', params: { expected: 'object' } }]);
  }
  const definition = validDefinition(mergePatch(stored.definition, input.patch));
  const locked = (['id', 'cityId'] as const).filter((f) => definition[f] !== stored.definition[f]).map((f) => ({ path: f, code: 'field_locked' }));
  if (locked.length > 0) throw new InvalidInputError('the campaign’s id and city never change', locked);
  if (stored.status === 'published') {
    const reviewed = await deps.reviews.exist(stored.definition.id);
    const issues = publishedCampaignIssues(stored.definition, definition, reviewed);
    if (issues.length > 0) throw new InvalidInputError('a published campaign cannot change this way', issues);
  }
  const updated = await deps.store.update(stored.definition.id, input.expectedVersion, {
    definition,
    at: deps.clock.now().toISOString(),
    by: input.principal.sub,
    ...(input.reason ? { reason: input.reason } : {}),
  });
  deps.cache?.invalidate(stored.definition.id);
  return updated;
}
