/**
 * Turning a flag a rule earned ({@link FlagDraft}) into the flag stored and answered. The id
 * is derived from the flag's identity (code, subject, milestone), so every writer — submit,
 * results, summary, each run of a sweep — names the same flag the same way, and the
 * conditional write that stores it lets exactly one of them win.
 */
import { createHash } from 'node:crypto';
import type { FlagRecord } from '../domain/activity';
import { flagKey } from '../domain/rules';
import type { FlagDraft } from '../domain/activity';

/** 32 hex digits of SHA-256 over the flag's identity: opaque, URL-safe, stable. */
export const flagIdOf = (campaignId: string, draft: FlagDraft): string =>
  createHash('sha256').update(flagKey(campaignId, draft)).digest('hex').slice(0, 32);

/** The flag `draft` as stored, raised at `raisedAt`, not waived. */
export function raiseFlag(campaignId: string, draft: FlagDraft, raisedAt: Date): FlagRecord {
  return { ...draft, flagId: flagIdOf(campaignId, draft), campaignId, raisedAt: raisedAt.toISOString(), waived: false };
}
