/** The contract's operations: personal information, access and erasure (PIPL, ADR 0047). */
import { type OperationTable } from '../operation-spec';

export const PEOPLE_OPERATIONS = {
  'GET /v1/me/data': {
    summary: { zh: '下载我的个人信息', en: 'Download my personal information' },
    tags: ['Privacy'],
    roles: 'signed-in',
    who: 'anyone signed in, for themselves only',
    description: 'The items naming the caller, the audit entries they made, their notice acknowledgements. ADR 0047.',
    response: { status: 200, description: 'An attachment.', schema: 'MyData', cacheControl: 'no-store' },
  },
  'POST /v1/people/{sub}/erasure': {
    summary: { zh: '删除个人信息', en: 'Erase a person’s personal information' },
    tags: ['Privacy'],
    roles: ['admin'],
    who: 'admin of the person’s city (else 404)',
    description: 'Pseudonymises the `sub` everywhere, removes the `contacts` given; audited. ADR 0047.',
    requestBody: 'ErasureRequest',
    idempotent: true,
    response: { status: 201, description: 'The erasure.', schema: 'Erasure' },
  },
} as const satisfies OperationTable;
