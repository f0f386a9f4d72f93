/** The contract's operations: Privacy: the privacy notice and one's acknowledgement of it (issue 21 item 2). */
import { type OperationTable } from '../operation-spec';

export const PRIVACY_NOTICE_OPERATIONS = {
  'GET /v1/me/privacy-notice': {
    summary: { zh: '隐私告知', en: 'The privacy notice' },
    tags: ['Privacy'],
    roles: 'signed-in',
    who: 'any signed-in person, about themselves',
    description: 'The current notice (Chinese first) and when you acknowledged it: `acknowledgedAt` is `null` until you do, and again when a new `version` comes.',
    response: { status: 200, description: 'The notice.', schema: 'PrivacyNotice' },
  },
  'PUT /v1/me/privacy-notice': {
    summary: { zh: '确认已阅读隐私告知', en: 'Acknowledge the privacy notice' },
    tags: ['Privacy'],
    roles: 'signed-in',
    who: 'any signed-in person, about themselves',
    description: '`version` must be the current one (422 `notice_version_not_current`). A repeat keeps the first `acknowledgedAt`.',
    requestBody: 'NoticeAcknowledgement',
    response: { status: 200, description: 'Recorded.', schema: 'NoticeAcknowledgementView' },
  },
} as const satisfies OperationTable;
