/**
 * DuckDB, loaded when an export first needs it: its native library is megabytes that a cold start
 * would otherwise load before the first message is even read (ADR 0043).
 */
let duckDb: Promise<typeof import('@duckdb/node-api')> | undefined;

/** `@duckdb/node-api`, imported once per process. */
export function loadDuckDb(): Promise<typeof import('@duckdb/node-api')> {
  duckDb ??= import('@duckdb/node-api');
  return duckDb;
}
