/**
 * An activity as stored: the organizer's fields (validated by the campaign's schemas)
 * plus the server-owned ones. Times are UTC ISO strings inside.
 */
import type { ActivityStatus, FlagDraft } from './rules';

export interface ActivityRecord {
  readonly activityId: string;
  readonly campaignId: string;
  readonly organizationId: string;
  readonly status: ActivityStatus;
  readonly version: number;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly submittedAt?: string;
  /** When its results first met the completion rule. */
  readonly completedAt?: string;
  /** How many of its flags are not waived (`?flagged=true` lists those with any). */
  readonly openFlags?: number;
  /** The token of the request that created it, and of the one that submitted it (ADR 0025): a retry of either recognises its own write. */
  readonly createToken?: string;
  readonly submitToken?: string;
  /** The organizer's fields: title, kind, format, startsAt … (see the activity schema). */
  readonly fields: Readonly<Record<string, unknown>>;
}

/** An activity's results (信息完善), versioned apart from the activity. */
export interface ResultsRecord {
  readonly activityId: string;
  readonly version: number;
  readonly actualParticipants: number;
  readonly newsLinks: readonly string[];
  readonly onlineUrl?: string;
  readonly highlights?: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

/** A unit's work summary (工作总结). */
export interface SummaryRecord {
  readonly campaignId: string;
  readonly organizationId: string;
  readonly version: number;
  readonly text: string;
  readonly documentMediaIds?: readonly string[];
  /** When it was first submitted (lateness is judged on this). */
  readonly submittedAt: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

/** A flag as stored and answered. */
export interface FlagRecord extends FlagDraft {
  readonly flagId: string;
  readonly campaignId: string;
  readonly raisedAt: string;
  readonly waived: boolean;
  readonly waivedReason?: string;
  /** When an admin waived it (UTC ISO), and who (`sub`). */
  readonly waivedAt?: string;
  readonly waivedBy?: string;
}

/** Server-owned field names: a client can never set them. */
export const SERVER_OWNED_ACTIVITY_FIELDS = [
  'id',
  'activityId',
  'campaignId',
  'organizationId',
  'status',
  'version',
  'createdAt',
  'updatedAt',
  'submittedAt',
  'flags',
  'media',
  'results',
] as const;

/**
 * Applies a JSON merge patch: `null` removes a field, any other value replaces it (nested
 * objects whole, as the activity schema's patch says).
 */
export function mergePatch(fields: Readonly<Record<string, unknown>>, patch: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...fields };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete merged[k];
    else if (v !== undefined) merged[k] = v;
  }
  return merged;
}
