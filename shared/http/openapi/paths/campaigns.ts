/** The contract's operations: Campaigns: what a form needs, and an admin’s campaign life cycle (API.md "Resources and routes"). */
import { type OperationTable } from '../operation-spec';

export const CAMPAIGN_OPERATIONS = {
  'GET /v1/campaigns/{campaignId}': {
    summary: { zh: '查询活动年度（报送表单所需的一切）', en: 'Get a campaign: everything a form needs' },
    tags: ['Campaigns'],
    roles: 'anyone',
    who: 'anyone',
    description: 'A published or closed campaign (`status`). A draft is never public: it answers 404, as a missing campaign does.',
    response: { status: 200, description: 'Name, theme, period, milestones, themes, joint actions, counties, units.', schema: 'Campaign' },
  },
  'GET /v1/campaigns': {
    summary: { zh: '本市的活动季', en: 'List your city’s campaigns' },
    tags: ['Campaigns'],
    roles: 'signed-in',
    who: 'anyone signed in: their city’s published and closed campaigns; admins also its drafts',
    description: 'Newest year first. A city has a handful of campaigns: one page, `nextCursor` is always null.',
    response: { status: 200, description: 'The campaigns.', schema: 'CampaignList', cacheControl: 'private, no-store' },
  },
  'POST /v1/campaigns': {
    summary: { zh: '新建活动季（草稿）', en: 'Create a draft campaign' },
    tags: ['Campaigns'],
    roles: ['admin'],
    who: 'admin, of the campaign’s city',
    description:
      'Either a whole definition (validated with every cross-check; `cityId` must be your city: 422 `city_not_yours`), or `{ copyFrom, id, year? }`: ' +
      'a copy of a past campaign of your city with every date moved to the new year, the year in its name and brand replaced, and its units ' +
      '(from its definition and added since) carried over. The campaign is a draft (only admins see it) until published. An id taken: 409. Audited.',
    requestBody: 'CampaignCreate',
    idempotent: true,
    conflict: true,
    response: { status: 201, description: 'The stored draft.', schema: 'StoredCampaign', etag: true, location: '/v1/campaigns/{campaignId}/definition' },
  },
  'GET /v1/campaigns/{campaignId}/definition': {
    summary: { zh: '活动季定义（管理）', en: 'Get a campaign’s stored definition' },
    tags: ['Campaigns'],
    roles: ['admin'],
    who: 'admin, of the campaign’s city (another city’s campaign: 404)',
    response: { status: 200, description: 'The definition, its status and version.', schema: 'StoredCampaign', etag: true, cacheControl: 'private, no-store' },
  },
  'PATCH /v1/campaigns/{campaignId}/definition': {
    summary: { zh: '修改活动季定义', en: 'Edit a campaign' },
    tags: ['Campaigns'],
    roles: ['admin'],
    who: 'admin, of the campaign’s city',
    description:
      'A JSON merge patch of the definition; the result is validated whole. A draft may change anything but `id` and `cityId`. A published campaign ' +
      'keeps its id, city, year and time zone, never loses a county, theme, joint action or unit (`cannot_remove`), moves its dates only through ' +
      '`PUT …/milestones/{milestoneId}` (`use_milestone_route`), and keeps its indicators’ weights once a review exists (`weights_locked`). ' +
      'A closed campaign: 409 `campaign_closed`. Audited; other functions see the change within 30 s (ADR 0023).',
    requestBody: 'CampaignPatch',
    ifMatch: 'required',
    conflict: true,
    response: { status: 200, description: 'The campaign as stored.', schema: 'StoredCampaign', etag: true },
  },
  'POST /v1/campaigns/{campaignId}/publish': {
    summary: { zh: '发布活动季', en: 'Publish a campaign' },
    tags: ['Campaigns'],
    roles: ['admin'],
    who: 'admin, of the campaign’s city',
    description:
      'Its units, reviewers and analysts see it from now on, and its milestone and reminder schedules are made (one Scheduler group per campaign). ' +
      'Publishing a published campaign changes nothing; a closed one: 409. Audited.',
    requestBody: 'CampaignStatusChange',
    ifMatch: 'optional',
    conflict: true,
    response: { status: 200, description: 'The campaign as stored.', schema: 'StoredCampaign', etag: true },
  },
  'POST /v1/campaigns/{campaignId}/close': {
    summary: { zh: '结束活动季', en: 'Close a campaign' },
    tags: ['Campaigns'],
    roles: ['admin'],
    who: 'admin, of the campaign’s city',
    description:
      'Its data stays readable and exportable; every change to it answers 409 `campaign_closed`, and its schedules are removed. Closing a closed ' +
      'campaign changes nothing. Audited with the reason given.',
    requestBody: 'CampaignStatusChange',
    ifMatch: 'optional',
    response: { status: 200, description: 'The campaign as stored.', schema: 'StoredCampaign', etag: true },
  },
  'PUT /v1/campaigns/{campaignId}/milestones/{milestoneId}': {
    summary: { zh: '调整截止日期', en: 'Move a milestone’s due date' },
    tags: ['Campaigns'],
    roles: ['admin'],
    who: 'admin, of the campaign’s city',
    description:
      '`{ dueDate: "YYYY-MM-DD", reason }`: the milestone is due by the end of that day in the campaign’s zone. Only a milestone that has not passed ' +
      '(`milestone_passed`), to a date still ahead (`date_not_in_future`), keeping registration before completion. Audited with the reason; ' +
      'its schedules (and its reminders’) move with it. An unknown `milestoneId`: 404.',
    requestBody: 'MilestoneMove',
    ifMatch: 'optional',
    conflict: true,
    response: { status: 200, description: 'The campaign as stored.', schema: 'StoredCampaign', etag: true },
  },
} as const satisfies OperationTable;
