/** Helpers for suites that start a runtime of their own with `spawnRuntime` (test/helpers/global-setup.ts). */
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Campaign } from '../../shared/domain/campaign';
import { DynamoDbCampaignStore } from '../../shared/repositories/campaign-repository';
import { stopJvmOf } from './global-setup';

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
