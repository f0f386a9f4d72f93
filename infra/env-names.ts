/**
 * Environment variables through which a function learns a resource's physical name. Apart from
 * infra/topology.ts (which re-exports it) so that a handler reading its config does not bundle and
 * evaluate the whole topology at cold start (ADR 0043).
 */
const constantCase = (id: string): string => id.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();

/** Environment variables through which a function learns a resource's physical name. */
export const envName = {
  table: (id: string): string => `${constantCase(id)}_TABLE_NAME`,
  queueUrl: (id: string): string => `${constantCase(id)}_QUEUE_URL`,
  bucket: (id: string): string => `${constantCase(id)}_BUCKET_NAME`,
};
