/**
 * Configuration from the environment, parsed once per cold start with zod.
 *
 * This is the only module that reads `process.env`. A handler asks for exactly the
 * resources its topology entry binds ({@link loadConfig}); on AWS the CDK sets those
 * variables next to the IAM grant, on one machine the local runtime sets them all.
 */
import * as z from './domain/zod';
import { SLUG_PATTERN } from './domain/slug';
import { ConfigError } from './errors';
import { envName } from './env-names';

const BaseSchema = z.object({
  AWS_REGION: z._default(z.string().check(z.minLength(1)), 'us-east-1'),
  SCIDAY_STAGE: z._default(z.string().check(z.minLength(1)), 'local'),
  /** fauxqs (and most S3 emulators) need path-style URLs. */
  S3_FORCE_PATH_STYLE: z.pipe(z._default(z.enum(['true', 'false']), 'false'), z.transform((v) => v === 'true')),
  /** Where browsers reach S3 (the local gateway on one machine); unset on AWS. */
  S3_PUBLIC_ENDPOINT: z.optional(z.url()),
});

export interface ConfigRequest<T extends string = string, Q extends string = string, B extends string = string> {
  readonly tables?: readonly T[];
  readonly queues?: readonly Q[];
  readonly buckets?: readonly B[];
}

export interface Config<T extends string, Q extends string, B extends string> {
  readonly region: string;
  readonly stage: string;
  readonly s3ForcePathStyle: boolean;
  readonly s3PublicEndpoint?: string;
  readonly tables: Readonly<Record<T, string>>;
  readonly queues: Readonly<Record<Q, string>>;
  readonly buckets: Readonly<Record<B, string>>;
}

/**
 * The JWT claim names of the unit, the roles and the city (`JWT_CLAIM_ORG_ID`, `JWT_CLAIM_ROLES`,
 * `JWT_CLAIM_CITY`): Cognito puts custom attributes under `custom:…`; another OIDC provider may
 * name them otherwise. Defaults: `orgId`, `roles`, `city`. A token without a city claim belongs to
 * the deployment's home city, `SCIDAY_HOME_CITY` (default `xinxiang`; ADR 0024).
 */
export function loadClaimNames(env: NodeJS.ProcessEnv = process.env): { orgId: string; roles: string; city: string; homeCity: string } {
  const homeCity = env.SCIDAY_HOME_CITY || 'xinxiang';
  if (!SLUG_PATTERN.test(homeCity)) throw new ConfigError(`SCIDAY_HOME_CITY must be a lower-case slug, not "${homeCity}"`);
  return Object.freeze({ orgId: env.JWT_CLAIM_ORG_ID || 'orgId', roles: env.JWT_CLAIM_ROLES || 'roles', city: env.JWT_CLAIM_CITY || 'city', homeCity });
}

/**
 * How long a function keeps a campaign it read before reading it again (`CAMPAIGN_CACHE_TTL_SECONDS`,
 * default 30; 0 reads the table every time). ADR 0023.
 */
export function loadCampaignCacheTtlMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.CAMPAIGN_CACHE_TTL_SECONDS;
  if (raw === undefined || raw === '') return 30_000;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 3600) throw new ConfigError(`CAMPAIGN_CACHE_TTL_SECONDS must be 0..3600, not "${raw}"`);
  return seconds * 1000;
}

/**
 * The web app's origin (`SCIDAY_WEB_ORIGIN`, e.g. `https://kepu.example.cn`) that share links send
 * browsers on to (ADR 0045); unset on one machine, where the web app is the API's own origin.
 */
export function loadWebOrigin(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const raw = env.SCIDAY_WEB_ORIGIN;
  if (raw === undefined || raw === '') return undefined;
  if (!/^https:\/\/[^/?#\s]+$/.test(raw)) throw new ConfigError(`SCIDAY_WEB_ORIGIN must be an https origin without a path, not "${raw}"`);
  return raw;
}

/**
 * Where webhooks may point: loopback (robots on this machine) only when
 * `WEBHOOK_ALLOW_LOOPBACK` is exactly `true`, which the local runtime alone sets. Never
 * from a request.
 */
export function loadWebhookPolicy(env: NodeJS.ProcessEnv = process.env): { readonly allowLoopback: boolean } {
  return Object.freeze({ allowLoopback: env.WEBHOOK_ALLOW_LOOPBACK === 'true' });
}

/**
 * How run-export copies the main table for a milestone's snapshot (ADR 0017), from
 * `TABLE_COPY_MODE`: `point-in-time` (AWS; the CDK sets it with `TABLE_COPY_TABLE_ARN`), `scan`
 * (the local runtime), or unset: no copies, snapshots read the live table.
 */
export function loadTableCopyConfig(env: NodeJS.ProcessEnv = process.env): { readonly mode: 'point-in-time'; readonly tableArn: string } | { readonly mode: 'scan' } | undefined {
  const mode = env.TABLE_COPY_MODE;
  if (mode === undefined || mode === '') return undefined;
  if (mode === 'scan') return Object.freeze({ mode });
  if (mode === 'point-in-time') {
    const tableArn = env.TABLE_COPY_TABLE_ARN ?? '';
    if (!/^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]+$/.test(tableArn)) throw new ConfigError(`TABLE_COPY_TABLE_ARN is not a DynamoDB table ARN: "${tableArn}"`);
    return Object.freeze({ mode, tableArn });
  }
  throw new ConfigError(`TABLE_COPY_MODE must be point-in-time or scan, not "${mode}"`);
}

const AthenaExportSchema = z.object({
  ATHENA_EXPORT_WORKGROUP: z.string().check(z.regex(/^[A-Za-z0-9._-]{1,128}$/)),
  ATHENA_EXPORT_DATABASE: z.string().check(z.regex(/^[a-z0-9_]{1,255}$/)),
  ATHENA_EXPORT_MIN_ACTIVITIES: z._default(z.coerce.number().check(z.int(), z.positive()), 150_000),
  ATHENA_EXPORT_MIN_ITEMS: z._default(z.coerce.number().check(z.int(), z.positive()), 1_500_000),
});

/**
 * Whether run-export has Athena make a large campaign's tables from its table copy (ADR 0029):
 * `ATHENA_EXPORT_WORKGROUP` and `ATHENA_EXPORT_DATABASE` (the workgroup and the Glue database of
 * temporary tables; the CDK sets both with the grants), or unset: never (the one-machine runtime).
 * Above which size: more than `ATHENA_EXPORT_MIN_ACTIVITIES` activities in the campaign (default
 * 150000) or `ATHENA_EXPORT_MIN_ITEMS` items in the copy (default 1500000).
 */
export function loadAthenaExportConfig(
  env: NodeJS.ProcessEnv = process.env,
): { readonly workGroup: string; readonly database: string; readonly minActivities: number; readonly minItems: number } | undefined {
  if (!env.ATHENA_EXPORT_WORKGROUP) return undefined;
  const parsed = AthenaExportSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) throw new ConfigError(`Missing or invalid environment variables: ${parsed.error.issues.map((i) => `${i.path.join('.')} (${i.message})`).join(', ')}`);
  const d = parsed.data;
  return Object.freeze({ workGroup: d.ATHENA_EXPORT_WORKGROUP, database: d.ATHENA_EXPORT_DATABASE, minActivities: d.ATHENA_EXPORT_MIN_ACTIVITIES, minItems: d.ATHENA_EXPORT_MIN_ITEMS });
}

/** Where the key that signs list cursors comes from (shared/repositories/page.ts, ADR 0031). */
export type CursorKeySource =
  | { readonly kind: 'secret'; readonly secretId: string; readonly region: string }
  | { readonly kind: 'value'; readonly key: Buffer };

/** The environment variables of the cursor key: the secret's ARN (AWS), or the key itself (one machine, tests). */
export const CURSOR_KEY_ENV = { secretArn: 'CURSOR_KEY_SECRET_ARN', value: 'SCIDAY_CURSOR_KEY' } as const;

/**
 * The key that signs list cursors: `CURSOR_KEY_SECRET_ARN`, a Secrets Manager secret whose string
 * is the key (the CDK makes it and lets only the paging functions read it), or `SCIDAY_CURSOR_KEY`,
 * the key as base64url, at least 32 bytes (the local runtime sets it from its data dir). Neither:
 * a ConfigError, so a function that pages but was not given the key fails loudly, never unsigned.
 */
export function loadCursorKeySource(env: NodeJS.ProcessEnv = process.env): CursorKeySource {
  return loadKeySource(env, CURSOR_KEY_ENV, 'cursor key');
}

/** The environment variables of the pseudonym key (ADR 0047), as those of the cursor key. */
export const PSEUDONYM_KEY_ENV = { secretArn: 'PSEUDONYM_KEY_SECRET_ARN', value: 'SCIDAY_PSEUDONYM_KEY' } as const;

/**
 * The key of the pseudonyms and contact hashes (ADR 0047): `PSEUDONYM_KEY_SECRET_ARN` (AWS, the
 * stateful stack's secret) or `SCIDAY_PSEUDONYM_KEY` (one machine: base64url, at least 32 bytes).
 */
export function loadPseudonymKeySource(env: NodeJS.ProcessEnv = process.env): CursorKeySource {
  return loadKeySource(env, PSEUDONYM_KEY_ENV, 'pseudonym key');
}

/** The environment variables of the key that seals webhook URLs (ADR 0048): the secret's ARN (AWS), or the key itself. */
export const WEBHOOK_KEY_ENV = { secretArn: 'WEBHOOK_KEY_SECRET_ARN', value: 'SCIDAY_WEBHOOK_KEY' } as const;

/**
 * The key that seals webhook URLs at rest (shared/clients/secret-sealer.ts, ADR 0048), read as
 * the cursor key is: `WEBHOOK_KEY_SECRET_ARN`, a Secrets Manager secret encrypted with the stack's
 * own KMS key (only the functions that open or seal a webhook URL may read it), or
 * `SCIDAY_WEBHOOK_KEY` (the local runtime's, from its data dir). Neither: a ConfigError.
 */
export function loadWebhookKeySource(env: NodeJS.ProcessEnv = process.env): CursorKeySource {
  return loadKeySource(env, WEBHOOK_KEY_ENV, 'webhook key');
}

function loadKeySource(env: NodeJS.ProcessEnv, names: { readonly secretArn: string; readonly value: string }, what: string): CursorKeySource {
  const secretId = env[names.secretArn];
  if (secretId) {
    if (!/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/.test(secretId)) {
      throw new ConfigError(`${names.secretArn} is not a Secrets Manager secret ARN: "${secretId}"`);
    }
    return Object.freeze({ kind: 'secret', secretId, region: env.AWS_REGION || 'us-east-1' });
  }
  const value = env[names.value];
  if (value) {
    const key = Buffer.from(value, 'base64url');
    if (key.length < 32 || !/^[A-Za-z0-9_-]+$/.test(value)) throw new ConfigError(`${names.value} must be at least 32 bytes as base64url`);
    return Object.freeze({ kind: 'value', key });
  }
  throw new ConfigError(`No ${what}: set ${names.secretArn} (AWS) or ${names.value}`);
}

/**
 * Parses the base settings and the named resources' variables from `env`.
 *
 * @example
 * const config = loadConfig({ tables: ['main'], buckets: ['media'] });
 * config.tables.main; // physical table name
 */
export function loadConfig<T extends string = never, Q extends string = never, B extends string = never>(
  request: ConfigRequest<T, Q, B>,
  env: NodeJS.ProcessEnv = process.env,
): Config<T, Q, B> {
  const missing: string[] = [];
  const pick = <K extends string>(ids: readonly K[] | undefined, name: (id: string) => string) =>
    Object.fromEntries(
      (ids ?? []).map((id) => {
        const value = env[name(id)];
        if (!value) missing.push(name(id));
        return [id, value ?? ''];
      }),
    ) as Record<K, string>;
  const tables = pick(request.tables, envName.table);
  const queues = pick(request.queues, envName.queueUrl);
  const buckets = pick(request.buckets, envName.bucket);
  const base = BaseSchema.safeParse(env);
  if (!base.success) missing.push(...base.error.issues.map((i) => `${i.path.join('.')} (${i.message})`));
  if (missing.length > 0 || !base.success) {
    throw new ConfigError(`Missing or invalid environment variables: ${missing.join(', ')}`);
  }
  return Object.freeze({
    region: base.data.AWS_REGION,
    stage: base.data.SCIDAY_STAGE,
    s3ForcePathStyle: base.data.S3_FORCE_PATH_STYLE,
    ...(base.data.S3_PUBLIC_ENDPOINT ? { s3PublicEndpoint: base.data.S3_PUBLIC_ENDPOINT } : {}),
    tables: Object.freeze(tables),
    queues: Object.freeze(queues),
    buckets: Object.freeze(buckets),
  });
}
