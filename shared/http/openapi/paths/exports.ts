/** The contract's operations: Exports for analysts (API.md "Resources and routes"). */
import * as z from '../../../domain/zod';
import { MILESTONE_IDS } from '../../../domain/campaign';
import { EXPORT_KINDS } from '../../../export/export-record';
import { type OperationTable } from '../operation-spec';

export const EXPORT_OPERATIONS = {
  'POST /v1/campaigns/{campaignId}/exports': {
    summary: { zh: '发起数据导出', en: 'Start an export' },
    tags: ['Exports'],
    roles: ['admin', 'analyst'],
    who: 'admin, analyst',
    description:
      'One export at a time per campaign and format: while one is `queued` or `running`, a POST starts nothing and answers 200 ' +
      'with that export (whoever asked for it; `Location` names it), so repeating the request is harmless. A new job counts ' +
      'against the caller’s budget of 10 exports an hour; beyond it: 429 with `Retry-After` (seconds until the budget renews).',
    requestBody: 'ExportRequest',
    idempotent: true,
    rateLimited: true,
    response: { status: 202, description: 'The export started.', schema: 'Export', location: '/v1/exports/{exportId}' },
    otherResponses: {
      '200': {
        description: 'An export of this campaign and format is already queued or running: this is it, and no new one started. `Location`: `/v1/exports/{exportId}`.',
        schema: 'Export',
        location: '/v1/exports/{exportId}',
      },
    },
  },
  'GET /v1/campaigns/{campaignId}/exports': {
    summary: { zh: '导出记录与里程碑快照', en: 'List a campaign’s exports and milestone snapshots' },
    tags: ['Exports'],
    roles: ['admin', 'analyst'],
    who: 'admin, analyst (organizers and reviewers: 403)',
    description:
      'Newest request first: the exports people asked for and each milestone’s snapshot, with their state and rows per table, ' +
      'but no file URLs (`GET /v1/exports/{exportId}` signs them, valid 15 minutes). A filter value that is not acceptable: 400 ' +
      'naming the parameter.',
    paged: true,
    query: {
      kind: { schema: () => z.enum(EXPORT_KINDS), description: '`requested`: only exports asked for; `milestone`: only milestone snapshots.' },
      milestone: { schema: () => z.enum(MILESTONE_IDS), description: 'Only this milestone’s snapshot (not with `kind=requested`).' },
    },
    response: { status: 200, description: 'One page of exports.', schema: 'ExportPage', cacheControl: 'no-store' },
  },
  'GET /v1/exports/{exportId}': {
    summary: { zh: '查看导出结果', en: 'Get an export' },
    tags: ['Exports'],
    roles: ['admin', 'analyst'],
    who: 'admin, analyst',
    response: { status: 200, description: 'Its status and files.', schema: 'Export' },
  },
} as const satisfies OperationTable;
