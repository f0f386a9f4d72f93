/**
 * Projects a batch of main-table changes (stream records) onto the progress read model (ADR 0021).
 *
 * Primary course:
 * 1. Each change names a subject of a unit (an activity, its results, a flag, the work summary),
 *    or lists a unit added at run time (how the board names it), or is nothing that counts
 *    (media, inbox, exports, settings, reviews …: skipped at once).
 * 2. Its new contribution is computed from the item's new image (zero once the item is gone).
 * 3. The batch's changes are grouped by unit and, per subject, the latest record kept. In one
 *    transaction per unit (several units packed into one, up to 100 actions), each contribution is
 *    written with the record's sequence number (skipped when the stored one came from that record
 *    or a later one: a replay changes nothing), the differences are added to the unit's totals and
 *    its last change moves forward to the latest `updatedAt` seen (never back).
 *
 * A unit that fails fails every record of it (the handler reports them as batch item failures;
 * the batch is retried from the first, and what was applied already is skipped).
 */
import { contributionOf, latest, paddedSequence, progressSubjectOf, scoringContributionOf, scoringSubjectOf, unitListingOf, ZERO_CONTRIBUTION, type ScoringSubject, type UnitListing } from '../domain/progress';
import { keys } from '../repositories/keys';
import { unitKey, type ContributionChange, type ProgressStore, type UnitRef } from '../repositories/progress-repository';
import type { ItemChange } from './record-audit-entry';

/** A main-table change with its stream sequence number. */
export interface SequencedChange extends ItemChange {
  readonly sequenceNumber: string;
}

export interface ProjectionOutcome {
  /** Records that failed (their unit's update, or the record itself), by event id, with the error. */
  readonly failed: ReadonlyMap<string, Error>;
  /** Contributions written. */
  readonly applied: number;
  /** Contributions already as the records say (replays, retried batches). */
  readonly already: number;
  /** Records of items that feed no progress. */
  readonly ignored: number;
}

interface UnitWork {
  readonly unit: UnitRef;
  readonly eventIds: string[];
  /** One per subject: its latest record's. */
  readonly changes: Map<string, ContributionChange>;
  readonly changedAt: Array<string | undefined>;
  listing?: UnitListing;
}

/**
 * What the scoring contributions read (ADR 0038): an activity's partition as stored now (its
 * activity, results, media and flags; strongly consistent), and a campaign's own registration
 * deadline (undefined for a campaign that is not there).
 */
export interface ScoringReads {
  activityPartition(activityId: string): Promise<ReadonlyArray<Record<string, unknown>>>;
  registrationDeadline(campaignId: string): Promise<Date | undefined>;
}

/** An activity item that is a draft (the image a stream record carries). */
const isDraftActivity = (image: Record<string, unknown> | undefined): boolean => image?.entity === 'Activity' && image.status === 'draft';

/** Activity partitions read at once. */
const CONCURRENT_READS = 8;

export async function projectProgress(
  changes: readonly SequencedChange[],
  deps: { progress: Pick<ProgressStore, 'apply'>; scoring?: ScoringReads },
): Promise<ProjectionOutcome> {
  // Per scored activity: its latest record in the batch, and whether its latest Activity image there is a draft.
  const scoring = new Map<string, { subject: ScoringSubject; sequence: string; work: UnitWork; draft: boolean | undefined }>();
  const units = new Map<string, UnitWork>();
  const failed = new Map<string, Error>();
  let ignored = 0;
  for (const change of changes) {
    if (!/^\d{1,40}$/.test(change.sequenceNumber)) {
      failed.set(change.eventId, new TypeError(`record ${change.eventId} has no stream sequence number`));
      continue;
    }
    const workOf = (unit: UnitRef): UnitWork => {
      const work = units.get(unitKey(unit)) ?? { unit, eventIds: [], changes: new Map<string, ContributionChange>(), changedAt: [] };
      units.set(unitKey(unit), work);
      return work;
    };
    // A unit added at run time: the board names it from the read model.
    const listed = unitListingOf(change.newImage);
    if (listed) {
      const work = workOf({ campaignId: listed.campaignId, organizationId: listed.organizationId });
      work.eventIds.push(change.eventId);
      work.listing = listed.listing;
      continue;
    }
    // An activity's share of the scores: its partition is read once per batch, after the latest of its records.
    const scored = deps.scoring ? scoringSubjectOf(change.newImage ?? change.oldImage) : undefined;
    if (scored) {
      const work = workOf({ campaignId: scored.campaignId, organizationId: scored.organizationId });
      const sequence = paddedSequence(change.sequenceNumber);
      const key = unitKey(work.unit) + '\n' + scored.subjectId;
      const seen = scoring.get(key);
      const draft = isDraftActivity(change.newImage) ? true : change.newImage?.entity === 'Activity' || !change.newImage ? false : seen?.draft;
      if (!seen || seen.sequence < sequence) scoring.set(key, { subject: scored, sequence, work, draft });
      if (!progressSubjectOf(change.newImage ?? change.oldImage)) work.eventIds.push(change.eventId);
    }
    // The item's unit and kind: from the new image, or the old one when it is gone.
    const subject = progressSubjectOf(change.newImage ?? change.oldImage);
    if (!subject) {
      if (!scored) ignored += 1;
      continue;
    }
    const work = workOf({ campaignId: subject.campaignId, organizationId: subject.organizationId });
    const contribution = contributionOf(subject.kind, change.newImage);
    const next = { kind: subject.kind, subjectId: subject.subjectId, contribution, sequence: paddedSequence(change.sequenceNumber), source: change.keys };
    work.eventIds.push(change.eventId);
    work.changedAt.push(contribution.changedAt);
    // The subject's latest state in the batch stands for its earlier ones (a contribution is a state).
    const earlier = work.changes.get(next.subjectId);
    if (!earlier || earlier.sequence < next.sequence) work.changes.set(next.subjectId, next);
  }

  // Each scoring contribution from its activity's partition as it is now: read after the records, it
  // holds at least what they wrote (one partition, one stream shard: the sequence numbers are its order).
  if (deps.scoring && scoring.size > 0) {
    const reads = deps.scoring;
    const deadlines = new Map<string, Promise<Date | undefined>>();
    // An activity that is still a draft at the batch's last record of it scores nothing, and never
    // did (a draft is never scored, and an activity never goes back to draft): nothing to read or write.
    const queue = [...scoring.values()].filter((s) => !s.draft);
    const broken = new Map<UnitWork, Error>();
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const { subject, sequence, work } = next;
        if (broken.has(work)) continue;
        try {
          if (!deadlines.has(subject.campaignId)) deadlines.set(subject.campaignId, reads.registrationDeadline(subject.campaignId));
          const [deadline, partition] = await Promise.all([deadlines.get(subject.campaignId), reads.activityPartition(subject.activityId)]);
          const contribution = deadline ? scoringContributionOf(subject, partition, deadline) : ZERO_CONTRIBUTION;
          work.changes.set(subject.subjectId, { kind: 'scoring', subjectId: subject.subjectId, contribution, sequence, source: keys.activity(subject.activityId) });
        } catch (error) {
          broken.set(work, error instanceof Error ? error : new Error(String(error)));
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENT_READS, queue.length) }, worker));
    // A unit whose partition could not be read fails all its records (the batch is retried).
    for (const [work, error] of broken) {
      for (const id of work.eventIds) failed.set(id, error);
      units.delete(unitKey(work.unit));
    }
  }

  const outcome = await deps.progress.apply(
    [...units.values()].map((w) => {
      const changedAt = latest(w.changedAt);
      return { unit: w.unit, changes: [...w.changes.values()], ...(changedAt ? { changedAt } : {}), ...(w.listing ? { listing: w.listing } : {}) };
    }),
  );
  for (const w of units.values()) {
    const error = outcome.failed.get(unitKey(w.unit));
    if (error) for (const id of w.eventIds) failed.set(id, error);
  }
  return { failed, applied: outcome.applied, already: outcome.already, ignored };
}
