// Who may see and change a campaign and its activities (shared/use-cases/activity-access.ts,
// ADR 0023 and 0024): a token's roles apply to its own city's campaigns; a draft is seen by that
// city's admins only; a closed campaign stays readable and refuses every change (409). Another
// city's campaign, a draft one may not see and a missing one all answer the same 404.
import type { Principal, Role } from '../../../shared/auth/principal';
import { xinxiang2021 } from '../../../shared/campaigns/2021-xinxiang';
import type { ActivityRecord } from '../../../shared/domain/activity';
import { loadCampaign, type CampaignStatus } from '../../../shared/domain/campaign';
import { CampaignClosedError, ForbiddenError, NotFoundError } from '../../../shared/errors';
import type { ActivityRepository } from '../../../shared/repositories/activity-repository';
import { fixedCampaignCatalog } from '../../../shared/repositories/cached-campaign-catalog';
import {
  campaignFor,
  campaignOrNotFound,
  campaignVisibleTo,
  ownedActivity,
  readableActivity,
} from '../../../shared/use-cases/activity-access';
import { otherCampaign } from '../../fixtures/campaign-other';

/** A Xinxiang campaign with this id and status. */
const xinxiang = (id: string, status: CampaignStatus) => loadCampaign({ ...xinxiang2021, id }, status);
const published = xinxiang('2021-xinxiang', 'published');
const draft = xinxiang('2022-xinxiang', 'draft');
const closed = xinxiang('2020-xinxiang', 'closed');
/** Another city's published campaign (2030-lindau, city `lindau`). */
const lindau = loadCampaign(otherCampaign);
const campaigns = fixedCampaignCatalog([published, draft, closed, lindau]);

const who = (roles: Role[], city = 'xinxiang', orgId = 'hongqi-kx'): Principal => ({ sub: `u-${roles.join('-')}`, orgId, roles: new Set(roles), city });
const organizer = who(['organizer']);
const reviewer = who(['reviewer'], 'xinxiang', 'city-kx');
const admin = who(['admin'], 'xinxiang', 'xinxiang-kx');

/** The error `promise` rejects with (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('Function: campaignVisibleTo', () => {
  it('shows a campaign to its own city only, and a draft to that city’s admins only', () => {
    expect(campaignVisibleTo(organizer, published)).toBe(true);
    expect(campaignVisibleTo(organizer, closed)).toBe(true);
    expect(campaignVisibleTo(organizer, lindau)).toBe(false);
    expect(campaignVisibleTo(who(['admin'], 'lindau'), lindau)).toBe(true);
    expect(campaignVisibleTo(organizer, draft)).toBe(false);
    expect(campaignVisibleTo(reviewer, draft)).toBe(false);
    expect(campaignVisibleTo(who(['analyst']), draft)).toBe(false);
    expect(campaignVisibleTo(admin, draft)).toBe(true);
    expect(campaignVisibleTo(who(['admin'], 'anyang'), draft)).toBe(false);
  });
});

describe('Function: campaignFor', () => {
  it('answers a published campaign of the caller’s city, to read and to change', async () => {
    for (const principal of [organizer, reviewer, admin, who(['analyst'])]) {
      await expect(campaignFor(principal, campaigns, published.id)).resolves.toBe(published);
      await expect(campaignFor(principal, campaigns, published.id, { write: true })).resolves.toBe(published);
    }
  });

  it('answers another city’s campaign 404, exactly as a missing one (to its admins too)', async () => {
    const missing = await rejection(campaignFor(admin, campaigns, 'no-such-campaign'));
    expect(missing).toBeInstanceOf(NotFoundError);
    for (const principal of [organizer, reviewer, admin]) {
      const error = await rejection(campaignFor(principal, campaigns, lindau.id));
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error).toMatchObject({ status: 404, code: 'not_found', message: `campaign ${lindau.id} not found` });
      await expect(campaignFor(principal, campaigns, lindau.id, { write: true })).rejects.toBeInstanceOf(NotFoundError);
    }
    // The same campaign is Lindau's to its own city.
    await expect(campaignFor(who(['reviewer'], 'lindau'), campaigns, lindau.id)).resolves.toBe(lindau);
  });

  it('answers a draft 404 to organizers, reviewers and analysts, as a missing campaign', async () => {
    for (const principal of [organizer, reviewer, who(['analyst']), who(['organizer', 'reviewer'])]) {
      const error = await rejection(campaignFor(principal, campaigns, draft.id));
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error).toMatchObject({ message: `campaign ${draft.id} not found` });
    }
  });

  it('answers a draft to its city’s admins, to read and to change, and 404 to another city’s', async () => {
    await expect(campaignFor(admin, campaigns, draft.id)).resolves.toBe(draft);
    await expect(campaignFor(admin, campaigns, draft.id, { write: true })).resolves.toBe(draft);
    await expect(campaignFor(who(['admin', 'reviewer']), campaigns, draft.id)).resolves.toBe(draft);
    await expect(campaignFor(who(['admin'], 'anyang'), campaigns, draft.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('answers a closed campaign to read (its data stays readable)', async () => {
    for (const principal of [organizer, reviewer, admin]) await expect(campaignFor(principal, campaigns, closed.id)).resolves.toBe(closed);
    await expect(campaignFor(admin, campaigns, closed.id, { write: false })).resolves.toBe(closed);
  });

  it('refuses a change to a closed campaign with 409 campaign_closed, to admins too', async () => {
    for (const principal of [organizer, reviewer, admin]) {
      const error = await rejection(campaignFor(principal, campaigns, closed.id, { write: true }));
      expect(error).toBeInstanceOf(CampaignClosedError);
      expect(error).toMatchObject({ status: 409, code: 'campaign_closed', campaignId: closed.id });
    }
  });

  it('answers another city’s closed campaign 404, not 409 (nothing about it is revealed)', async () => {
    const closedElsewhere = loadCampaign(otherCampaign, 'closed');
    const catalog = fixedCampaignCatalog([closedElsewhere]);
    await expect(campaignFor(admin, catalog, closedElsewhere.id, { write: true })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('Function: campaignOrNotFound (the system’s jobs)', () => {
  it('answers any stored campaign, whatever its status and city; 404 when missing', async () => {
    for (const c of [published, draft, closed, lindau]) await expect(campaignOrNotFound(campaigns, c.id)).resolves.toBe(c);
    await expect(campaignOrNotFound(campaigns, 'no-such-campaign')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('Functions: readableActivity and ownedActivity', () => {
  const activity = (activityId: string, campaignId: string, organizationId = 'hongqi-kx'): ActivityRecord => ({
    activityId,
    campaignId,
    organizationId,
    status: 'draft',
    version: 1,
    createdAt: '2021-09-01T01:00:00.000Z',
    createdBy: 'u',
    updatedAt: '2021-09-01T01:00:00.000Z',
    updatedBy: 'u',
    fields: {},
  });
  const stored = new Map(
    [
      activity('a-published', published.id),
      activity('a-closed', closed.id),
      activity('a-draft', draft.id),
      activity('a-lindau', lindau.id),
      activity('a-gone', 'no-such-campaign'),
    ].map((a) => [a.activityId, a]),
  );
  const activities = {
    get: async (id: string) => {
      const a = stored.get(id);
      return a ? { activity: a, flags: [] } : undefined;
    },
  } as Partial<ActivityRepository> as ActivityRepository;
  const deps = { activities, campaigns };

  it('reads an activity of the caller’s city with its campaign, a closed campaign’s too', async () => {
    await expect(readableActivity(organizer, 'a-published', deps)).resolves.toMatchObject({ activity: { activityId: 'a-published' }, campaign: published });
    await expect(readableActivity(reviewer, 'a-closed', deps)).resolves.toMatchObject({ campaign: closed });
  });

  it('answers an activity of another city’s campaign 404, exactly as a missing activity', async () => {
    const principals = [organizer, reviewer, admin];
    for (const principal of principals) {
      const error = await rejection(readableActivity(principal, 'a-lindau', deps));
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error).toMatchObject({ message: 'activity a-lindau not found' });
      await expect(readableActivity(principal, 'a-nothing', deps)).rejects.toMatchObject({ message: 'activity a-nothing not found' });
      await expect(ownedActivity(principal, 'a-lindau', deps)).rejects.toBeInstanceOf(NotFoundError);
    }
    // Lindau's own reviewers read it.
    await expect(readableActivity(who(['reviewer'], 'lindau', 'town-science'), 'a-lindau', deps)).resolves.toMatchObject({ campaign: lindau });
  });

  it('answers an activity of a draft campaign 404 to all but its city’s admins, and one whose campaign is gone 404', async () => {
    await expect(readableActivity(organizer, 'a-draft', deps)).rejects.toBeInstanceOf(NotFoundError);
    await expect(readableActivity(reviewer, 'a-draft', deps)).rejects.toBeInstanceOf(NotFoundError);
    await expect(readableActivity(admin, 'a-draft', deps)).resolves.toMatchObject({ campaign: draft });
    await expect(readableActivity(admin, 'a-gone', deps)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lets the owning unit’s organizer change an activity of a published campaign', async () => {
    await expect(ownedActivity(organizer, 'a-published', deps)).resolves.toMatchObject({ campaign: published });
    await expect(ownedActivity(who(['organizer'], 'xinxiang', 'weibin-kx'), 'a-published', deps)).rejects.toBeInstanceOf(NotFoundError);
    await expect(ownedActivity(reviewer, 'a-published', deps)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('refuses to change an activity of a closed campaign with 409 campaign_closed, even to its own organizer', async () => {
    const error = await rejection(ownedActivity(organizer, 'a-closed', deps));
    expect(error).toBeInstanceOf(CampaignClosedError);
    expect(error).toMatchObject({ status: 409, code: 'campaign_closed', campaignId: closed.id });
    // Another unit's organizer still learns nothing more than 404; a reviewer still 403.
    await expect(ownedActivity(who(['organizer'], 'xinxiang', 'weibin-kx'), 'a-closed', deps)).rejects.toBeInstanceOf(NotFoundError);
    await expect(ownedActivity(reviewer, 'a-closed', deps)).rejects.toBeInstanceOf(ForbiddenError);
  });
});
