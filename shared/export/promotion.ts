/**
 * Promotion of a finished export to `campaign=<c>/snapshot=latest/`, what analysts query by
 * default. Two exports finishing at once must never leave `latest/` with files of both, and an
 * older export finishing last must not replace a newer one. A lease item in DynamoDB decides:
 *
 * 1. acquire: granted when nothing holds `latest/`, or it is our own export (a redelivery), or
 *    the holder's `asOf` is not newer than ours and it is done promoting (or its lease expired);
 *    refused with a newer holder → this export skips promotion (`superseded`); refused with an
 *    older holder still copying → wait for it (bounded), then try again;
 * 2. delete `latest/manifest.json` (a reader that sees no manifest knows latest/ is changing);
 * 3. copy every file to `latest/`;
 * 4. confirm the lease is still ours (else stop: the new holder writes its own manifest);
 * 5. write `latest/manifest.json` (its keys under `latest/`, the same checksums);
 * 6. release: the lease says `promoted`.
 *
 * A crash in 2–5 leaves the lease `promoting` until it expires (the redelivered export takes it
 * again at once: it is its own). Lease times use real time, not the simulated clock: a clock
 * frozen for a demo must not freeze a lease.
 */
import type { Clock } from '../domain/clock';
import type { ExportStore } from './export-store';
import { LATEST_SNAPSHOT, manifestKey, manifestUnder, type ExportManifest } from './manifest';

export interface LeaseHolder {
  readonly exportId: string;
  readonly asOf: string;
  readonly state: 'promoting' | 'promoted';
  /** Until when a `promoting` holder may hold it (UTC ISO). */
  readonly leaseUntil: string;
}

/** Port: the lease on one campaign's `latest/` snapshot. */
export interface LatestLease {
  /** Takes the lease for `exportId` (see the module's rules); otherwise answers who holds it. */
  acquire(input: { campaignId: string; exportId: string; asOf: string; now: string; until: string }): Promise<{ granted: true } | { granted: false; holder: LeaseHolder }>;
  /** Extends the lease if `exportId` still holds it (promoting); false when it was taken over. */
  confirm(input: { campaignId: string; exportId: string; until: string }): Promise<boolean>;
  /** Marks the promotion done, if `exportId` still holds the lease. */
  release(input: { campaignId: string; exportId: string; at: string }): Promise<void>;
}

export type PromotionOutcome = 'promoted' | 'superseded' | 'busy';

export interface PromotionDeps {
  readonly lease: LatestLease;
  readonly store: ExportStore;
  /** Real time (lease expiry), never the simulated clock. */
  readonly leaseClock: Clock;
  readonly sleep?: (ms: number) => Promise<void>;
  /** How long a holder may copy before others may take over (default 120 s). */
  readonly leaseSeconds?: number;
  /** How long to wait for an older holder still copying (default: its lease, at most 150 s). */
  readonly maxWaitMs?: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Copies the export described by `manifest` to `latest/` if it is the newest; see the module's rules. */
export async function promoteToLatest(manifest: ExportManifest, deps: PromotionDeps): Promise<PromotionOutcome> {
  const leaseMs = (deps.leaseSeconds ?? 120) * 1000;
  const sleep = deps.sleep ?? defaultSleep;
  const { campaignId, exportId, asOf } = manifest;
  const waitUntil = deps.leaseClock.now().getTime() + (deps.maxWaitMs ?? leaseMs + 30_000);
  for (;;) {
    const now = deps.leaseClock.now();
    const answer = await deps.lease.acquire({ campaignId, exportId, asOf, now: now.toISOString(), until: new Date(now.getTime() + leaseMs).toISOString() });
    if (answer.granted) break;
    if (answer.holder.asOf > asOf) return 'superseded';
    if (now.getTime() >= waitUntil) return 'busy';
    await sleep(Math.min(1000, Math.max(50, Date.parse(answer.holder.leaseUntil) - now.getTime())));
  }

  const latest = manifestUnder(manifest, LATEST_SNAPSHOT);
  await deps.store.remove(manifestKey(campaignId, LATEST_SNAPSHOT));
  for (const [i, file] of manifest.files.entries()) {
    await deps.store.copy(file.key, latest.files[i]?.key ?? '');
  }
  const stillOurs = await deps.lease.confirm({ campaignId, exportId, until: new Date(deps.leaseClock.now().getTime() + leaseMs).toISOString() });
  if (!stillOurs) return 'superseded';
  await deps.store.putJson(manifestKey(campaignId, LATEST_SNAPSHOT), latest);
  await deps.lease.release({ campaignId, exportId, at: deps.leaseClock.now().toISOString() });
  return 'promoted';
}
