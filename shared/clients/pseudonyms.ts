/**
 * The {@link Pseudonyms} of this stack: HMAC-SHA256 with the pseudonym key (ADR 0047), one label
 * per kind of value so a phone's hash never equals a sub's. The key is configuration
 * ({@link loadPseudonymKeySource}): a Secrets Manager secret read once per cold start on AWS, the
 * data dir's key on one machine.
 */
import { createHmac } from 'node:crypto';
import { loadPseudonymKeySource, type CursorKeySource } from '../config';
import { PSEUDONYM_PREFIX, type Pseudonyms } from '../domain/personal-data';

/** Pseudonyms under `key` (at least 32 bytes). */
export function hmacPseudonyms(key: Buffer): Pseudonyms {
  if (key.length < 32) throw new Error('the pseudonym key must be at least 32 bytes');
  const hash = (label: string, value: string) => createHmac('sha256', key).update(`${label}\n${value}`).digest('base64url').slice(0, 22);
  return {
    pseudonymOf: (sub) => `${PSEUDONYM_PREFIX}${hash('sub', sub)}`,
    contactHash: (kind, value) => hash(kind, kind === 'email' ? value.toLowerCase() : value),
  };
}

async function readKey(source: CursorKeySource): Promise<Buffer> {
  if (source.kind === 'value') return source.key;
  // Loaded only where the key is a secret (AWS); the SDK is the Lambda runtime's own there.
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const client = new SecretsManagerClient({ region: source.region });
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: source.secretId }));
  if (!SecretString) throw new Error('the pseudonym key secret has no string value');
  return Buffer.from(SecretString, 'utf8');
}

let pending: Promise<Pseudonyms> | undefined;

/** The stack's pseudonyms, the key read once; a failed read is tried again by the next call. */
export function stackPseudonyms(): Promise<Pseudonyms> {
  pending ??= readKey(loadPseudonymKeySource())
    .then(hmacPseudonyms)
    .catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
  return pending;
}
