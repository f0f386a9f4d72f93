// The settings PATCH's webhook rules (SSRF): IP hosts judged at once, host names by DNS,
// loopback only under the local runtime's policy.
import type { Principal } from '../../../shared/auth/principal';
import { xinxiang2021 } from '../../../shared/campaigns/2021-xinxiang';
import { loadCampaign, type Campaign } from '../../../shared/domain/campaign';
import { issueMessage } from '../../../shared/domain/issue-messages';
import { InvalidInputError, StaleVersionError } from '../../../shared/errors';
import { fixedCampaignCatalog } from '../../../shared/repositories/cached-campaign-catalog';
import type {
  Organization,
  OrganizationDirectory,
  OrganizationSettings,
  OrganizationSettingsStore,
} from '../../../shared/repositories/organization-repository';
import { organizationSchemas } from '../../../shared/schemas/organization.schema';
import { updateOrganization, type UpdateOrganizationDeps } from '../../../shared/use-cases/update-organization';

const campaign = loadCampaign(xinxiang2021);
const hongqi: Principal = { sub: 'u-hongqi', orgId: 'hongqi-kx', roles: new Set(['organizer']), city: 'xinxiang' };

const directory: OrganizationDirectory = {
  list: async (c: Campaign): Promise<Organization[]> =>
    c.organizations.map((o) => ({ organizationId: o.organizationId, name: o.name.zh, county: o.county, type: o.type })),
  find: async (c: Campaign, id: string) => (await directory.list(c)).find((o) => o.organizationId === id),
  add: async () => undefined,
};

class InMemorySettings implements OrganizationSettingsStore {
  public readonly items = new Map<string, OrganizationSettings>();
  public async get(campaignId: string, organizationId: string): Promise<OrganizationSettings> {
    return this.items.get(organizationId) ?? { campaignId, organizationId, version: 0 };
  }
  public async put(s: OrganizationSettings, expected: number) {
    if ((await this.get(s.campaignId, s.organizationId)).version !== expected) throw new StaleVersionError(expected);
    this.items.set(s.organizationId, s);
  }
}

function setup(extra: Partial<UpdateOrganizationDeps> = {}) {
  const settings = new InMemorySettings();
  const deps: UpdateOrganizationDeps = {
    campaigns: fixedCampaignCatalog([campaign]),
    organizations: directory,
    settings,
    clock: { now: () => new Date('2021-09-01T01:00:00.000Z') },
    ...extra,
  };
  const patch = (body: unknown) => updateOrganization({ principal: hongqi, campaignId: campaign.id, organizationId: 'hongqi-kx', ifMatch: 0, body }, deps);
  return { settings, patch };
}

/** The `path code` pairs of a rejected patch. */
async function issuesOf(p: Promise<unknown>): Promise<string[]> {
  const error = await p.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof InvalidInputError)) throw new Error(`expected InvalidInputError, got ${String(error)}`);
  return error.issues.map((i) => `${i.path} ${i.code}`);
}

describe('Function: updateOrganization (webhookUrl)', () => {
  it.each([
    'https://10.0.0.1/',
    'http://169.254.169.254/',
    'https://169.254.169.254/latest/meta-data/',
    'https://[::1]/',
    'https://[::ffff:127.0.0.1]/',
    'https://2130706433/',
    'https://0x7f.1/',
    'https://localhost/',
    'http://127.0.0.1:8080/hook',
    'https://[fd00::1]/',
    'https://100.64.0.1/',
  ])('refuses %s outside the local runtime (422 webhookUrl), storing nothing', async (url) => {
    const { patch, settings } = setup();
    expect(await issuesOf(patch({ webhookUrl: url }))).toEqual(['webhookUrl webhook_address_not_allowed']);
    expect(settings.items.size).toBe(0);
  });

  it('accepts loopback receivers where the policy allows them, and nothing else private', async () => {
    const local = { webhookPolicy: { allowLoopback: true } };
    expect((await setup(local).patch({ webhookUrl: 'http://127.0.0.1:8080/hook' })).settings.webhookUrl).toBe('http://127.0.0.1:8080/hook');
    expect((await setup(local).patch({ webhookUrl: 'https://[::1]/' })).settings.webhookUrl).toBe('https://[::1]/');
    expect((await setup(local).patch({ webhookUrl: 'http://localhost:3000/' })).settings.webhookUrl).toBe('http://localhost:3000/');
    expect(await issuesOf(setup(local).patch({ webhookUrl: 'https://10.0.0.1/' }))).toEqual(['webhookUrl webhook_address_not_allowed']);
    expect(await issuesOf(setup(local).patch({ webhookUrl: 'http://169.254.169.254/' }))).toEqual(['webhookUrl webhook_address_not_allowed']);
    expect(await issuesOf(setup(local).patch({ webhookUrl: 'http://hooks.example.cn/' }))).toEqual(['webhookUrl https_required']);
  });

  it('resolves a host name and refuses it when any address is not public', async () => {
    // Prepare: what DNS says of each name.
    const dns: Record<string, string[] | undefined> = {
      'qyapi.weixin.qq.com': ['101.91.22.57'],
      'rebind.example.cn': ['101.91.22.57', '10.1.2.3'],
      'metadata.example.cn': ['::ffff:169.254.169.254'],
      'loopback.example.cn': ['127.0.0.1'],
    };
    const asked: string[] = [];
    const resolveHost = async (host: string) => {
      asked.push(host);
      return dns[host];
    };
    const strict = { resolveHost };

    // Act + Assess
    expect((await setup(strict).patch({ webhookUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k' })).settings.version).toBe(1);
    expect(await issuesOf(setup(strict).patch({ webhookUrl: 'https://rebind.example.cn/x' }))).toEqual(['webhookUrl webhook_address_not_allowed']);
    expect(await issuesOf(setup(strict).patch({ webhookUrl: 'https://metadata.example.cn/x' }))).toEqual(['webhookUrl webhook_address_not_allowed']);
    expect(await issuesOf(setup(strict).patch({ webhookUrl: 'https://loopback.example.cn/x' }))).toEqual(['webhookUrl webhook_address_not_allowed']);
    // Loopback by DNS is as good as a loopback literal where loopback is allowed.
    expect((await setup({ ...strict, webhookPolicy: { allowLoopback: true } }).patch({ webhookUrl: 'https://loopback.example.cn/x' })).settings.version).toBe(1);
    // A name that does not resolve (yet) is accepted: delivery checks it again.
    expect((await setup(strict).patch({ webhookUrl: 'https://not-yet.example.cn/x' })).settings.webhookUrl).toBe('https://not-yet.example.cn/x');
    // IP hosts and removals need no DNS.
    await setup(strict).patch({ webhookUrl: null });
    await issuesOf(setup(strict).patch({ webhookUrl: 'https://10.0.0.1/' }));
    expect(asked).toEqual([
      'qyapi.weixin.qq.com',
      'rebind.example.cn',
      'metadata.example.cn',
      'loopback.example.cn',
      'loopback.example.cn',
      'not-yet.example.cn',
    ]);
  });

  it('lists the DNS refusal together with every other failing field', async () => {
    const { patch } = setup({ resolveHost: async () => ['192.168.1.10'] });
    expect(await issuesOf(patch({ webhookUrl: 'https://robot.example.cn/', contact: { name: '李', phone: '0373-58' } }))).toEqual([
      'contact.phone invalid_phone',
      'webhookUrl webhook_address_not_allowed',
    ]);
  });

  it('has a message in Chinese and English', () => {
    expect(issueMessage('webhook_address_not_allowed')).toMatch(/内网/);
    expect(issueMessage('webhook_address_not_allowed', 'en')).toMatch(/private, loopback, link-local/);
  });
});

describe('Schema: organization settings (webhookUrl)', () => {
  it('refuses private and loopback IP hosts, odd spellings included', () => {
    const { settings } = organizationSchemas(campaign);
    for (const url of ['https://10.0.0.1/', 'https://0177.0.0.1/', 'https://[64:ff9b::a9fe:a9fe]/']) {
      expect(settings.safeParse({ webhookUrl: url }).success).toBe(false);
    }
    expect(settings.parse({ webhookUrl: ' https://hooks.example.cn/科普 ' }).webhookUrl).toBe('https://hooks.example.cn/科普');
  });
});
