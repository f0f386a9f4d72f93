/**
 * Which domain events one committed change of the main table means (pure).
 *
 * - an activity moving from draft to registered → `activity.submitted`;
 * - any other change of an existing activity → `activity.updated` (with the fields that changed);
 * - results written → `results.updated`;
 * - a work summary first written → `summary.submitted`;
 * - a change of storage attributes only (keys, index keys: a backfill) → nothing.
 */
import type { DomainEvent } from '../../events/schemas/domain-events.v1';
import { DOMAIN_EVENT_SOURCE, DOMAIN_EVENT_VERSION } from '../../events/schemas/domain-events.v1';
import type { ActivityStatus } from '../domain/activity';
import { diffImages } from '../domain/audit';
import type { ItemChange } from './record-audit-entry';

export function domainEventsOf(change: ItemChange): DomainEvent[] {
  const image = change.newImage;
  if (!image || change.action === 'deleted') return [];
  if (change.action === 'updated' && diffImages(change.oldImage, image).length === 0) return [];
  const base = {
    id: change.eventId,
    source: DOMAIN_EVENT_SOURCE,
    version: DOMAIN_EVENT_VERSION,
    time: change.at.toISOString(),
    actor: typeof image.updatedBy === 'string' ? image.updatedBy : 'system',
    campaignId: String(image.campaignId ?? ''),
  } as const;
  if (!base.campaignId) return [];
  switch (image.entity) {
    case 'Activity': {
      if (change.action === 'created') return [];
      const detail = {
        activityId: String(image.activityId),
        organizationId: String(image.organizationId),
        status: image.status as ActivityStatus,
        version: Number(image.version),
        changedFields: [...new Set(diffImages(change.oldImage, image).map((c) => c.path.split('.')[0] ?? c.path))],
      };
      const submitted = change.oldImage?.status === 'draft' && image.status === 'registered';
      return [{ ...base, detailType: submitted ? 'activity.submitted' : 'activity.updated', detail }];
    }
    case 'Results':
      return [
        {
          ...base,
          detailType: 'results.updated',
          detail: {
            activityId: String(image.activityId),
            organizationId: String(image.organizationId),
            version: Number(image.version),
            newsLinks: Array.isArray(image.newsLinks) ? image.newsLinks.length : 0,
          },
        },
      ];
    case 'Summary':
      return change.action === 'created'
        ? [{ ...base, detailType: 'summary.submitted', detail: { organizationId: String(image.organizationId), version: Number(image.version) } }]
        : [];
    default:
      return [];
  }
}
