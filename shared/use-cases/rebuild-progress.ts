/**
 * Rebuilds a campaign's progress read model from the main table (ADR 0021): the first time (data
 * written before the read model existed), after a fault, or to check it. Safe while the
 * projector runs: every write is conditioned on what was read, and a lost race is read again.
 *
 * Primary course:
 * 1. Read the campaign's activities (gsi2 `CAMP#<c>#ACT`), results (gsi2 `#RESULTS`), flags
 *    (gsi1 `CAMP#<c>#FLAG`), summaries (gsi2 `#SUMMARY`) and units added at run time
 *    (`CAMP#<c>#ORGS`) page by page (the export's readers) and compute each subject's contribution.
 * 2. Per unit (those with subjects, those added at run time, those with totals): read
 *    its stored contributions; those that differ from step 1 (or have no subject any more) are
 *    confirmed against the subject's item read consistently (an index lags its table).
 * 3. Write each confirmed difference as the projector does: the contribution, conditioned on the
 *    version read, with the difference added to the totals, in one transaction. A subject that is
 *    gone loses its contribution (a zero one, the projector's record of a removal, is kept: it
 *    stops a replayed older record). A lost race is read and confirmed again (a few times).
 * 4. Set each unit's totals to the sum of its contributions (and a unit added at run time, its
 *    listing), conditioned on `rev` as read before the contributions were: a live change in
 *    between moves `rev`, and the sum is taken again.
 */
import {
  contributionOf,
  isZero,
  progressSubjectOf,
  scoringContributionOf,
  scoringSubjectOf,
  valueCounts,
  sameContribution,
  sameListing,
  totalsOf,
  unitListingOf,
  type Contribution,
  type ProgressSubjectKind,
  type UnitListing,
  type UnitTotals,
} from '../domain/progress';
import type { Pages } from '../export/readers';
import { itemKeyId, type Correction, type ProgressStore, type StoredContribution, type SubjectItems, type UnitRef } from '../repositories/progress-repository';
import { keys, type ItemKey } from '../repositories/keys';
import { activityMediumOf } from '../domain/activity';
import { campaignOrNotFound } from './activity-access';
import type { CampaignCatalog } from '../repositories/campaign-repository';

export interface RebuildProgressDeps {
  readonly campaigns: CampaignCatalog;
  /** The campaign's stored items, page by page (shared/export/readers.ts `DynamoDbExportSource`). */
  readonly source: {
    activities(campaignId: string): Pages;
    results(campaignId: string): Pages;
    flags(campaignId: string): Pages;
    summaries(campaignId: string): Pages;
    addedOrganizations(campaignId: string): Pages;
    /** Media of the campaign (gsi2 `CAMP#<c>#MEDIA`): the scoring contributions' accepted photos and videos. */
    media(campaignId: string): Pages;
  };
  readonly subjects: SubjectItems;
  /** An activity's partition read consistently: confirms a scoring contribution (ADR 0038). */
  readonly partitions: { read(activityId: string): Promise<ReadonlyArray<Record<string, unknown>>> };
  readonly progress: ProgressStore;
}

export interface RebuildReport {
  readonly campaignId: string;
  /** Units looked at. */
  readonly units: number;
  /** Subjects the table holds (activities, results, flags, summaries). */
  readonly subjects: number;
  /** Contributions written (missing or wrong). */
  readonly corrected: number;
  /** Contributions removed (their subject is gone). */
  readonly removed: number;
  /** Units whose totals were not the sum of their contributions. */
  readonly totalsReset: number;
  /** Writes that lost a race with the projector and were read again. */
  readonly raced: number;
}

/** Units rebuilt at once. */
const CONCURRENT_UNITS = 4;
/** Activity partitions read at once per unit (confirming scoring contributions). */
const CONCURRENT_PARTITION_READS = 8;
/** Rounds of step 3 (and of step 4) while live changes race a unit. */
const MAX_ROUNDS = 5;

interface Expected {
  readonly kind: ProgressSubjectKind;
  readonly contribution: Contribution;
  readonly source: ItemKey;
}

const unitId = (u: UnitRef) => `${u.campaignId}\n${u.organizationId}`;

export async function rebuildProgress(input: { campaignId: string }, deps: RebuildProgressDeps): Promise<RebuildReport> {
  const campaign = await campaignOrNotFound(deps.campaigns, input.campaignId);

  // 1. What the table says each subject contributes, per unit.
  const expected = new Map<string, { unit: UnitRef; subjects: Map<string, Expected>; listing?: UnitListing }>();
  const unitOf = (unit: UnitRef) => {
    const found = expected.get(unitId(unit)) ?? { unit, subjects: new Map<string, Expected>() };
    expected.set(unitId(unit), found);
    return found;
  };
  let subjects = 0;
  // The items of each activity's partition the scores read, joined from the indexes (ADR 0038).
  const partitions = new Map<string, Array<Record<string, unknown>>>();
  const partitionOf = (activityId: string) => {
    const items = partitions.get(activityId) ?? [];
    partitions.set(activityId, items);
    return items;
  };
  for await (const page of deps.source.media(campaign.id)) {
    for (const item of page) {
      const medium = activityMediumOf(item);
      if (medium?.counts) partitionOf(medium.activityId).push(item);
    }
  }
  for (const pages of [deps.source.activities(campaign.id), deps.source.results(campaign.id), deps.source.flags(campaign.id), deps.source.summaries(campaign.id)]) {
    for await (const page of pages) {
      for (const item of page) {
        if ((item.entity === 'Activity' || item.entity === 'Results') && typeof item.activityId === 'string') partitionOf(item.activityId).push(item);
        const subject = progressSubjectOf(item);
        if (!subject || subject.campaignId !== campaign.id) continue;
        subjects += 1;
        unitOf(subject).subjects.set(subject.subjectId, {
          kind: subject.kind,
          contribution: contributionOf(subject.kind, item),
          source: { pk: String(item.pk), sk: String(item.sk) },
        });
      }
    }
  }
  const deadline = campaign.milestones.registration.deadline;
  for (const items of partitions.values()) {
    const activity = items.find((i) => i.entity === 'Activity');
    const subject = scoringSubjectOf(activity);
    if (!activity || !subject || subject.campaignId !== campaign.id) continue;
    unitOf(subject).subjects.set(subject.subjectId, { kind: 'scoring', contribution: scoringContributionOf(subject, items, deadline), source: keys.activity(subject.activityId) });
  }
  partitions.clear();
  for await (const page of deps.source.addedOrganizations(campaign.id)) {
    for (const item of page) {
      const listed = unitListingOf(item);
      if (listed?.campaignId === campaign.id) unitOf({ campaignId: listed.campaignId, organizationId: listed.organizationId }).listing = listed.listing;
    }
  }
  // Units with nothing in the table still get their stale totals (if any) corrected.
  const totals = await deps.progress.campaignTotals(campaign.id);
  for (const organizationId of [...campaign.organizations.map((o) => o.organizationId), ...totals.map((t) => t.organizationId)]) unitOf({ campaignId: campaign.id, organizationId });

  const report = { corrected: 0, removed: 0, totalsReset: 0, raced: 0 };
  // A unit with no subject and no totals has nothing to rebuild (its contributions are written with its totals).
  const withTotals = new Set(totals.map((t) => t.organizationId));
  const queue = [...expected.values()].filter((u) => u.subjects.size > 0 || u.listing || withTotals.has(u.unit.organizationId));
  const units = queue.length;
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const outcome = await rebuildUnit(next.unit, next.subjects, next.listing, deadline, deps);
      report.corrected += outcome.corrected;
      report.removed += outcome.removed;
      report.raced += outcome.raced;
      if (outcome.totalsReset) report.totalsReset += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_UNITS, queue.length) }, worker));
  return { campaignId: campaign.id, units, subjects, ...report };
}

async function rebuildUnit(unit: UnitRef, expected: ReadonlyMap<string, Expected>, listing: UnitListing | undefined, deadline: Date, deps: RebuildProgressDeps) {
  let corrected = 0;
  let removed = 0;
  let raced = 0;
  // 2–3. Contributions, until none differs or the rounds run out (the projector keeps it right then).
  for (let round = 1; round <= MAX_ROUNDS; round += 1) {
    const stored = new Map((await deps.progress.contributions(unit)).map((c) => [c.subjectId, c]));
    const suspects = [...new Set([...expected.keys(), ...stored.keys()])].filter((id) => {
      const [e, s] = [expected.get(id), stored.get(id)];
      if (e && s) return !sameContribution(e.contribution, s);
      if (s) return !isTombstone(s);
      return true;
    });
    if (suspects.length === 0) break;
    const sourceOf = (id: string): ItemKey | undefined => expected.get(id)?.source ?? stored.get(id)?.source;
    const isScoring = (id: string) => id.startsWith('SCORE#');
    const current = await deps.subjects.current(suspects.filter((id) => !isScoring(id)).map(sourceOf).filter((k): k is ItemKey => k !== undefined));
    const corrections: Correction[] = [];
    // A scoring contribution is confirmed against its activity's partition, read consistently (several at once).
    const scoringSuspects = suspects.filter(isScoring);
    const partitionsRead = new Map<string, ReadonlyArray<Record<string, unknown>>>();
    const toRead = [...scoringSuspects];
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENT_PARTITION_READS, toRead.length) }, async () => {
        for (let id = toRead.shift(); id; id = toRead.shift()) partitionsRead.set(id, await deps.partitions.read(id.slice('SCORE#'.length)));
      }),
    );
    for (const id of scoringSuspects) {
      const s = stored.get(id);
      const activityId = id.slice('SCORE#'.length);
      const contribution = scoringContributionOf({ ...unit, activityId }, partitionsRead.get(id) ?? [], deadline);
      if (!s || !sameContribution(contribution, s)) {
        // A zero one for an activity that is gone (or never scored): the tombstone stays, or none is made.
        if (!s && isZero(contribution.counters)) continue;
        corrections.push({ stored: s, next: { kind: 'scoring', subjectId: id, contribution, source: keys.activity(activityId) } });
      }
    }
    for (const id of suspects.filter((x) => !isScoring(x))) {
      const s = stored.get(id);
      const key = sourceOf(id);
      const item = key ? current.get(itemKeyId(key)) : undefined;
      const subject = progressSubjectOf(item);
      const still = subject && key && subject.subjectId === id && subject.organizationId === unit.organizationId && subject.campaignId === unit.campaignId;
      if (still) {
        const contribution = contributionOf(subject.kind, item);
        if (!s || !sameContribution(contribution, s)) corrections.push({ stored: s, next: { kind: subject.kind, subjectId: id, contribution, source: key } });
      } else if (s && !isTombstone(s)) {
        corrections.push({ stored: s, next: undefined });
      }
    }
    if (corrections.length === 0) break;
    const written = await deps.progress.correct(unit, corrections);
    const gone = corrections.filter((c) => !c.next).length;
    corrected += written.written;
    raced += written.raced;
    if (written.raced === 0) {
      removed += gone;
      corrected -= gone;
      break;
    }
  }

  // 4. Totals: the sum of the contributions, unless a live change moved `rev` in between.
  let totalsReset = false;
  for (let round = 1; round <= MAX_ROUNDS; round += 1) {
    const before = await deps.progress.unitTotals(unit);
    const contributions = await deps.progress.contributions(unit);
    if (!before && contributions.length === 0 && !listing) break;
    const sum: UnitTotals = { ...totalsOf(contributions), ...(listing ? { listing } : {}) };
    // The value counts the distinct counters stand on (ADR 0038), as the contributions hold them.
    const values = await deps.progress.reconcileValues(unit, valueCounts(contributions));
    raced += values.raced;
    if (before && sameTotals(before, sum) && values.raced === 0) break;
    if (await deps.progress.resetTotals(unit, sum, before?.rev)) {
      totalsReset = true;
      break;
    }
    raced += 1;
  }
  return { corrected, removed, raced, totalsReset };
}

/** A contribution of nothing kept as the record of a removal (the projector's, for its sequence number). */
const isTombstone = (c: StoredContribution): boolean => isZero(c.counters) && c.changedAt === undefined && c.summarySubmittedAt === undefined;

function sameTotals(a: UnitTotals, b: UnitTotals): boolean {
  if (!sameListing(a.listing, b.listing)) return false;
  return sameContribution({ counters: a.counters, ...(a.lastChangeAt ? { changedAt: a.lastChangeAt } : {}), ...(a.summarySubmittedAt ? { summarySubmittedAt: a.summarySubmittedAt } : {}) }, {
    counters: b.counters,
    ...(b.lastChangeAt ? { changedAt: b.lastChangeAt } : {}),
    ...(b.summarySubmittedAt ? { summarySubmittedAt: b.summarySubmittedAt } : {}),
  });
}
