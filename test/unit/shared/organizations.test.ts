import type { Principal, Role } from '../../../shared/auth/principal';
import { xinxiang2021 } from '../../../shared/campaigns/2021-xinxiang';
import { loadCampaign, type Campaign } from '../../../shared/domain/campaign';
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  StaleVersionError,
  UnsupportedMediaTypeError,
  VersionRequiredError,
} from '../../../shared/errors';
import {
  MAX_ORGANIZATIONS_PER_ADD,
  type NewOrganization,
  type Organization,
  type OrganizationRegistry,
  type OrganizationSettings,
  type OrganizationSettingsStore,
} from '../../../shared/repositories/organization-repository';
import { fixedCampaignCatalog } from '../../../shared/repositories/cached-campaign-catalog';
import { addOrganizations, type UnitsBody } from '../../../shared/use-cases/add-organizations';
import { updateOrganization } from '../../../shared/use-cases/update-organization';

const campaign = loadCampaign(xinxiang2021);
const campaigns = fixedCampaignCatalog([campaign]);
const clock = { now: () => new Date('2021-09-01T01:00:00.000Z') };
const who = (orgId: string, ...roles: Role[]): Principal => ({ sub: `u-${orgId}`, orgId, roles: new Set(roles), city: 'xinxiang' });
const admin = who('city-kx', 'admin');

class InMemoryDirectory implements OrganizationRegistry {
  public readonly added: NewOrganization[] = [];
  public readonly tokens = new Map<string, string>();
  public writes = 0;
  public async addedBy(_c: Campaign, token: string) {
    return this.added.filter((u) => this.tokens.get(u.organizationId) === token);
  }
  public async list(c: Campaign): Promise<Organization[]> {
    return [...c.organizations.map((o) => ({ organizationId: o.organizationId, name: o.name.zh, nameEn: o.name.en, county: o.county, type: o.type })), ...this.added];
  }
  public async find(c: Campaign, id: string) {
    return (await this.list(c)).find((o) => o.organizationId === id);
  }
  public async add(_c: Campaign, units: readonly NewOrganization[], token?: string) {
    if (units.length > MAX_ORGANIZATIONS_PER_ADD) throw new RangeError('too many');
    this.writes += 1;
    this.added.push(...units);
    if (token) for (const u of units) this.tokens.set(u.organizationId, token);
  }
}

class InMemorySettings implements OrganizationSettingsStore {
  public readonly items = new Map<string, OrganizationSettings>();
  public async get(campaignId: string, organizationId: string): Promise<OrganizationSettings> {
    return this.items.get(organizationId) ?? { campaignId, organizationId, version: 0 };
  }
  public async put(s: OrganizationSettings, expected: number) {
    const current = (await this.get(s.campaignId, s.organizationId)).version;
    if (current !== expected) throw new StaleVersionError(current);
    this.items.set(s.organizationId, s);
  }
}

let counter = 0;
const setup = () => {
  const organizations = new InMemoryDirectory();
  const deps = { campaigns, organizations, clock, newSuffix: () => `s${String((counter += 1)).padStart(7, '0')}` };
  const add = (body: UnitsBody, principal: Principal = admin, campaignId = campaign.id) =>
    addOrganizations({ principal, campaignId, body: () => body }, deps).then((c) => c.value);
  return { organizations, add };
};
const json = (value: unknown): UnitsBody => ({ format: 'json', value });
const csv = (...lines: string[]): UnitsBody => ({ format: 'csv', records: lines.map((l) => l.split(',')) });
const issuesOf = async (p: Promise<unknown>) => {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidInputError);
  return (error as InvalidInputError).issues.map((i) => `${i.path} ${i.code}`).sort();
};

describe('Function: addOrganizations', () => {
  it('adds one unit with a server id from its county, stamped with the clock and the admin', async () => {
    const { add, organizations } = setup();
    const [unit] = await add(json({ name: ' 新乡市天文学会 ', county: 'hongqi', type: 'society', contact: { name: '李', phone: '139 0373 0000' } }));
    expect(unit).toEqual({
      organizationId: expect.stringMatching(/^hongqi-[0-9a-z]{8}$/),
      name: '新乡市天文学会',
      county: 'hongqi',
      type: 'society',
      contact: { name: '李', phone: '13903730000' },
      listedAt: '2021-09-01T01:00:00.000Z',
      listedBy: 'u-city-kx',
    });
    expect(organizations.added).toEqual([unit]);
  });

  it('gives random ids by default: lower-case slugs, distinct', async () => {
    const organizations = new InMemoryDirectory();
    const { value: units } = await addOrganizations(
      { principal: admin, campaignId: campaign.id, body: () => json([{ name: '甲学会', county: 'city', type: 'society' }, { name: '乙学会', county: 'city', type: 'society' }]) },
      { campaigns, organizations, clock },
    );
    expect(units.map((u) => u.organizationId)).toEqual([expect.stringMatching(/^city-[0-9a-hjkmnp-tv-z]{8}$/), expect.stringMatching(/^city-/)]);
    expect(new Set(units.map((u) => u.organizationId)).size).toBe(2);
  });

  it('refuses a client-supplied id and every other server field', async () => {
    const { add } = setup();
    expect(await issuesOf(add(json({ organizationId: 'mine', name: '甲学会', county: 'city', type: 'society', listedAt: 'x' })))).toEqual([
      'listedAt unrecognized_key',
      'organizationId unrecognized_key',
    ]);
  });

  it('is admin only and reads no body before saying so', async () => {
    const { add } = setup();
    const body = jest.fn(() => {
      throw new UnsupportedMediaTypeError();
    });
    for (const roles of [['organizer'], ['reviewer'], ['analyst']] as Role[][]) {
      await expect(addOrganizations({ principal: who('hongqi-kx', ...roles), campaignId: campaign.id, body }, { campaigns, organizations: new InMemoryDirectory(), clock })).rejects.toBeInstanceOf(ForbiddenError);
    }
    expect(body).not.toHaveBeenCalled();
    await expect(add(json({}), admin, '1999-nowhere')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('validates a JSON list item by item, every issue at once, and writes none', async () => {
    const { add, organizations } = setup();
    const issues = await issuesOf(
      add(json([{ name: '甲学会', county: 'city', type: 'society' }, { name: '乙', county: 'atlantis', type: 'club' }, 'x'])),
    );
    expect(issues).toEqual(['1.county unknown_county', '1.name too_short', '1.type invalid_option', '2 invalid_type']);
    expect(organizations.writes).toBe(0);
    expect(await issuesOf(add(json([])))).toEqual([' too_few']);
    expect(await issuesOf(add(json(Array.from({ length: 101 }, () => ({})))))).toEqual([' too_many']);
  });

  it('imports CSV with Chinese headings, counties and types, in one write', async () => {
    const { add, organizations } = setup();
    const units = await add(
      csv('名称,县区,类型,联系人,联系电话,邮箱', ' 红旗区天文学会 ,红旗区,学会,,,', '卫滨区实验学校,weibin,school,王老师,0373-5820656,wang@example.cn', ',,,,,'),
    );
    expect(units.map((u) => [u.name, u.county, u.type, u.contact])).toEqual([
      ['红旗区天文学会', 'hongqi', 'society', undefined],
      ['卫滨区实验学校', 'weibin', 'school', { name: '王老师', phone: '0373-5820656', email: 'wang@example.cn' }],
    ]);
    expect(organizations.writes).toBe(1);
  });

  it('names every failing cell rows.<n>.<column>, n counting data rows from 1, and writes none', async () => {
    const { add, organizations } = setup();
    const issues = await issuesOf(
      add(csv('name,county,type,contactName,contactPhone', '甲学会,city,society,,', '乙学会,atlantis,society,李,12345', ',,,,', '丙,city,学会,李,', '丁学会,city,society,,,extra')),
    );
    expect(issues).toEqual([
      'rows.2.contactPhone invalid_phone',
      'rows.2.county unknown_county',
      'rows.4.contactPhone required',
      'rows.4.name too_short',
      'rows.5 too_many',
    ]);
    expect(organizations.writes).toBe(0);
  });

  it('names header problems once instead of every row', async () => {
    const { add } = setup();
    expect(await issuesOf(add(csv('名称,县,type,name', '甲学会,city,society,x')))).toEqual([
      'header.2 unrecognized_key',
      'header.4 duplicate_item',
      'header.county required',
    ]);
    expect(await issuesOf(add({ format: 'csv', records: [] }))).toEqual(['header.county required', 'header.name required', 'header.type required']);
    expect(await issuesOf(add(csv('name,county,type')))).toEqual(['rows too_few']);
    // Headings ignore case, spaces, _ and -; a trailing comma is no column.
    expect(await add(csv('Name,COUNTY,Type,contact_name,Contact-Phone,', '甲学会,city,society,李,13903730000,'))).toHaveLength(1);
  });

  it('caps an import at 100 rows', async () => {
    const { add, organizations } = setup();
    const rows = Array.from({ length: 101 }, (_, i) => `学会${i},city,society`);
    expect(await issuesOf(add(csv('name,county,type', ...rows)))).toEqual(['rows too_many']);
    expect(await add(csv('name,county,type', ...rows.slice(1)))).toHaveLength(100);
    expect(organizations.writes).toBe(1);
  });

  it('refuses a name a unit of the same county has, listed or earlier in the request', async () => {
    const { add } = setup();
    await add(json({ name: '新乡市天文学会', county: 'city', type: 'society' }));
    expect(
      await issuesOf(
        add(csv('name,county,type', '市科协,city,association', '新乡市 天文学会,city,society', '获嘉县学会,huojia,society', '获嘉县学会,huojia,other', '获嘉县学会,yanjin,society')),
      ),
    ).toEqual(['rows.1.name duplicate_item', 'rows.2.name duplicate_item', 'rows.4.name duplicate_item']);
    // Even when the row fails otherwise, and in English too (the definition's names).
    expect(await issuesOf(add(json([{ name: 'Xinxiang Association for Science and Technology', county: 'city', type: 'x' }])))).toEqual([
      '0.name duplicate_item',
      '0.type invalid_option',
    ]);
  });

  it('answers 409 when the store finds an id taken', async () => {
    const organizations = new InMemoryDirectory();
    organizations.add = async () => {
      throw new ConflictError('taken');
    };
    await expect(
      addOrganizations({ principal: admin, campaignId: campaign.id, body: () => json({ name: '甲学会', county: 'city', type: 'society' }) }, { campaigns, organizations, clock }),
    ).rejects.toBeInstanceOf(ConflictError);
  });
});

describe('Function: updateOrganization', () => {
  const setupSettings = () => {
    const settings = new InMemorySettings();
    const deps = { campaigns, organizations: new InMemoryDirectory(), settings, clock };
    const patch = (principal: Principal, organizationId: string, ifMatch: number | undefined, body: unknown) =>
      updateOrganization({ principal, campaignId: campaign.id, organizationId, ifMatch, body }, deps);
    return { settings, patch, deps };
  };
  const hongqi = who('hongqi-kx', 'organizer');

  it('lets the unit’s organizer change settings from version 0, then merge-patch with null removing', async () => {
    const { patch } = setupSettings();
    const first = await patch(hongqi, 'hongqi-kx', 0, { contact: { name: '张 老师', phone: '０３７３－５８２０６５６' }, webhookUrl: 'https://hooks.example.cn/科普' });
    expect(first.settings).toEqual({
      campaignId: campaign.id,
      organizationId: 'hongqi-kx',
      version: 1,
      contact: { name: '张 老师', phone: '0373-5820656' },
      webhookUrl: 'https://hooks.example.cn/科普',
      updatedAt: '2021-09-01T01:00:00.000Z',
      updatedBy: 'u-hongqi-kx',
    });
    expect(first.organization).toMatchObject({ organizationId: 'hongqi-kx', name: '红旗区科协' });
    const second = await patch(admin, 'hongqi-kx', 1, { webhookUrl: null });
    expect(second.settings).toMatchObject({ version: 2, contact: { name: '张 老师' }, updatedBy: 'u-city-kx' });
    expect(second.settings).not.toHaveProperty('webhookUrl');
  });

  it('stores nothing for a patch that changes nothing', async () => {
    const { patch, settings } = setupSettings();
    expect((await patch(hongqi, 'hongqi-kx', 0, {})).settings.version).toBe(0);
    expect(settings.items.size).toBe(0);
    await patch(hongqi, 'hongqi-kx', 0, { contact: { name: '张', phone: '13903730000' } });
    expect((await patch(hongqi, 'hongqi-kx', 1, { contact: { phone: '13903730000', name: '张' }, webhookUrl: null })).settings.version).toBe(1);
  });

  it('needs If-Match (428), the current one (412), and a valid patch (422)', async () => {
    const { patch } = setupSettings();
    await expect(patch(hongqi, 'hongqi-kx', undefined, {})).rejects.toBeInstanceOf(VersionRequiredError);
    await expect(patch(hongqi, 'hongqi-kx', 1, {})).rejects.toMatchObject({ status: 412, currentVersion: 0 });
    await expect(patch(hongqi, 'hongqi-kx', 0, { webhookUrl: 'http://hooks.example.cn/x', name: 'x' })).rejects.toMatchObject({
      issues: [
        { path: 'webhookUrl', code: 'https_required' },
        { path: 'name', code: 'unrecognized_key' },
      ],
    });
  });

  it('answers another unit’s organizer 404, reviewers and analysts 403, a missing unit 404', async () => {
    const { patch } = setupSettings();
    await expect(patch(who('weibin-kx', 'organizer'), 'hongqi-kx', 0, {})).rejects.toBeInstanceOf(NotFoundError);
    await expect(patch(who('hongqi-kx', 'reviewer'), 'hongqi-kx', 0, {})).rejects.toBeInstanceOf(ForbiddenError);
    await expect(patch(who('hongqi-kx', 'analyst'), 'hongqi-kx', 0, {})).rejects.toBeInstanceOf(ForbiddenError);
    await expect(patch(admin, 'nowhere-kx', 0, {})).rejects.toBeInstanceOf(NotFoundError);
    await expect(patch(who('nowhere-kx', 'organizer'), 'nowhere-kx', 0, {})).rejects.toBeInstanceOf(NotFoundError);
  });

  it('works for units added at run time', async () => {
    const { patch, deps } = setupSettings();
    const {
      value: [unit],
    } = await addOrganizations(
      { principal: admin, campaignId: campaign.id, body: () => json({ name: '新乡市天文学会', county: 'city', type: 'society' }) },
      deps,
    );
    const id = unit?.organizationId ?? '';
    expect((await patch(who(id, 'organizer'), id, 0, { webhookUrl: 'https://hooks.example.cn/x' })).settings.version).toBe(1);
  });
});
