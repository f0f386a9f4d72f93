// A reviewer's review of a unit (shared/use-cases/review-unit.ts): who may write it, If-Match
// (428 once it exists, 412 when stale), the campaign's schema, distinctive activities of that
// unit only, versions and the audit fields.
import { xinxiang2021 } from '../../../shared/campaigns/2021-xinxiang';
import type { Principal, Role } from '../../../shared/auth/principal';
import type { ActivityRecord } from '../../../shared/domain/activity';
import { loadCampaign, type Campaign } from '../../../shared/domain/campaign';
import { fixedClock } from '../../../shared/domain/clock';
import { StaleVersionError } from '../../../shared/errors';
import { fixedCampaignCatalog } from '../../../shared/repositories/cached-campaign-catalog';
import type { Organization, OrganizationDirectory } from '../../../shared/repositories/organization-repository';
import type { ReviewRecord, ReviewRepository } from '../../../shared/repositories/review-repository';
import { getReview, putReview, type PutReviewDeps } from '../../../shared/use-cases/review-unit';

const campaign = loadCampaign(xinxiang2021);
const SCORES = { mobilization: 80, publicity: 70, highlights: 90, volunteering: 60, online: 50 };

class MemoryReviews implements ReviewRepository {
  public readonly items = new Map<string, ReviewRecord>();
  public async get(c: string, o: string) {
    return this.items.get(`${c}/${o}`);
  }
  public async put(r: ReviewRecord, expected: number | undefined) {
    const current = this.items.get(`${r.campaignId}/${r.organizationId}`);
    if ((current?.version ?? undefined) !== expected) throw new StaleVersionError(current?.version ?? 0);
    this.items.set(`${r.campaignId}/${r.organizationId}`, r);
  }
}

const activity = (activityId: string, organizationId: string, campaignId = campaign.id): ActivityRecord => ({
  activityId,
  campaignId,
  organizationId,
  status: 'registered',
  version: 2,
  createdAt: '2021-09-01T01:00:00.000Z',
  createdBy: 'u',
  updatedAt: '2021-09-01T01:00:00.000Z',
  updatedBy: 'u',
  fields: {},
});
const ACTIVITIES = new Map([activity('a1', 'hongqi-kx'), activity('b1', 'city-jyj'), activity('z1', 'hongqi-kx', 'other')].map((a) => [a.activityId, a]));

function setup(now = '2021-10-01T10:00:00+08:00', stored: Campaign = campaign) {
  const reviews = new MemoryReviews();
  const organizations: OrganizationDirectory = {
    list: async () => [],
    find: async (_c, id) => (campaign.organizations.some((o) => o.organizationId === id) ? ({ organizationId: id } as Organization) : undefined),
    add: async () => undefined,
  };
  const deps: PutReviewDeps = {
    campaigns: fixedCampaignCatalog([stored]),
    organizations,
    activities: { get: async (id) => (ACTIVITIES.has(id) ? { activity: ACTIVITIES.get(id) as ActivityRecord, flags: [] } : undefined) },
    reviews,
    clock: fixedClock(now),
  };
  return { reviews, deps };
}

const who = (roles: Role[], orgId = 'city-kx', sub = 'rev-1', city = 'xinxiang'): Principal => ({ sub, orgId, roles: new Set(roles), city });
const put = (deps: PutReviewDeps, body: unknown, over: Partial<{ principal: Principal; organizationId: string; ifMatch: number; campaignId: string }> = {}) =>
  putReview({ principal: who(['reviewer']), campaignId: campaign.id, organizationId: 'hongqi-kx', ifMatch: undefined, body, ...over }, deps);

describe('Review: writing', () => {
  it('stores version 1 with the reviewer and time, then needs If-Match (428), refuses a stale one (412) and keeps the first review time', async () => {
    const { reviews, deps } = setup();
    const { review } = await put(deps, { scores: SCORES, comment: '组织有力', distinctiveActivityIds: ['a1'] });
    expect(review).toMatchObject({
      version: 1,
      scores: SCORES,
      comment: '组织有力',
      distinctiveActivityIds: ['a1'],
      reviewedBy: 'rev-1',
      reviewedAt: '2021-10-01T02:00:00.000Z',
      firstReviewedAt: '2021-10-01T02:00:00.000Z',
      // What the stream's audit trail reads: the reviewer as actor, the business time.
      updatedBy: 'rev-1',
      updatedAt: '2021-10-01T02:00:00.000Z',
    });
    await expect(put(deps, { scores: SCORES })).rejects.toMatchObject({ status: 428 });
    await expect(put(deps, { scores: SCORES }, { ifMatch: 0 })).rejects.toMatchObject({ status: 412, currentVersion: 1 });
    await expect(put(deps, { scores: SCORES }, { ifMatch: 7 })).rejects.toMatchObject({ status: 412 });

    const later = setup('2021-10-02T10:00:00+08:00').deps;
    const second = await put({ ...later, reviews }, { scores: { ...SCORES, highlights: 95 } }, { ifMatch: 1, principal: who(['reviewer'], 'city-kx', 'rev-2') });
    expect(second.review).toMatchObject({ version: 2, reviewedBy: 'rev-2', reviewedAt: '2021-10-02T02:00:00.000Z', firstReviewedAt: '2021-10-01T02:00:00.000Z' });
    // A PUT replaces the whole review.
    expect(second.review).not.toHaveProperty('comment');
    expect(second.review).not.toHaveProperty('distinctiveActivityIds');
  });

  it('accepts If-Match "0" for the first review', async () => {
    const { deps } = setup();
    await expect(put(deps, { scores: SCORES }, { ifMatch: 0 })).resolves.toMatchObject({ review: { version: 1 } });
  });
});

describe('Review: who may write it', () => {
  it.each([
    ['an organizer of the unit itself', who(['organizer'], 'hongqi-kx')],
    ['an organizer of another unit', who(['organizer'], 'weibin-kx')],
    ['an admin', who(['admin'])],
    ['an analyst', who(['analyst'])],
    ['a reviewer acting for the unit under review', who(['reviewer', 'organizer'], 'hongqi-kx')],
  ])('refuses %s with 403, before looking anything up', async (_what, principal) => {
    const { reviews, deps } = setup();
    await expect(put(deps, { scores: SCORES }, { principal })).rejects.toMatchObject({ status: 403 });
    expect(reviews.items.size).toBe(0);
  });

  it('answers 404 for an unknown unit or campaign', async () => {
    const { deps } = setup();
    await expect(put(deps, { scores: SCORES }, { organizationId: 'no-such-unit' })).rejects.toMatchObject({ status: 404 });
    await expect(put(deps, { scores: SCORES }, { campaignId: 'no-such' })).rejects.toMatchObject({ status: 404 });
  });

  it('answers 404 to a reviewer of another city, as for a missing campaign', async () => {
    const { reviews, deps } = setup();
    await expect(put(deps, { scores: SCORES }, { principal: who(['reviewer'], 'city-kx', 'rev-1', 'anyang') })).rejects.toMatchObject({ status: 404 });
    expect(reviews.items.size).toBe(0);
  });

  it('refuses a review of a closed campaign with 409 campaign_closed', async () => {
    const { reviews, deps } = setup(undefined, loadCampaign(xinxiang2021, 'closed'));
    await expect(put(deps, { scores: SCORES })).rejects.toMatchObject({ status: 409, code: 'campaign_closed' });
    expect(reviews.items.size).toBe(0);
  });
});

describe('Review: validation (422)', () => {
  it('needs one score 0..100 per indicator the reviewer judges, and no other', async () => {
    const { deps } = setup();
    const { mobilization: _m, ...withoutOne } = SCORES;
    const res = put(deps, { scores: { ...withoutOne, scale: 50, highlights: 101 }, extra: true });
    await expect(res).rejects.toMatchObject({ status: 422 });
    const issues = (await res.catch((e: { issues: Array<{ path: string; code: string }> }) => e.issues)) as Array<{ path: string; code: string }>;
    expect(issues.map((i) => i.path).sort()).toEqual(['extra', 'scores.highlights', 'scores.mobilization', 'scores.scale']);
  });

  it('marks as distinctive only activities of that unit in this campaign', async () => {
    const { reviews, deps } = setup();
    const res = put(deps, { scores: SCORES, distinctiveActivityIds: ['a1', 'b1', 'z1', 'nope'] });
    await expect(res).rejects.toMatchObject({ status: 422 });
    const issues = (await res.catch((e: { issues: unknown[] }) => e.issues)) as Array<{ path: string; code: string }>;
    expect(issues).toEqual([
      { path: 'distinctiveActivityIds.1', code: 'unknown_activity', params: { value: 'b1' } },
      { path: 'distinctiveActivityIds.2', code: 'unknown_activity', params: { value: 'z1' } },
      { path: 'distinctiveActivityIds.3', code: 'unknown_activity', params: { value: 'nope' } },
    ]);
    expect(reviews.items.size).toBe(0);
  });
});

describe('Review: reading it', () => {
  const read = (deps: PutReviewDeps, principal: Principal, organizationId = 'hongqi-kx', campaignId = campaign.id) =>
    getReview({ principal, campaignId, organizationId }, deps);

  it('answers the stored review to reviewers of other units and to admins (an admin of the unit too)', async () => {
    const { deps } = setup();
    await put(deps, { scores: SCORES, comment: '组织有力' });
    for (const principal of [who(['reviewer']), who(['admin']), who(['admin'], 'hongqi-kx'), who(['reviewer', 'admin'], 'hongqi-kx')]) {
      const { review } = await read(deps, principal);
      expect(review).toMatchObject({ version: 1, scores: SCORES, comment: '组织有力', reviewedBy: 'rev-1' });
    }
  });

  it.each([
    ['an organizer of the unit itself', who(['organizer'], 'hongqi-kx')],
    ['an organizer of another unit', who(['organizer'], 'weibin-kx')],
    ['an analyst', who(['analyst'])],
    ['a reviewer acting for the unit', who(['reviewer'], 'hongqi-kx')],
  ])('refuses %s with 403', async (_what, principal) => {
    const { deps } = setup();
    await put(deps, { scores: SCORES });
    await expect(read(deps, principal)).rejects.toMatchObject({ status: 403 });
  });

  it('answers 404 for a unit not reviewed yet, an unknown unit or an unknown campaign', async () => {
    const { deps } = setup();
    await expect(read(deps, who(['reviewer']))).rejects.toMatchObject({ status: 404 });
    await expect(read(deps, who(['reviewer']), 'no-such-unit')).rejects.toMatchObject({ status: 404 });
    await expect(read(deps, who(['reviewer']), 'hongqi-kx', 'no-such')).rejects.toMatchObject({ status: 404 });
  });

  it('answers a review of a closed campaign (its data stays readable)', async () => {
    const { reviews, deps } = setup();
    await put(deps, { scores: SCORES });
    const closed = setup(undefined, loadCampaign(xinxiang2021, 'closed'));
    for (const [key, review] of reviews.items) closed.reviews.items.set(key, review);
    await expect(read(closed.deps, who(['reviewer']))).resolves.toMatchObject({ review: { version: 1 } });
  });
});
