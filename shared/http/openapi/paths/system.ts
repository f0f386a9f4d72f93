/** The contract's operations: System: health, liveness and this document (API.md "Resources and routes"). */
import { type OperationTable } from '../operation-spec';

export const SYSTEM_OPERATIONS = {
  'GET /health': {
    summary: { zh: '健康检查', en: 'Health check' },
    tags: ['System'],
    roles: 'anyone',
    who: 'anyone',
    description:
      '`{ "status": "ok" }` once every table, queue and bucket answers; 503 otherwise. The check asks each dependency a ' +
      'metadata question, so its report is reused for 10 seconds (`checkedAt` says when it was made, `Age` how long ago) and ' +
      'the route has a low throttle of its own. Probe `GET /health/live` for whether the API answers at all.',
    response: { status: 200, description: 'Every dependency answers.', schema: 'Health' },
    otherResponses: { '503': { description: 'Some dependency does not answer.', schema: 'Health' } },
  },
  'GET /health/live': {
    summary: { zh: '存活探测', en: 'Liveness probe' },
    tags: ['System'],
    roles: 'anyone',
    who: 'anyone',
    description:
      'Whether the API answers: `{ "status": "ok" }` without asking any dependency (no AWS call), for load balancers and uptime ' +
      'monitors. `GET /health` is the deep check.',
    response: { status: 200, description: 'The API answers.', schema: 'Liveness', cacheControl: 'no-store' },
  },
  'GET /v1/openapi.json': {
    summary: { zh: 'OpenAPI 文档', en: 'This OpenAPI 3.1 document' },
    tags: ['System'],
    roles: 'anyone',
    who: 'anyone',
    description: 'Its enumerations and limits are those of the home city’s newest published campaign (else its newest closed one): `info.x-campaign`.',
    response: { status: 200, description: 'The document.', schema: 'object', cacheControl: 'public, max-age=300' },
  },
} as const satisfies OperationTable;
