import { reviewedIndicatorIds, reviewSchema } from '../../../shared/schemas/review.schema';
import { CAMPAIGNS, issuesOf, itRejectsTheInvalidSamples, lindau, validReview, xinxiang } from './samples';

describe.each(CAMPAIGNS)('Schema: review (%s)', (_id, campaign) => {
  it('accepts a score for every reviewed indicator, bounds included', () => {
    expect(issuesOf(reviewSchema(campaign), validReview(campaign))).toEqual([]);
    const scores = Object.fromEntries(reviewedIndicatorIds(campaign).map((id, i) => [id, i % 2 === 0 ? 0 : 100]));
    expect(issuesOf(reviewSchema(campaign), { scores })).toEqual([]);
  });

  it('requires every reviewed score', () => {
    expect(issuesOf(reviewSchema(campaign), { scores: {} })).toEqual(
      reviewedIndicatorIds(campaign).map((id) => ({ path: `scores.${id}`, code: 'required' })),
    );
  });

  itRejectsTheInvalidSamples('review', campaign);
});

describe('Schema: review, campaign indicators', () => {
  it('scores the indicators with a reviewer share of each campaign', () => {
    expect(reviewedIndicatorIds(xinxiang)).toEqual(['mobilization', 'publicity', 'highlights', 'volunteering', 'online']);
    expect(reviewedIndicatorIds(lindau)).toEqual(['highlights']);
  });

  it('accepts publicity in 2021-xinxiang and rejects it with code unrecognized_key in 2030-lindau', () => {
    const lindauScores = { highlights: 80, publicity: 70 };
    expect(issuesOf(reviewSchema(lindau), { scores: lindauScores })).toEqual([
      { path: 'scores.publicity', code: 'unrecognized_key', params: { key: 'publicity' } },
    ]);
    expect(issuesOf(reviewSchema(xinxiang), validReview(xinxiang))).toEqual([]);
  });

  it('rejects a negative or textual score', () => {
    expect(issuesOf(reviewSchema(lindau), { scores: { highlights: -1 } })).toEqual([
      { path: 'scores.highlights', code: 'too_small', params: { min: 0 } },
    ]);
    expect(issuesOf(reviewSchema(lindau), { scores: { highlights: '90' } })[0]?.code).toBe('invalid_type');
  });
});
