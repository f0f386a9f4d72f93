/** The contract's operations: personal information, access and erasure (PIPL, ADR 0047). */
import { type OperationTable } from '../operation-spec';

export const PEOPLE_OPERATIONS = {
  'GET /v1/me/data': {
    summary: { zh: '下载我的个人信息', en: 'Download my personal information' },
    tags: ['People'],
    roles: 'signed-in',
    who: 'anyone signed in, for themselves only',
    description:
      'Everything held about the caller (their token’s `sub`), as a JSON attachment: the items whose actor fields name them ' +
      '(with those fields and the item’s contact), the audit entries they made, and their privacy-notice acknowledgements. ' +
      'Found through the person ledger the audit writer keeps, so a change of the last second or two may not be listed yet.',
    response: { status: 200, description: 'The caller’s data (`Content-Disposition: attachment`).', schema: 'MyData', cacheControl: 'no-store' },
  },
  'POST /v1/people/{sub}/erasure': {
    summary: { zh: '删除个人信息', en: 'Erase a person’s personal information' },
    tags: ['People'],
    roles: ['admin'],
    who: 'admin (of the person’s city: another city’s person answers 404)',
    description:
      'Replaces the person’s `sub` by a stable pseudonym in every item and audit entry that names them, removes the contacts ' +
      'named in `contacts` from every activity and unit that holds them, and deletes (`erase`) or keeps under the pseudonym ' +
      '(`pseudonymise`) their privacy-notice acknowledgements; their export budgets are deleted. The audit trails are rewritten ' +
      'by the audit writer within seconds. The request itself is recorded and audited. Exports made before it expire with ' +
      'the exports bucket’s lifecycle; exports made after it do not hold the person.',
    requestBody: 'ErasureRequest',
    idempotent: true,
    response: { status: 201, description: 'The erasure as recorded.', schema: 'Erasure' },
  },
} as const satisfies OperationTable;
