/**
 * Seals secrets kept in the tables (a unit's webhook URL holds its robot's access token; PIPL,
 * ADR 0048): AES-256-GCM with a key the stack owns, bound to the item it belongs to (the
 * additional data), so a sealed value copied onto another unit's item does not open there.
 *
 * The key is configuration ({@link loadWebhookKeySource}): on AWS a Secrets Manager secret the
 * stack generates, encrypted with the stack's own KMS key, readable only by the functions that seal
 * or open a webhook URL; on one machine a key the runtime makes once in the data dir
 * (infra/local/secret-keys.ts). It is read once per cold start.
 *
 * @example
 * const sealer = webhookSealer();
 * const sealed = await sealer.seal('https://qyapi.weixin.qq.com/…?key=…', 'settings/2021-xinxiang/hongqi-kx');
 * await sealer.open(sealed, 'settings/2021-xinxiang/hongqi-kx'); // the URL
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { loadWebhookKeySource, type CursorKeySource } from '../config';

/** Port: seals and opens short secrets; `context` names what the secret belongs to. */
export interface SecretSealer {
  seal(plaintext: string, context: string): Promise<string>;
  /** The plaintext; throws when `sealed` was not sealed with this key for `context`. */
  open(sealed: string, context: string): Promise<string>;
}

/** How every sealed value starts (format version 1: AES-256-GCM, 12-byte IV, 16-byte tag). */
export const SEALED_PREFIX = 'sealed:v1:';

/** Whether `value` is a sealed value (rather than a plaintext stored before ADR 0048). */
export const isSealed = (value: string): boolean => value.startsWith(SEALED_PREFIX);

/** Adapter: AES-256-GCM under a key derived (HKDF-SHA256) from the configured key material. */
export class AesGcmSealer implements SecretSealer {
  public constructor(private readonly material: () => Promise<Buffer>) {}

  private async key(): Promise<Buffer> {
    return Buffer.from(hkdfSync('sha256', await this.material(), Buffer.alloc(0), 'sciday sealed secrets v1', 32));
  }

  public async seal(plaintext: string, context: string): Promise<string> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', await this.key(), iv).setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${SEALED_PREFIX}${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
  }

  public async open(sealed: string, context: string): Promise<string> {
    if (!isSealed(sealed)) throw new Error('not a sealed value');
    const raw = Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64url');
    if (raw.length < 12 + 16) throw new Error('a sealed value too short');
    const decipher = createDecipheriv('aes-256-gcm', await this.key(), raw.subarray(0, 12)).setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8');
  }
}

async function readKey(source: CursorKeySource): Promise<Buffer> {
  if (source.kind === 'value') return source.key;
  // Loaded only where the key is a secret (AWS); the SDK is the Lambda runtime's own there.
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const client = new SecretsManagerClient({ region: source.region });
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: source.secretId }));
  if (!SecretString || Buffer.byteLength(SecretString) < 32) throw new Error('the webhook key secret holds no key of 32 bytes or more');
  return Buffer.from(SecretString, 'utf8');
}

let material: Promise<Buffer> | undefined;

/** The sealer of webhook URLs, its key read once (a failed read is tried again by the next call). */
export function webhookSealer(): SecretSealer {
  return new AesGcmSealer(() => {
    material ??= readKey(loadWebhookKeySource()).catch((error: unknown) => {
      material = undefined;
      throw error;
    });
    return material;
  });
}

/** What a unit's webhook URL is sealed for: its settings item (campaign and unit). */
export const webhookContext = (campaignId: string, organizationId: string): string => `settings/${campaignId}/${organizationId}`;

/**
 * A stored webhook URL in clear: opened when sealed; a plaintext stored before ADR 0048 (until
 * the migration `seal-webhook-urls` has run, or a message queued before it) is answered as it is.
 */
export async function openWebhookUrl(stored: string, context: string, sealer: SecretSealer): Promise<string> {
  return isSealed(stored) ? sealer.open(stored, context) : stored;
}
