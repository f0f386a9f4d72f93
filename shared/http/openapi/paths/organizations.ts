/** The contract's operations: Organizing units: the list, settings, inbox, status and the progress board (API.md "Resources and routes"). */
import * as z from '../../../domain/zod';
import { ORGANIZATION_TYPES } from '../../../domain/campaign';
import { MANAGE, READERS, byId, type OperationTable } from '../operation-spec';

export const ORGANIZATION_OPERATIONS = {
  'GET /v1/campaigns/{campaignId}/organizations': {
    summary: { zh: '组织单位列表', en: 'List the organizing units' },
    tags: ['Organizations'],
    roles: 'signed-in',
    who: 'anyone signed in',
    paged: true,
    response: { status: 200, description: 'The units.', schema: 'OrganizationPage' },
  },
  'POST /v1/campaigns/{campaignId}/organizations': {
    summary: { zh: '添加组织单位（可批量导入 CSV）', en: 'Add organizing units (or import CSV)' },
    tags: ['Organizations'],
    roles: ['admin'],
    who: 'admin',
    requestBody: 'Organizations',
    csvBody: 'Bulk import: a header row `name,county,type` and one unit per row, imported all rows or none.',
    idempotent: true,
    conflict: true,
    response: {
      status: 201,
      description: 'The units added (one, a JSON list, or every row of the CSV), in the order given.',
      schema: 'AddedOrganizations',
      location: '/v1/campaigns/{campaignId}/organizations/{orgId}',
      locationOnlyWhen: 'one unit was added',
    },
  },
  'PATCH /v1/campaigns/{campaignId}/organizations/{orgId}': {
    summary: { zh: '修改单位联系与通知设置', en: 'Change a unit’s contact and notification settings' },
    tags: ['Organizations'],
    roles: ['admin', 'organizer'],
    who: 'admin, that unit’s organizer',
    description:
      'JSON merge patch (`null` removes). Settings are versioned: a unit whose settings never changed is at ETag `"0"`; a stale If-Match answers 412 with the current ETag. `webhookUrl` must be https; private and loopback addresses are refused outside the local runtime.',
    requestBody: 'OrganizationSettings',
    ifMatch: 'required',
    response: { status: 200, description: 'The unit’s settings.', schema: 'OrganizationSettingsView', etag: true },
  },
  'GET /v1/campaigns/{campaignId}/organizations/{orgId}/inbox': {
    summary: { zh: '单位收件箱（提醒与通知）', en: 'A unit’s inbox: reminders and notices' },
    tags: ['Organizations'],
    roles: ['organizer', 'admin'],
    who: 'that unit, admin',
    paged: true,
    response: { status: 200, description: 'Messages, newest first.', schema: 'InboxPage' },
  },
  'GET /v1/campaigns/{campaignId}/organizations/{orgId}/status': {
    summary: { zh: '单位报送进度（首页）', en: 'A unit’s status: deadlines, what is missing, flags' },
    tags: ['Organizations'],
    roles: READERS,
    who: 'that unit’s organizer, reviewer, admin (an organizer of another unit: 404; analysts: 403)',
    description:
      'For each milestone the unit’s deadline (extensions granted to the unit included), whether it passed and the seconds left at ' +
      'the server’s clock; until then what is still missing, exactly as the reminders name it, with the reminder’s words. The unit’s ' +
      'flags (its activities’ and its own) as `GET …/flags` shapes them, each with what it means and how to clear it (zh, en). ' +
      'The unit’s activities counted by status.',
    response: { status: 200, description: 'The unit’s status.', schema: 'UnitStatus', cacheControl: 'no-store' },
  },
  'GET /v1/campaigns/{campaignId}/progress': {
    summary: { zh: '各单位报送进度一览', en: 'Every unit’s progress: the association’s board' },
    tags: ['Organizations'],
    roles: MANAGE,
    who: 'reviewer, admin (organizers, their own unit included, and analysts: 403)',
    description:
      'One item per organizing unit of the campaign (the definition’s and those added at run time), by `organizationId` ascending, ' +
      'with its counts: activities registered on time or late, results complete and late, the work summary, open and waived flags, ' +
      'the last change. Read from the progress read model (ADR 0021), never from the activities: it follows a change (a unit added ' +
      'too) within about a second. A `county` or `type` that is not the campaign’s: 422 naming each, with the accepted values.',
    paged: true,
    validatesQuery: true,
    query: {
      county: { schema: byId((c) => c.counties.map((x) => x.id)), description: 'Only units of this county/district.' },
      type: { schema: () => z.enum(ORGANIZATION_TYPES), description: 'Only units of this type.' },
    },
    response: { status: 200, description: 'One page of units with their counts.', schema: 'ProgressPage', cacheControl: 'no-store' },
  },
} as const satisfies OperationTable;
