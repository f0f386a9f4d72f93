/**
 * The environment variables through which a function learns its resources' physical names. Infra
 * sets them (the CDK function construct, the local runtime) and shared/config.ts reads them: both
 * import this plain module, so shared/ depends on nothing in infra/ (ADR 0041).
 */

/** `exports-queue` → `EXPORTS_QUEUE`: a resource or function id as part of a variable's name. */
export const constantCase = (id: string): string => id.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();

/** Environment variables through which a function learns a resource's physical name. */
export const envName = {
  table: (id: string): string => `${constantCase(id)}_TABLE_NAME`,
  queueUrl: (id: string): string => `${constantCase(id)}_QUEUE_URL`,
  bucket: (id: string): string => `${constantCase(id)}_BUCKET_NAME`,
};
