import type { Principal } from '../../../shared/auth/principal';
import { xinxiang2021 } from '../../../shared/campaigns/2021-xinxiang';
import { CampaignDefinitionSchema, type CampaignDefinition } from '../../../shared/domain/campaign';
import { CampaignClosedError, ForbiddenError, InvalidInputError, KeyTakenError, NotFoundError, StaleVersionError } from '../../../shared/errors';
import { storedCampaignOf, type CampaignChange, type CampaignStore, type NewCampaign, type StoredCampaign } from '../../../shared/repositories/campaign-repository';
import { fixedCampaignCatalog } from '../../../shared/repositories/cached-campaign-catalog';
import { mergePatch } from '../../../shared/use-cases/campaign-admin';
import { copyDefinition, createCampaign, shiftYears } from '../../../shared/use-cases/create-campaign';
import { listCampaigns } from '../../../shared/use-cases/list-campaigns';
import { moveMilestone } from '../../../shared/use-cases/move-milestone';
import { setCampaignStatus } from '../../../shared/use-cases/set-campaign-status';
import { updateCampaign } from '../../../shared/use-cases/update-campaign';

const seed = CampaignDefinitionSchema.parse(xinxiang2021);
const admin: Principal = { sub: 'admin-1', orgId: 'city-kx', roles: new Set(['admin']), city: 'xinxiang' };
const reviewer: Principal = { sub: 'rev-1', orgId: 'city-kx', roles: new Set(['reviewer']), city: 'xinxiang' };
const organizer: Principal = { sub: 'org-1', orgId: 'hongqi-kx', roles: new Set(['organizer']), city: 'xinxiang' };
const otherCityAdmin: Principal = { ...admin, sub: 'admin-ay', city: 'anyang' };

/** The store as an in-memory map with the same version rules as the DynamoDB one (tested in test/integration/campaigns-api.test.ts). */
class MemoryStore implements CampaignStore {
  public readonly items = new Map<string, Record<string, unknown>>();
  public async get(id: string) {
    const item = this.items.get(id);
    return item ? storedCampaignOf(item) : undefined;
  }
  public async list() {
    return [...this.items.values()].map(storedCampaignOf);
  }
  public async create(c: NewCampaign, createToken?: string) {
    if (this.items.has(c.definition.id)) throw new KeyTakenError('taken');
    const item = { definition: c.definition, status: c.status, version: 1, createdAt: c.at, createdBy: c.by, updatedAt: c.at, updatedBy: c.by, ...(c.copiedFrom ? { copiedFrom: c.copiedFrom } : {}), createToken };
    this.items.set(c.definition.id, item);
    return storedCampaignOf(item);
  }
  public async createdBy(id: string, token: string) {
    const item = this.items.get(id);
    return item?.createToken === token ? storedCampaignOf(item) : undefined;
  }
  public async update(id: string, expected: number, change: CampaignChange): Promise<StoredCampaign> {
    const item = this.items.get(id)!;
    if (item.version !== expected) throw new StaleVersionError(Number(item.version));
    const next = { ...item, ...(change.definition ? { definition: change.definition } : {}), ...(change.status ? { status: change.status } : {}), version: expected + 1, updatedAt: change.at, updatedBy: change.by, ...(change.reason ? { reason: change.reason } : {}) };
    this.items.set(id, next);
    return storedCampaignOf(next);
  }
}

const at = (iso: string) => ({ now: () => new Date(iso) });
function setup(now = '2022-03-01T09:00:00+08:00', reviewed = false) {
  const store = new MemoryStore();
  const invalidated: Array<string | undefined> = [];
  const deps = {
    store,
    clock: at(now),
    cache: { invalidate: (id?: string) => invalidated.push(id) },
    reviews: { exist: async () => reviewed },
    organizations: {
      list: async () => [
        ...seed.organizations.map((o) => ({ organizationId: o.organizationId, name: o.name.zh, nameEn: o.name.en, county: o.county, type: o.type })),
        { organizationId: 'hongqi-school-1', name: '红旗区第一中学', county: 'hongqi', type: 'school' as const, listedAt: '2021-09-15T00:00:00.000Z' },
      ],
      find: async () => undefined,
      add: async () => undefined,
    },
  };
  return { store, deps, invalidated };
}
async function with2021(s: ReturnType<typeof setup>, status: 'published' | 'closed' = 'published') {
  await s.store.create({ definition: seed, status, at: '2021-09-01T00:00:00.000Z', by: 'system:seed' });
}
const codes = async (p: Promise<unknown>) => {
  const error = await p.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidInputError);
  return (error as InvalidInputError).issues.map((i) => `${i.path} ${i.code}`);
};

describe('Function: shiftYears / copyDefinition', () => {
  it('moves dates by whole years; 29 February becomes the 28th in a common year', () => {
    expect(shiftYears('2021-09-24', 1)).toBe('2022-09-24');
    expect(shiftYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(shiftYears('2023-02-28', 1)).toBe('2024-02-28');
  });
  it('copies a year on: dates, the year in names and brand, the units given; the theme stays until edited', () => {
    const copy = copyDefinition(seed, '2022-xinxiang', 2022, seed.organizations.slice(0, 2));
    expect(copy).toMatchObject({ id: '2022-xinxiang', year: 2022, cityId: 'xinxiang', theme: seed.theme, period: { start: '2022-09-11', end: '2022-09-17' } });
    expect(copy.brand.zh).toBe('2022年全国科普日活动');
    expect(copy.milestones.map((m) => m.dueDate)).toEqual(['2022-09-24', '2022-10-22']);
    expect(copy.organizations).toHaveLength(2);
    expect(CampaignDefinitionSchema.safeParse(copy).success).toBe(true);
  });
});

describe('Function: mergePatch (RFC 7396)', () => {
  it('merges objects, removes on null, replaces arrays and scalars', () => {
    expect(mergePatch({ a: { b: 1, c: 2 }, d: [1, 2], e: 'x' }, { a: { b: 3, c: null }, d: [9], f: true })).toEqual({ a: { b: 3 }, d: [9], e: 'x', f: true });
    expect(mergePatch({ a: 1 }, [1])).toEqual([1]);
  });
});

describe('Use case: createCampaign', () => {
  it('copies a campaign of the caller’s city with its run-time units, as a draft, and forgets the cache entry', async () => {
    const s = setup();
    await with2021(s);
    const { value: stored } = await createCampaign({ principal: admin, body: { copyFrom: '2021-xinxiang', id: '2022-xinxiang' } }, s.deps);
    expect(stored).toMatchObject({ status: 'draft', version: 1, copiedFrom: '2021-xinxiang', createdBy: 'admin-1' });
    expect(stored.definition.organizations).toHaveLength(seed.organizations.length + 1);
    expect(stored.definition.organizations.at(-1)).toEqual({ organizationId: 'hongqi-school-1', name: { zh: '红旗区第一中学', en: '红旗区第一中学' }, county: 'hongqi', type: 'school' });
    expect(s.invalidated).toEqual(['2022-xinxiang']);
  });
  it('refuses another city, an unknown template, a non-admin and an invalid definition, each precisely', async () => {
    const s = setup();
    await with2021(s);
    expect(await codes(createCampaign({ principal: admin, body: { ...seed, id: '2022-anyang', cityId: 'anyang' } }, s.deps))).toEqual(['cityId city_not_yours']);
    expect(await codes(createCampaign({ principal: otherCityAdmin, body: { copyFrom: '2021-xinxiang', id: '2022-x' } }, s.deps))).toEqual(['copyFrom unknown_campaign']);
    expect(await codes(createCampaign({ principal: admin, body: { ...seed, id: '2022-xinxiang', year: 2022 } }, s.deps))).toEqual(
      expect.arrayContaining(['period period_invalid', 'milestones.0.dueDate date_outside_year']),
    );
    await expect(createCampaign({ principal: reviewer, body: seed }, s.deps)).rejects.toBeInstanceOf(ForbiddenError);
    expect(s.store.items.size).toBe(1);
  });
  it('lets a failing read of the template fail as it is (a 5xx), never as an unknown template', async () => {
    const s = setup();
    const down = new Error('DynamoDB unavailable');
    s.store.get = async () => {
      throw down;
    };
    await expect(createCampaign({ principal: admin, body: { copyFrom: '2021-xinxiang', id: '2022-xinxiang' } }, s.deps)).rejects.toBe(down);
  });
});

describe('Use case: updateCampaign', () => {
  it('edits a draft freely but never its id or city', async () => {
    const s = setup();
    await with2021(s);
    await createCampaign({ principal: admin, body: { copyFrom: '2021-xinxiang', id: '2022-xinxiang' } }, s.deps);
    const theme = { zh: '喜迎二十大，科普新征程', en: 'A new journey' };
    const edited = await updateCampaign({ principal: admin, campaignId: '2022-xinxiang', expectedVersion: 1, patch: { theme, reminders: { daysBefore: [5, 2] } } }, s.deps);
    expect(edited.definition.theme).toEqual(theme);
    expect(edited.version).toBe(2);
    expect(await codes(updateCampaign({ principal: admin, campaignId: '2022-xinxiang', expectedVersion: 2, patch: { cityId: 'anyang' } }, s.deps))).toEqual(['cityId field_locked']);
    await expect(updateCampaign({ principal: admin, campaignId: '2022-xinxiang', expectedVersion: 1, patch: { theme } }, s.deps)).rejects.toBeInstanceOf(StaleVersionError);
    await expect(updateCampaign({ principal: otherCityAdmin, campaignId: '2022-xinxiang', expectedVersion: 2, patch: { theme } }, s.deps)).rejects.toBeInstanceOf(NotFoundError);
  });
  it('keeps what a published campaign promised: items, dates (through the milestone route), weights once reviewed', async () => {
    const s = setup('2021-09-01T09:00:00+08:00', true);
    await with2021(s);
    const weights = seed.indicators.map((x, i) => (i === 0 ? { ...x, weight: x.weight + 5 } : i === 1 ? { ...x, weight: x.weight - 5 } : x));
    const issues = await codes(
      updateCampaign(
        {
          principal: admin,
          campaignId: '2021-xinxiang',
          expectedVersion: 1,
          patch: { counties: seed.counties.slice(1), organizations: seed.organizations.filter((o) => o.county !== seed.counties[0]!.id), indicators: weights, milestones: seed.milestones.map((m) => ({ ...m, dueDate: m.id === 'completion' ? '2021-10-29' : m.dueDate })) },
        },
        s.deps,
      ),
    );
    expect(issues).toEqual(
      expect.arrayContaining([`counties cannot_remove`, 'organizations cannot_remove', 'milestones use_milestone_route', 'indicators.0.weight weights_locked', 'indicators.1.weight weights_locked']),
    );
    // Renaming is fine.
    const renamed = await updateCampaign({ principal: admin, campaignId: '2021-xinxiang', expectedVersion: 1, patch: { theme: { zh: '新主题', en: 'New theme' } } }, s.deps);
    expect(renamed.version).toBe(2);
  });
  it('changes nothing in a closed campaign (409)', async () => {
    const s = setup();
    await with2021(s, 'closed');
    await expect(updateCampaign({ principal: admin, campaignId: '2021-xinxiang', expectedVersion: 1, patch: { theme: seed.theme } }, s.deps)).rejects.toBeInstanceOf(CampaignClosedError);
  });
});

describe('Use case: moveMilestone', () => {
  const body = (dueDate: string, reason = '国庆假期顺延') => ({ dueDate, reason });
  it('moves a milestone that has not passed, to a date ahead, keeping the campaign valid, with the reason', async () => {
    const s = setup('2021-09-20T09:00:00+08:00');
    await with2021(s);
    const moved = await moveMilestone({ principal: admin, campaignId: '2021-xinxiang', milestoneId: 'registration', body: body('2021-09-26') }, s.deps);
    expect(moved.definition.milestones[0]!.dueDate).toBe('2021-09-26');
    expect(moved.campaign.milestones.registration.deadline.toISOString()).toBe('2021-09-26T15:59:59.999Z');
    expect(moved.reason).toBe('国庆假期顺延');
    expect(s.invalidated).toEqual(['2021-xinxiang']);
  });
  it('refuses a passed milestone, a date already past, an order the campaign forbids, no reason, an unknown milestone', async () => {
    const s = setup('2021-09-25T00:00:00+08:00');
    await with2021(s);
    expect(await codes(moveMilestone({ principal: admin, campaignId: '2021-xinxiang', milestoneId: 'registration', body: body('2021-09-30') }, s.deps))).toEqual(['dueDate milestone_passed']);
    expect(await codes(moveMilestone({ principal: admin, campaignId: '2021-xinxiang', milestoneId: 'completion', body: body('2021-09-24') }, s.deps))).toEqual(['dueDate date_not_in_future']);
    expect(await codes(moveMilestone({ principal: admin, campaignId: '2021-xinxiang', milestoneId: 'completion', body: body('2022-01-05') }, s.deps))).toEqual(['dueDate date_outside_year']);
    expect(await codes(moveMilestone({ principal: admin, campaignId: '2021-xinxiang', milestoneId: 'completion', body: { dueDate: '2021-10-29' } }, s.deps))).toEqual(['reason required']);
    await expect(moveMilestone({ principal: admin, campaignId: '2021-xinxiang', milestoneId: 'opening', body: body('2021-10-29') }, s.deps)).rejects.toBeInstanceOf(NotFoundError);
    const s2 = setup('2021-09-20T09:00:00+08:00');
    await with2021(s2);
    expect(await codes(moveMilestone({ principal: admin, campaignId: '2021-xinxiang', milestoneId: 'registration', body: body('2021-10-30') }, s2.deps))).toEqual(['dueDate registration_after_completion']);
    expect((await s.store.get('2021-xinxiang'))!.version).toBe(1);
  });
});

describe('Use case: setCampaignStatus', () => {
  it('publishes a draft once (a retry changes nothing), closes it, and never reopens a closed one', async () => {
    const s = setup();
    await with2021(s);
    await createCampaign({ principal: admin, body: { copyFrom: '2021-xinxiang', id: '2022-xinxiang' } }, s.deps);
    const first = await setCampaignStatus({ principal: admin, campaignId: '2022-xinxiang', status: 'published' }, s.deps);
    expect(first).toMatchObject({ changed: true, stored: { status: 'published', version: 2 } });
    expect((await setCampaignStatus({ principal: admin, campaignId: '2022-xinxiang', status: 'published' }, s.deps)).changed).toBe(false);
    const closed = await setCampaignStatus({ principal: admin, campaignId: '2022-xinxiang', status: 'closed', reason: '年度结束' }, s.deps);
    expect(closed.stored).toMatchObject({ status: 'closed', reason: '年度结束' });
    await expect(setCampaignStatus({ principal: admin, campaignId: '2022-xinxiang', status: 'published' }, s.deps)).rejects.toBeInstanceOf(CampaignClosedError);
    await expect(setCampaignStatus({ principal: organizer, campaignId: '2022-xinxiang', status: 'closed' }, s.deps)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('Use case: listCampaigns', () => {
  it('lists the caller’s city only, drafts to its admins, newest year first', async () => {
    const s = setup();
    await with2021(s);
    await createCampaign({ principal: admin, body: { copyFrom: '2021-xinxiang', id: '2022-xinxiang' } }, s.deps);
    const campaigns = fixedCampaignCatalog((await s.store.list()).map((x) => x.campaign));
    const ids = async (p: Principal) => (await listCampaigns({ principal: p }, { campaigns })).items.map((i) => i.campaignId);
    expect(await ids(admin)).toEqual(['2022-xinxiang', '2021-xinxiang']);
    expect(await ids(organizer)).toEqual(['2021-xinxiang']);
    expect(await ids(otherCityAdmin)).toEqual([]);
  });
});

const _typecheck: CampaignDefinition = seed;
void _typecheck;
