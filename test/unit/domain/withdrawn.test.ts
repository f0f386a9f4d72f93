// A withdrawn activity (ADR 0044): off the progress counts, the scores and the due index, never
// "registered by" a deadline, and never public.
import { isPublished, NO_MEDIA, type ActivityFacts } from '../../../shared/domain/activity';
import { FLAG_CODES } from '../../../shared/domain/flags';
import { inDueIndex } from '../../../shared/domain/milestone-rules';
import { contributionOf } from '../../../shared/domain/progress';
import { publicEntryOf } from '../../../shared/domain/public-activity';
import { registeredBy } from '../../../shared/domain/rules';
import { activityScoreParts, scored } from '../../../shared/domain/scoring-items';

const submittedAt = new Date('2021-09-10T00:00:00Z');
const image = (status: string) => ({
  entity: 'Activity', activityId: 'a1', campaignId: 'c', organizationId: 'o', status, version: 3, title: 'T', county: 'hongqi',
  startsAt: '2021-09-18T01:00:00.000Z', endsAt: '2021-09-18T03:00:00.000Z', createdAt: '2021-09-01T00:00:00.000Z', updatedAt: '2021-09-12T00:00:00.000Z',
  submittedAt: submittedAt.toISOString(),
});

describe('A withdrawn activity', () => {
  it('counts as neither a draft nor a registered activity on the board', () => {
    const { counters } = contributionOf('activity', image('withdrawn'));
    expect([counters.draft, counters.registered, counters.resultsComplete]).toEqual([0, 0, 0]);
    expect(contributionOf('activity', image('registered')).counters.registered).toBe(1);
  });

  it('scores nothing', () => {
    const facts: ActivityFacts = { activityId: 'a1', organizationId: 'o', createdAt: new Date(0), status: 'withdrawn', submittedAt, acceptedMedia: NO_MEDIA, expectedParticipants: 100 };
    expect(scored(facts)).toBe(false);
    expect(activityScoreParts(facts).scored).toBe(0);
    expect(scored({ ...facts, status: 'registered' })).toBe(true);
  });

  it('leaves the due index whatever flags it has, and is never registered by a deadline', () => {
    expect([[], ...FLAG_CODES.map((c) => [c])].map((raised) => inDueIndex('withdrawn', raised))).toEqual(Array(FLAG_CODES.length + 1).fill(false));
    expect(inDueIndex('registered', [])).toBe(true);
    expect(registeredBy({ submittedAt, status: 'withdrawn' }, new Date('2021-09-24T16:00:00Z'))).toBe(false);
    expect(registeredBy({ submittedAt, status: 'registered' }, new Date('2021-09-24T16:00:00Z'))).toBe(true);
  });

  it('is not public', () => {
    expect(isPublished('withdrawn')).toBe(false);
    expect(publicEntryOf(image('withdrawn'))).toBeUndefined();
    expect(publicEntryOf(image('registered'))).toBeDefined();
  });
});
