// Unit tests never touch the network: every resource variable a handler's config
// asks for is set, and every AWS endpoint points at a closed local port.
import { topology } from '../../infra/topology';
import { envName } from '../../shared/env-names';

Object.assign(process.env, {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'unit',
  AWS_SECRET_ACCESS_KEY: 'unit',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  AWS_MAX_ATTEMPTS: '1',
  SCIDAY_STAGE: 'unit',
  // Signs list cursors (shared/repositories/page.ts): a fixed key, never a secret.
  SCIDAY_CURSOR_KEY: Buffer.alloc(32, 'unit-cursor-key').toString('base64url'),
  // Pseudonyms and contact hashes (ADR 0047): a fixed key, never a secret.
  SCIDAY_PSEUDONYM_KEY: Buffer.alloc(32, 'unit-pseudonym-key').toString('base64url'),
  // Seals webhook URLs at rest (shared/clients/secret-sealer.ts): a fixed key, never a secret.
  SCIDAY_WEBHOOK_KEY: Buffer.alloc(32, 'unit-webhook-key').toString('base64url'),
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_DEV: 'false',
  ...Object.fromEntries(Object.keys(topology.tables).map((id) => [envName.table(id), `unit-${id}`])),
  ...Object.fromEntries(
    Object.keys(topology.queues).map((id) => [envName.queueUrl(id), `http://127.0.0.1:9/000000000000/unit-${id}`]),
  ),
  ...Object.fromEntries(Object.keys(topology.buckets).map((id) => [envName.bucket(id), `unit-${id}`])),
});
