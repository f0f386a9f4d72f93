/** The contract's operations: Reviews and scores (API.md "Resources and routes"). */
import { MANAGE, type OperationTable } from '../operation-spec';

export const REVIEW_OPERATIONS = {
  'PUT /v1/campaigns/{campaignId}/organizations/{orgId}/review': {
    summary: { zh: '评审打分与评语', en: 'Review a unit: qualitative scores and comment' },
    tags: ['Reviews'],
    roles: ['reviewer'],
    who: 'reviewer (not of the unit under review)',
    description:
      '`scores` has one score (0..100) per indicator the campaign leaves partly to the reviewer; `distinctiveActivityIds` marks ' +
      'activities of that unit as distinctive (特色鲜明、实效显著), each of them an activity of the unit (422 `unknown_activity` on ' +
      '`distinctiveActivityIds.<i>` otherwise). A PUT replaces the whole review. Only reviewers write reviews (403 for organizers, ' +
      'their own unit included, for admins without the reviewer role and for analysts); nobody reviews the unit they act for (403). ' +
      'A unit not listed in the campaign: 404. Audited (the stream’s audit trail, the reviewer as actor).',
    requestBody: 'Review',
    ifMatch: 'when-exists',
    response: { status: 200, description: 'The review as stored.', schema: 'ReviewView', etag: true },
  },
  'GET /v1/campaigns/{campaignId}/organizations/{orgId}/review': {
    summary: { zh: '查看评审打分与评语', en: 'Get a unit’s review' },
    tags: ['Reviews'],
    roles: MANAGE,
    who: 'reviewer (not of the unit under review), admin',
    description:
      'The review as stored, with its version as the `ETag` (send it as `If-Match` to change the review). Organizers, their own ' +
      'unit included, and analysts: 403; a reviewer acting for the unit: 403 (unless also an admin). A unit not listed in the ' +
      'campaign, or not reviewed yet: 404.',
    response: { status: 200, description: 'The review as stored.', schema: 'ReviewView', etag: true },
  },
  'GET /v1/campaigns/{campaignId}/scores': {
    summary: { zh: '评价得分与排名', en: 'Scores and ranks' },
    tags: ['Reviews'],
    roles: MANAGE,
    who: 'reviewer, admin (organizers, their own unit included, and analysts: 403)',
    description:
      'Recomputed on every read from the stored data (paged Queries of the campaign’s partitions, no Scan): per unit the raw ' +
      'figures, each indicator’s computed part, reviewer part and score, the penalty for unwaived flags, the total, the rank ' +
      '(equal totals share a rank; each tie is described once in `ties`, and a tied unit’s `tie.group` names it, so the answer grows ' +
      'with the number of units, not its square) and what is missing; plus the commendation list (best 10 overall, best 3 ' +
      'per organization type, the 10 most distinctive activities). Every unit of the campaign is listed, units with no activity ' +
      'included. A reviewer who is not an admin does not see the review of the unit they act for (as `GET …/review` refuses it): ' +
      'that unit carries `reviewWithheld`, its reviewer scores and the points of indicators with a reviewer share are null, and so ' +
      'is the 效果亮点 score of its distinctive activities. The formula and a worked example: docs/scoring.md. `measured` and the ' +
      '`Server-Timing` header say how long reading and scoring took.',
    response: { status: 200, description: 'Every unit’s scores and rank, and the commendation list.', schema: 'Scores', cacheControl: 'no-store' },
  },
} as const satisfies OperationTable;
