import fc from 'fast-check';
import {
  contributionOf,
  counterDelta,
  isZero,
  latest,
  NO_SEQUENCE,
  paddedSequence,
  progressCounts,
  progressSubjectOf,
  PROGRESS_COUNTERS,
  sameContribution,
  sameListing,
  sumCounters,
  totalsOf,
  unitListingOf,
  ZERO_CONTRIBUTION,
  ZERO_COUNTERS,
  type Counters,
} from '../../../shared/domain/progress';

const unit = { campaignId: '2021-xinxiang', organizationId: 'hongqi-kx' };
const activity = (status: string, extra: Record<string, unknown> = {}) => ({
  entity: 'Activity',
  pk: 'ACT#a1',
  sk: 'A',
  activityId: 'a1',
  ...unit,
  status,
  updatedAt: '2021-09-20T02:00:00.000Z',
  ...extra,
});
const flag = (code: string, extra: Record<string, unknown> = {}) => ({
  entity: 'Flag',
  flagId: `f-${code}`,
  ...unit,
  activityId: 'a1',
  code,
  milestone: 'registration',
  raisedAt: '2021-09-25T00:00:00.000Z',
  waived: false,
  ...extra,
});
const only = (set: Partial<Counters>): Counters => ({ ...ZERO_COUNTERS, ...set });

describe('Module: shared/domain/progress', () => {
  describe('Function: progressSubjectOf', () => {
    it.each([
      ['an activity', activity('draft'), { kind: 'activity', subjectId: 'ACT#a1' }],
      ['its results', { entity: 'Results', activityId: 'a1', ...unit }, { kind: 'results', subjectId: 'RES#a1' }],
      ['a flag', flag('results-late'), { kind: 'flag', subjectId: 'FLAG#f-results-late' }],
      ['a unit flag', { ...flag('summary-late'), activityId: undefined }, { kind: 'flag', subjectId: 'FLAG#f-summary-late' }],
      ['the work summary', { entity: 'Summary', ...unit, submittedAt: '2021-10-20T02:00:00.000Z' }, { kind: 'summary', subjectId: 'SUMMARY' }],
    ])('names %s of its unit', (_what, image, expected) => {
      // Act
      const subject = progressSubjectOf(image);
      // Assess
      expect(subject).toStrictEqual({ ...unit, ...expected });
    });

    it.each([
      ['media', { entity: 'Media', ...unit, mediaId: 'm1' }],
      ['an inbox message', { entity: 'InboxMessage', ...unit }],
      ['an export', { entity: 'Export', campaignId: unit.campaignId }],
      ['a unit’s settings', { entity: 'OrganizationSettings', ...unit }],
      ['a review', { entity: 'Review', ...unit }],
      ['a unit added at run time', { entity: 'Organization', ...unit }],
      ['an item with no entity', { ...unit, status: 'draft' }],
      ['an activity without its unit', { ...activity('draft'), organizationId: undefined }],
      ['a flag without its id', { ...flag('results-late'), flagId: '' }],
      ['nothing', undefined],
    ])('ignores %s', (_what, image) => {
      expect(progressSubjectOf(image as Record<string, unknown> | undefined)).toBeUndefined();
    });
  });

  describe('Function: unitListingOf', () => {
    it('names a unit added at run time as the board shows it', () => {
      const item = { entity: 'Organization', pk: 'CAMP#c#ORGS', sk: 'ORG#x', ...unit, name: '新乡市科普协会', county: 'hongqi', type: 'society', listedAt: '2021-09-01T00:00:00.000Z' };
      expect(unitListingOf(item)).toStrictEqual({ ...unit, listing: { name: '新乡市科普协会', county: 'hongqi', type: 'society' } });
      expect(sameListing(unitListingOf(item)?.listing, { name: '新乡市科普协会', county: 'hongqi', type: 'society' })).toBe(true);
      expect(sameListing(unitListingOf(item)?.listing, { name: '新乡市科普协会', county: 'weibin', type: 'society' })).toBe(false);
    });

    it.each([
      ['a unit’s settings', { entity: 'OrganizationSettings', ...unit, name: 'x', county: 'hongqi', type: 'society' }],
      ['a unit of an unknown type', { entity: 'Organization', ...unit, name: 'x', county: 'hongqi', type: 'guild' }],
      ['a unit without a name', { entity: 'Organization', ...unit, county: 'hongqi', type: 'society' }],
    ])('lists nothing for %s', (_what, item) => {
      expect(unitListingOf(item)).toBeUndefined();
    });
  });

  describe('Function: contributionOf', () => {
    it.each([
      ['draft', only({ draft: 1 })],
      ['registered', only({ registered: 1 })],
      ['completed', only({ registered: 1, resultsComplete: 1 })],
    ])('counts a %s activity', (status, counters) => {
      expect(contributionOf('activity', activity(status))).toStrictEqual({ counters, changedAt: '2021-09-20T02:00:00.000Z' });
    });

    it('counts an activity’s flags on the flags, not on the activity', () => {
      // Prepare: a sweep's flag bumps openFlags and version, not updatedAt.
      const flagged = activity('registered', { openFlags: 2, version: 7 });
      // Act / Assess
      expect(contributionOf('activity', flagged)).toStrictEqual(contributionOf('activity', activity('registered')));
    });

    it('gives results only their last change', () => {
      expect(contributionOf('results', { entity: 'Results', activityId: 'a1', ...unit, updatedAt: '2021-09-21T00:00:00.000Z' })).toStrictEqual({
        counters: ZERO_COUNTERS,
        changedAt: '2021-09-21T00:00:00.000Z',
      });
    });

    it.each([
      ['registration-late', false, only({ flagsOpen: 1, registeredLate: 1, unwaivedRegistrationLate: 1 })],
      ['registration-late', true, only({ flagsWaived: 1, registeredLate: 1 })],
      ['results-late', false, only({ flagsOpen: 1, resultsLate: 1, unwaivedResultsLate: 1 })],
      ['results-late', true, only({ flagsWaived: 1, resultsLate: 1 })],
      ['summary-late', false, only({ flagsOpen: 1, summaryLate: 1, unwaivedSummaryLate: 1 })],
      ['not-published-in-advance', false, only({ flagsOpen: 1, unwaivedNotPublishedInAdvance: 1 })],
      ['registration-overdue', true, only({ flagsWaived: 1 })],
      ['organization-inactive', false, only({ flagsOpen: 1, unwaivedOrganizationInactive: 1 })],
    ])('counts a %s flag (waived: %s)', (code, waived, counters) => {
      expect(contributionOf('flag', flag(code, { waived }))).toStrictEqual({ counters });
    });

    it('never counts a unit’s registration-late flag as a late activity', () => {
      expect(contributionOf('flag', flag('registration-late', { activityId: undefined })).counters.registeredLate).toBe(0);
    });

    it('gives the summary its submission and its last change', () => {
      const summary = { entity: 'Summary', ...unit, submittedAt: '2021-10-20T02:00:00.000Z', updatedAt: '2021-10-21T02:00:00.000Z' };
      expect(contributionOf('summary', summary)).toStrictEqual({
        counters: only({ summarySubmitted: 1 }),
        changedAt: '2021-10-21T02:00:00.000Z',
        summarySubmittedAt: '2021-10-20T02:00:00.000Z',
      });
    });

    it.each(['activity', 'results', 'flag', 'summary'] as const)('gives a removed %s nothing', (kind) => {
      expect(contributionOf(kind, undefined)).toBe(ZERO_CONTRIBUTION);
    });
  });

  describe('Function: counterDelta and sumCounters', () => {
    const arbitraryCounters = fc.record(Object.fromEntries(PROGRESS_COUNTERS.map((c) => [c, fc.integer({ min: 0, max: 1 })])) as Record<keyof Counters, fc.Arbitrary<number>>);

    it('adds up, over any sequence of a subject’s states, to its last state', () => {
      fc.assert(
        fc.property(fc.array(arbitraryCounters, { minLength: 1, maxLength: 20 }), (states) => {
          // Prepare: each state replaces the previous, its delta added to the totals.
          let stored: Counters = ZERO_COUNTERS;
          let totals: Counters = ZERO_COUNTERS;
          for (const next of states) {
            totals = sumCounters([totals, counterDelta(next, stored)]);
            stored = next;
          }
          // Assess
          expect(totals).toEqual({ ...states.at(-1) });
        }),
      );
    });

    it('makes applying the same state again a change of nothing', () => {
      fc.assert(fc.property(arbitraryCounters, (c) => expect(isZero(counterDelta(c, c))).toBe(true)));
    });
  });

  describe('Function: totalsOf', () => {
    it('sums a unit’s contributions, with its latest change and the summary’s submission', () => {
      // Prepare
      const contributions = [
        contributionOf('activity', activity('completed', { updatedAt: '2021-09-22T00:00:00.000Z' })),
        contributionOf('activity', activity('draft', { updatedAt: '2021-09-23T10:00:00.000Z' })),
        contributionOf('results', { entity: 'Results', updatedAt: '2021-09-23T11:00:00.000Z' }),
        contributionOf('flag', flag('registration-late', { waived: true })),
        contributionOf('flag', flag('results-late')),
        contributionOf('summary', { entity: 'Summary', submittedAt: '2021-10-20T02:00:00.000Z', updatedAt: '2021-10-20T02:00:00.000Z' }),
      ];
      // Act
      const totals = totalsOf(contributions);
      // Assess
      expect(totals).toStrictEqual({
        counters: only({ draft: 1, registered: 1, resultsComplete: 1, registeredLate: 1, resultsLate: 1, summarySubmitted: 1, flagsOpen: 1, flagsWaived: 1, unwaivedResultsLate: 1 }),
        summarySubmittedAt: '2021-10-20T02:00:00.000Z',
        lastChangeAt: '2021-10-20T02:00:00.000Z',
      });
    });

    it('leaves a unit with nothing without instants', () => {
      expect(totalsOf([])).toStrictEqual({ counters: ZERO_COUNTERS });
    });
  });

  describe('Function: progressCounts', () => {
    it('answers zeros, false and no instants for a unit with nothing yet', () => {
      expect(progressCounts(undefined)).toStrictEqual({
        activities: { draft: 0, registered: 0, registeredOnTime: 0, registeredLate: 0, resultsComplete: 0, resultsLate: 0 },
        summary: { submitted: false, late: false },
        flags: { open: 0, waived: 0 },
      });
    });

    it('derives on time as registered less late', () => {
      const counts = progressCounts({ counters: only({ registered: 3, registeredLate: 1, summarySubmitted: 1, summaryLate: 1 }), summarySubmittedAt: '2021-10-23T01:00:00.000Z' });
      expect(counts.activities).toMatchObject({ registered: 3, registeredOnTime: 2, registeredLate: 1 });
      expect(counts.summary).toStrictEqual({ submitted: true, submittedAt: '2021-10-23T01:00:00.000Z', late: true });
    });

    it('never shows on time below zero while a late flag is counted before its registration', () => {
      expect(progressCounts({ counters: only({ registeredLate: 1 }) }).activities.registeredOnTime).toBe(0);
    });
  });

  describe('Function: paddedSequence', () => {
    it('orders sequence numbers of any length as numbers when compared as strings', () => {
      fc.assert(
        fc.property(fc.bigInt({ min: 0n, max: 10n ** 40n - 1n }), fc.bigInt({ min: 0n, max: 10n ** 40n - 1n }), (a, b) => {
          const [pa, pb] = [paddedSequence(a.toString()), paddedSequence(b.toString())];
          expect(pa < pb).toBe(a < b);
        }),
      );
    });

    it('puts the rebuild’s sequence below every record’s', () => {
      expect(NO_SEQUENCE < paddedSequence('1')).toBe(true);
    });

    it.each(['', '12a', '1'.repeat(41), '-1'])('refuses %p', (s) => {
      expect(() => paddedSequence(s)).toThrow(RangeError);
    });
  });

  it('compares contributions by counters and instants', () => {
    const a = contributionOf('activity', activity('registered'));
    expect(sameContribution(a, contributionOf('activity', activity('registered')))).toBe(true);
    expect(sameContribution(a, contributionOf('activity', activity('registered', { updatedAt: '2021-09-20T02:00:01.000Z' })))).toBe(false);
    expect(sameContribution(a, contributionOf('activity', activity('completed')))).toBe(false);
    expect(latest([undefined, '2021-09-20T02:00:00.000Z', '2021-09-19T02:00:00.000Z'])).toBe('2021-09-20T02:00:00.000Z');
  });
});
