/** Helpers for suites that start a runtime of their own with `spawnRuntime` (test/helpers/global-setup.ts). */
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Campaign } from '../../shared/domain/campaign';
import { DynamoDbCampaignStore } from '../../shared/repositories/campaign-repository';
import { spawnRuntime, stopJvmOf, type SpawnOptions } from './global-setup';
import { clientsFor, runtimeInfo } from './runtime';

/** Stops a runtime started with `spawnRuntime` as Ctrl-C would, and removes its data dir. */
export async function stopRuntime(runtime: ChildProcess, dataDir: string): Promise<void> {
  if (runtime.exitCode === null && runtime.signalCode === null) {
    const exited = new Promise((r) => runtime.once('exit', r));
    runtime.kill('SIGTERM');
    await exited;
  }
  await stopJvmOf(dataDir); // normally gone with its runtime (which removes the pid file)
  rmSync(dataDir, { recursive: true, force: true });
}

/**
 * Keeps the first `count` units of a stored campaign and drops the others: fewer units in the data,
 * for suites whose time grows with every unit a milestone or a reminder sweeps. Call it right after
 * the runtime started, before anything asked for the campaign (the handlers read it then, and keep
 * it for 30 s). Resolves with the campaign as the handlers load it from then on.
 */
export async function keepUnits(doc: DynamoDBDocumentClient, tableName: string, campaignId: string, count: number, at: string): Promise<Campaign> {
  const store = new DynamoDbCampaignStore({ client: doc, tableName });
  const stored = await store.get(campaignId);
  if (!stored) throw new Error(`no campaign ${campaignId} is stored`);
  if (count >= stored.definition.organizations.length) return stored.campaign;
  const definition = { ...stored.definition, organizations: stored.definition.organizations.slice(0, count) };
  return (await store.update(campaignId, stored.version, { definition, at, by: 'system:test-fewer-units' })).campaign;
}

/** The seed campaign (shared/campaigns: Xinxiang 2021, 130 units). */
export const SEED_CAMPAIGN_ID = '2021-xinxiang';

/**
 * `spawnRuntime`, then `keepUnits` of the seed campaign before anything asks for it: for suites
 * that move the clock across milestones and reminders (each fans out one job per unit) and need no
 * more than the first `count` units (0–49 are the city's, Hongqi's, Weibin's, Fengquan's and
 * Muye's). The units' count is the suite's own time: a season's clock move is ~9 s at 130 units.
 */
export async function spawnRuntimeKeepingUnits(
  count: number,
  dataDir: string,
  extraEnv: Record<string, string> = {},
  options: SpawnOptions = {},
): Promise<ChildProcess> {
  const runtime = await spawnRuntime(dataDir, extraEnv, options);
  try {
    const info = runtimeInfo(dataDir);
    const { doc, dynamodb } = clientsFor(info);
    await keepUnits(doc, info.resources.tables.main!.name, SEED_CAMPAIGN_ID, count, extraEnv.SCIDAY_CLOCK ?? new Date().toISOString());
    doc.destroy();
    dynamodb.destroy();
  } catch (error) {
    await stopRuntime(runtime, dataDir);
    throw error;
  }
  return runtime;
}
