/** The contract's operations: Flags, waivers and extensions (API.md "Resources and routes"). */
import * as z from '../../../domain/zod';
import { MILESTONE_IDS } from '../../../domain/campaign';
import { FLAG_CODES } from '../../../domain/flags';
import { id } from '../../../schemas/text';
import { MANAGE, type OperationTable } from '../operation-spec';

export const FLAG_OPERATIONS = {
  'GET /v1/campaigns/{campaignId}/flags': {
    summary: { zh: '逾期与缺报标记', en: 'List flags' },
    tags: ['Flags'],
    roles: MANAGE,
    who: 'reviewer, admin',
    description: 'Oldest first (by `raisedAt`). A filter value that is not acceptable: 400 naming the parameter.',
    paged: true,
    query: {
      code: { schema: () => z.enum(FLAG_CODES), description: 'Only this flag code.' },
      organizationId: { schema: () => id(), description: 'Only this unit’s flags.' },
      milestone: { schema: () => z.enum(MILESTONE_IDS), description: 'Only this milestone.' },
      waived: { schema: () => z.enum(['true', 'false']), description: 'Only waived (`true`) or unwaived (`false`) flags.' },
    },
    response: { status: 200, description: 'One page of flags.', schema: 'FlagPage' },
  },
  'POST /v1/flags/{flagId}/waive': {
    summary: { zh: '豁免标记', en: 'Waive a flag' },
    tags: ['Flags'],
    roles: ['admin'],
    who: 'admin',
    description:
      'The flag stays, marked waived with `waivedReason`, `waivedBy` and `waivedAt`, and no longer counts as open ' +
      '(`?flagged=true`); its activity’s version goes up by one. A flag waived already: 409 with `errors[0].code` `flag_already_waived`.',
    requestBody: 'Waiver',
    conflict: true,
    response: { status: 200, description: 'The waived flag.', schema: 'Flag' },
  },
  'POST /v1/campaigns/{campaignId}/extensions': {
    summary: { zh: '批准延期', en: 'Grant an extension' },
    tags: ['Flags'],
    roles: ['admin'],
    who: 'admin',
    description:
      'Moves the unit’s (or one activity’s) deadline of `milestone` to `until` for lateness judged from now on. ' +
      'A unit not listed in the campaign: 422 `unknown_organization`; an `activityId` that is not that unit’s: 422 `unknown_activity`. Audited.',
    requestBody: 'Extension',
    idempotent: true,
    response: { status: 201, description: 'The extension.', schema: 'ExtensionView' },
  },
  'GET /v1/campaigns/{campaignId}/extensions': {
    summary: { zh: '延期记录', en: 'List extensions' },
    tags: ['Flags'],
    roles: MANAGE,
    who: 'reviewer, admin (organizers, their own unit included, and analysts: 403)',
    description:
      'Who granted which deadline to whom, when and why (`grantedBy`, `grantedAt`, times in the campaign’s zone). With `organizationId`, ' +
      'that unit’s grants, oldest first (a grant just made is listed); without, the campaign’s, by unit, then oldest first. ' +
      'An `organizationId` that is no unit id: 400.',
    paged: true,
    query: {
      organizationId: { schema: () => id(), description: 'Only this unit’s extensions.' },
    },
    response: { status: 200, description: 'One page of extensions.', schema: 'ExtensionPage' },
  },
} as const satisfies OperationTable;
