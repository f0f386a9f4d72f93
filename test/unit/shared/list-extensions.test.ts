import type { Principal, Role } from '../../../shared/auth/principal';
import { xinxiang2021 } from '../../../shared/campaigns/2021-xinxiang';
import { loadCampaign } from '../../../shared/domain/campaign';
import { BadRequestError, ForbiddenError, NotFoundError } from '../../../shared/errors';
import { extensionView } from '../../../shared/http/extension-views';
import type { ExtensionList, ExtensionListQuery, ExtensionRecord } from '../../../shared/repositories/extension-repository';
import { extensionFromItem, extensionItem } from '../../../shared/repositories/extension-repository';
import { fixedCampaignCatalog } from '../../../shared/repositories/cached-campaign-catalog';
import { listExtensions } from '../../../shared/use-cases/list-extensions';

const campaign = loadCampaign(xinxiang2021);
const campaigns = fixedCampaignCatalog([campaign]);
const who = (orgId: string, ...roles: Role[]): Principal => ({ sub: `u-${orgId}-${roles.join('-')}`, orgId, roles: new Set(roles), city: 'xinxiang' });

const grant: ExtensionRecord = {
  extensionId: '0b7d4c1e-3f5a-4e2b-9c1d-2a3b4c5d6e7f',
  campaignId: campaign.id,
  organizationId: 'hongqi-kx',
  activityId: 'act-1',
  milestone: 'registration',
  until: '2021-09-30T10:00:00.000Z',
  reason: '系统故障，延期登记',
  grantedBy: 'admin-1',
  grantedAt: '2021-09-25T01:00:00.000Z',
};

class FakeExtensions implements ExtensionList {
  public readonly queries: ExtensionListQuery[] = [];
  public async list(query: ExtensionListQuery) {
    this.queries.push(query);
    return { items: [grant], nextCursor: null };
  }
}

describe('Function: listExtensions', () => {
  it('answers reviewers and admins one page, with the unit filter, limit and cursor passed on', async () => {
    // Prepare
    const extensions = new FakeExtensions();
    // Act
    const byReviewer = await listExtensions(
      { principal: who('city-kx', 'reviewer'), campaignId: campaign.id, query: { organizationId: 'hongqi-kx' }, limit: 5, cursor: 'abc' },
      { campaigns, extensions },
    );
    await listExtensions({ principal: who('city-kx', 'admin'), campaignId: campaign.id, query: {}, limit: 20 }, { campaigns, extensions });
    // Assess
    expect(byReviewer.page.items).toEqual([grant]);
    expect(byReviewer.campaign).toBe(campaign);
    expect(extensions.queries).toEqual([
      { campaignId: campaign.id, organizationId: 'hongqi-kx', limit: 5, cursor: 'abc' },
      { campaignId: campaign.id, limit: 20 },
    ]);
  });

  it('refuses organizers (their own unit included) and analysts with 403, before any read', async () => {
    const extensions = new FakeExtensions();
    for (const principal of [who('hongqi-kx', 'organizer'), who('weibin-kx', 'organizer'), who('city-kx', 'analyst')]) {
      await expect(
        listExtensions({ principal, campaignId: campaign.id, query: { organizationId: 'hongqi-kx' }, limit: 20 }, { campaigns, extensions }),
      ).rejects.toBeInstanceOf(ForbiddenError);
    }
    expect(extensions.queries).toEqual([]);
  });

  it('answers 404 for an unknown campaign and 400 naming a unit filter that is no id', async () => {
    const extensions = new FakeExtensions();
    const admin = who('city-kx', 'admin');
    await expect(listExtensions({ principal: admin, campaignId: '1999-nowhere', query: {}, limit: 20 }, { campaigns, extensions })).rejects.toBeInstanceOf(NotFoundError);
    const bad = listExtensions({ principal: admin, campaignId: campaign.id, query: { organizationId: 'a b' }, limit: 20 }, { campaigns, extensions });
    await expect(bad).rejects.toBeInstanceOf(BadRequestError);
    await expect(bad).rejects.toThrow(/organizationId/);
  });
});

describe('Function: extensionFromItem', () => {
  it('reads back exactly the record a grant stored, without its keys', () => {
    expect(extensionFromItem(extensionItem(grant))).toEqual(grant);
    const { activityId: _unused, ...wholeUnit } = grant;
    expect(extensionFromItem(extensionItem(wholeUnit))).toEqual(wholeUnit);
  });

  it('is answered in the campaign’s zone', () => {
    expect(extensionView(grant, campaign)).toMatchObject({ until: '2021-09-30T18:00:00+08:00', grantedAt: '2021-09-25T09:00:00+08:00', grantedBy: 'admin-1' });
  });
});
