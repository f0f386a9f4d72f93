import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { handler as getInboxHandler } from '../../../functions/get-inbox/handler';
import { handler as grantExtensionHandler } from '../../../functions/grant-extension/handler';
import { handler as listFlagsHandler } from '../../../functions/list-flags/handler';
import { handler as waiveFlagHandler } from '../../../functions/waive-flag/handler';
import type { Principal, Role } from '../../../shared/auth/principal';
import { xinxiang2021 } from '../../../shared/campaigns/2021-xinxiang';
import type { ActivityRecord } from '../../../shared/domain/activity';
import { loadCampaign, type Campaign } from '../../../shared/domain/campaign';
import type { InboxMessage } from '../../../shared/domain/inbox';
import { ISSUE_CODES } from '../../../shared/domain/issues';
import { issueMessage } from '../../../shared/domain/issue-messages';
import { BadRequestError, ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../../../shared/errors';
import { conflictProblem } from '../../../shared/http/conflict-problem';
import { extensionView } from '../../../shared/http/extension-views';
import { flagView } from '../../../shared/http/flag-views';
import { inboxMessageView } from '../../../shared/http/inbox-views';
import type { ActivityRepository } from '../../../shared/repositories/activity-repository';
import type { AuditEntry, AuditRepository } from '../../../shared/repositories/audit-repository';
import { fixedCampaignCatalog } from '../../../shared/repositories/cached-campaign-catalog';
import type { ExtensionRecord, ExtensionRepository } from '../../../shared/repositories/extension-repository';
import { extensionItem } from '../../../shared/repositories/extension-repository';
import {
  FlagAlreadyWaivedError,
  type FlagListQuery,
  type FlagRepository,
  type FoundFlag,
  type StoredFlag,
  type Waiver,
} from '../../../shared/repositories/flag-repository';
import type { InboxQuery, InboxReader } from '../../../shared/repositories/inbox-repository';
import { keys } from '../../../shared/repositories/keys';
import type { Organization, OrganizationDirectory } from '../../../shared/repositories/organization-repository';
import { flagSchema } from '../../../shared/schemas/flag.schema';
import { getInbox } from '../../../shared/use-cases/get-inbox';
import { grantExtension } from '../../../shared/use-cases/grant-extension';
import { listFlags, parseFlagFilters } from '../../../shared/use-cases/list-flags';
import { actorOf, recordAuditEntry } from '../../../shared/use-cases/record-audit-entry';
import { waiveFlag } from '../../../shared/use-cases/waive-flag';
import { context } from '../../helpers/context';
import { getSample } from '../../helpers/samples';

// The handlers read the stored campaigns through the process's cached catalog (ADR 0023): here the
// seed campaigns, in memory, so these answers still need no I/O.
jest.mock('../../../shared/clients/campaign-catalog', () => ({
  ...jest.requireActual<object>('../../../shared/clients/campaign-catalog'),
  campaignCatalogOf: () => jest.requireActual<typeof import('../../../shared/campaigns/catalog')>('../../../shared/campaigns/catalog').campaignCatalog,
}));

const campaign = loadCampaign(xinxiang2021);
const campaigns = fixedCampaignCatalog([campaign]);
const clock = { now: () => new Date('2021-10-25T01:00:00.000Z') };
const who = (orgId: string, ...roles: Role[]): Principal => ({ sub: `u-${orgId}-${roles.join('-')}`, orgId, roles: new Set(roles), city: 'xinxiang' });
const admin = who('city-kx', 'admin');
const reviewer = who('city-kx', 'reviewer');
const organizer = who('hongqi-kx', 'organizer');
const analyst = who('city-kx', 'analyst');

const flag = (over: Partial<StoredFlag> = {}): StoredFlag => ({
  flagId: 'f'.repeat(32),
  code: 'registration-late',
  campaignId: campaign.id,
  organizationId: 'hongqi-kx',
  activityId: 'act-1',
  milestone: 'registration',
  raisedAt: '2021-09-26T01:00:00.000Z',
  lateBySeconds: 90_000,
  waived: false,
  ...over,
});

class FakeFlags implements FlagRepository {
  public readonly queries: FlagListQuery[] = [];
  public readonly waivers: Array<{ found: FoundFlag; waiver: Waiver }> = [];
  public finds = 0;
  public constructor(private readonly stored: StoredFlag[] = []) {}
  public async list(query: FlagListQuery) {
    this.queries.push(query);
    return { items: this.stored, nextCursor: null };
  }
  public async find(flagId: string) {
    this.finds += 1;
    const f = this.stored.find((s) => s.flagId === flagId);
    return f ? { key: keys.activityFlag(f.activityId ?? '', f.milestone, f.code), flag: f } : undefined;
  }
  public async waive(found: FoundFlag, waiver: Waiver) {
    this.waivers.push({ found, waiver });
    return { ...found.flag, waived: true, waivedReason: waiver.reason, waivedBy: waiver.by, waivedAt: waiver.at };
  }
}

describe('Function: parseFlagFilters', () => {
  it('keeps the four filters, typed, and ignores limit and cursor', () => {
    expect(parseFlagFilters({ code: 'summary-late', organizationId: 'hongqi-kx', milestone: 'completion', waived: 'false', limit: '5', cursor: 'x' })).toEqual({
      code: 'summary-late',
      organizationId: 'hongqi-kx',
      milestone: 'completion',
      waived: false,
    });
    expect(parseFlagFilters({ waived: 'true' })).toEqual({ waived: true });
    expect(parseFlagFilters({})).toEqual({});
  });

  it.each([
    ['code', 'late'],
    ['organizationId', 'a b'],
    ['milestone', 'summary'],
    ['waived', 'yes'],
  ])('answers 400 naming %s when it is %s', (name, value) => {
    expect(() => parseFlagFilters({ [name]: value })).toThrow(BadRequestError);
    expect(() => parseFlagFilters({ [name]: value })).toThrow(new RegExp(`query parameter ${name} must be`));
  });
});

describe('Function: listFlags', () => {
  it('lists for reviewers and admins with the filters parsed', async () => {
    // Prepare
    const flags = new FakeFlags([flag()]);

    // Act
    const { page } = await listFlags({ principal: reviewer, campaignId: campaign.id, query: { code: 'registration-late', waived: 'false' }, limit: 5, cursor: 'c' }, { campaigns, flags });
    await listFlags({ principal: admin, campaignId: campaign.id, query: {}, limit: 20 }, { campaigns, flags });

    // Assess
    expect(page.items).toHaveLength(1);
    expect(flags.queries).toEqual([
      { campaignId: campaign.id, filters: { code: 'registration-late', waived: false }, limit: 5, cursor: 'c' },
      { campaignId: campaign.id, filters: {}, limit: 20 },
    ]);
  });

  it('refuses organizers and analysts (403) before reading, and answers 404 for an unknown campaign', async () => {
    const flags = new FakeFlags();
    for (const principal of [organizer, analyst]) {
      await expect(listFlags({ principal, campaignId: campaign.id, query: {}, limit: 20 }, { campaigns, flags })).rejects.toBeInstanceOf(ForbiddenError);
    }
    await expect(listFlags({ principal: admin, campaignId: 'nope', query: {}, limit: 20 }, { campaigns, flags })).rejects.toBeInstanceOf(NotFoundError);
    await expect(listFlags({ principal: admin, campaignId: campaign.id, query: { waived: '1' }, limit: 20 }, { campaigns, flags })).rejects.toBeInstanceOf(BadRequestError);
    expect(flags.queries).toEqual([]);
  });
});

describe('Function: waiveFlag', () => {
  const reason = '该单位因台风停电，经核实同意豁免。';

  it('waives as the admin, at the clock’s time, with the reason', async () => {
    // Prepare
    const flags = new FakeFlags([flag()]);

    // Act
    const { flag: waived } = await waiveFlag({ principal: admin, flagId: 'f'.repeat(32), body: { reason: `  ${reason} ` } }, { campaigns, flags, clock });

    // Assess
    expect(flags.waivers).toEqual([
      { found: { key: keys.activityFlag('act-1', 'registration', 'registration-late'), flag: flag() }, waiver: { reason, by: admin.sub, at: '2021-10-25T01:00:00.000Z' } },
    ]);
    expect(waived).toMatchObject({ waived: true, waivedReason: reason, waivedBy: admin.sub, waivedAt: '2021-10-25T01:00:00.000Z' });
    expect(flagSchema.safeParse(waived).success).toBe(true);
  });

  it('is for admins only (403), even for a flag that does not exist', async () => {
    const flags = new FakeFlags([flag()]);
    for (const principal of [reviewer, organizer, analyst]) {
      await expect(waiveFlag({ principal, flagId: 'f'.repeat(32), body: { reason } }, { campaigns, flags, clock })).rejects.toBeInstanceOf(ForbiddenError);
    }
    expect(flags.finds).toBe(0);
  });

  it('answers 422 for a reason too short or an unknown field', async () => {
    const flags = new FakeFlags([flag()]);
    const error = await waiveFlag({ principal: admin, flagId: 'f'.repeat(32), body: { reason: '太短', waived: false } }, { campaigns, flags, clock }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).issues.map((i) => [i.path, i.code])).toEqual([
      ['reason', 'too_short'],
      ['waived', 'unrecognized_key'],
    ]);
  });

  it('answers 404 for an unknown flag, without a read for an id no flag can have', async () => {
    const flags = new FakeFlags([flag()]);
    await expect(waiveFlag({ principal: admin, flagId: 'unknown', body: { reason } }, { campaigns, flags, clock })).rejects.toBeInstanceOf(NotFoundError);
    expect(flags.finds).toBe(1);
    await expect(waiveFlag({ principal: admin, flagId: '../x', body: { reason } }, { campaigns, flags, clock })).rejects.toBeInstanceOf(NotFoundError);
    expect(flags.finds).toBe(1);
  });

  it('answers 409 flag_already_waived for a flag waived before, and writes nothing', async () => {
    const flags = new FakeFlags([flag({ waived: true, waivedReason: reason })]);
    const error = await waiveFlag({ principal: admin, flagId: 'f'.repeat(32), body: { reason } }, { campaigns, flags, clock }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlagAlreadyWaivedError);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as FlagAlreadyWaivedError).issues).toEqual([{ path: 'flagId', code: 'flag_already_waived', params: { value: 'f'.repeat(32) } }]);
    expect(flags.waivers).toEqual([]);
  });

  it('answers another city’s admin 404 for a flag, exactly as an unknown flag (waived or not), and writes nothing', async () => {
    const elsewhere = { ...admin, city: 'anyang' };
    for (const stored of [flag(), flag({ waived: true, waivedReason: reason })]) {
      const flags = new FakeFlags([stored]);
      await expect(waiveFlag({ principal: elsewhere, flagId: 'f'.repeat(32), body: { reason } }, { campaigns, flags, clock })).rejects.toThrow(`flag ${'f'.repeat(32)} not found`);
      expect(flags.waivers).toEqual([]);
    }
  });

  it('answers 409 campaign_closed for a flag of a closed campaign, and writes nothing', async () => {
    const flags = new FakeFlags([flag()]);
    const closed = fixedCampaignCatalog([loadCampaign(xinxiang2021, 'closed')]);
    await expect(waiveFlag({ principal: admin, flagId: 'f'.repeat(32), body: { reason } }, { campaigns: closed, flags, clock })).rejects.toMatchObject({
      status: 409,
      code: 'campaign_closed',
    });
    expect(flags.waivers).toEqual([]);
  });
});

describe('Function: conflictProblem', () => {
  it('answers 409 problem+json with the specific code, in the caller’s language', () => {
    const event = { headers: { 'accept-language': 'en' } } as never;
    const response = conflictProblem(event, new FlagAlreadyWaivedError('abc')) as { statusCode: number; headers: Record<string, string>; body: string };
    expect(response.statusCode).toBe(409);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(response.body)).toMatchObject({
      status: 409,
      title: 'The request conflicts with the current state',
      errors: [{ path: 'flagId', code: 'flag_already_waived', message: 'This flag is already waived: abc' }],
    });
  });
});

class Directory implements OrganizationDirectory {
  public async list(c: Campaign): Promise<Organization[]> {
    return c.organizations.map((o) => ({ organizationId: o.organizationId, name: o.name.zh, county: o.county, type: o.type }));
  }
  public async find(c: Campaign, id: string) {
    return (await this.list(c)).find((o) => o.organizationId === id);
  }
  public async add() {}
}

const activityOf = (activityId: string, organizationId: string, campaignId = campaign.id): ActivityRecord => ({
  activityId,
  campaignId,
  organizationId,
  status: 'draft',
  version: 1,
  createdAt: '2021-09-01T00:00:00.000Z',
  createdBy: 'u',
  updatedAt: '2021-09-01T00:00:00.000Z',
  updatedBy: 'u',
  fields: {},
});

describe('Function: grantExtension', () => {
  const stored: Record<string, ActivityRecord> = {
    'act-hongqi': activityOf('act-hongqi', 'hongqi-kx'),
    'act-other-campaign': activityOf('act-other-campaign', 'hongqi-kx', '2022-xinxiang'),
  };
  const activities: Pick<ActivityRepository, 'get'> = {
    get: async (id) => (stored[id] ? { activity: stored[id], flags: [] } : undefined),
  };
  const deps = () => {
    const granted: ExtensionRecord[] = [];
    const extensions: ExtensionRepository = { grant: async (e) => void granted.push(e), grantedBy: async () => undefined };
    return { granted, deps: { campaigns, organizations: new Directory(), activities, extensions, clock, newId: () => '00000000-0000-4000-8000-000000000001' } };
  };
  const body = { organizationId: 'hongqi-kx', milestone: 'registration', until: '2021-10-31T23:59:59+08:00', reason: '受台风影响，延期一周登记。' };

  it('stores one grant by the admin, `until` in UTC', async () => {
    // Prepare
    const { granted, deps: d } = deps();

    // Act
    const { extension } = await grantExtension({ principal: admin, campaignId: campaign.id, body: { ...body, activityId: 'act-hongqi' } }, d);

    // Assess
    expect(granted).toEqual([extension]);
    expect(extension).toEqual({
      extensionId: '00000000-0000-4000-8000-000000000001',
      campaignId: campaign.id,
      organizationId: 'hongqi-kx',
      activityId: 'act-hongqi',
      milestone: 'registration',
      until: '2021-10-31T15:59:59.000Z',
      reason: '受台风影响，延期一周登记。',
      grantedBy: admin.sub,
      grantedAt: '2021-10-25T01:00:00.000Z',
    });
    expect(extensionItem(extension)).toMatchObject({
      pk: keys.extensionsOfOrganization(campaign.id, 'hongqi-kx'),
      sk: `EXT#2021-10-25T01:00:00.000Z#${extension.extensionId}`,
      entity: 'Extension',
      organizationId: 'hongqi-kx',
      activityId: 'act-hongqi',
      milestone: 'registration',
      until: '2021-10-31T15:59:59.000Z',
    });
  });

  it('is for admins only (403) and needs a known campaign (404)', async () => {
    const { granted, deps: d } = deps();
    for (const principal of [reviewer, organizer, analyst]) {
      await expect(grantExtension({ principal, campaignId: campaign.id, body }, d)).rejects.toBeInstanceOf(ForbiddenError);
    }
    await expect(grantExtension({ principal: admin, campaignId: 'nope', body }, d)).rejects.toBeInstanceOf(NotFoundError);
    expect(granted).toEqual([]);
  });

  it('answers another city’s admin 404 and refuses a closed campaign with 409 campaign_closed, storing nothing', async () => {
    const { granted, deps: d } = deps();
    await expect(grantExtension({ principal: { ...admin, city: 'anyang' }, campaignId: campaign.id, body }, d)).rejects.toBeInstanceOf(NotFoundError);
    const closed = { ...d, campaigns: fixedCampaignCatalog([loadCampaign(xinxiang2021, 'closed')]) };
    await expect(grantExtension({ principal: admin, campaignId: campaign.id, body }, closed)).rejects.toMatchObject({ status: 409, code: 'campaign_closed' });
    expect(granted).toEqual([]);
  });

  it('answers 422 for a body the campaign refuses', async () => {
    const { deps: d } = deps();
    const error = await grantExtension({ principal: admin, campaignId: campaign.id, body: { ...body, until: '2021-09-20T00:00:00+08:00', reason: '短', grantedBy: 'x' } }, d).catch((e: unknown) => e);
    expect((error as InvalidInputError).issues.map((i) => [i.path, i.code]).sort()).toEqual([
      ['grantedBy', 'unrecognized_key'],
      ['reason', 'too_short'],
      ['until', 'until_not_after_deadline'],
    ]);
  });

  it.each([
    ['an unknown unit', { organizationId: 'no-such-unit' }, [['organizationId', 'unknown_organization']]],
    ['an unknown activity', { activityId: 'act-missing' }, [['activityId', 'unknown_activity']]],
    ['another unit’s activity', { organizationId: 'weibin-kx', activityId: 'act-hongqi' }, [['activityId', 'unknown_activity']]],
    ['another campaign’s activity', { activityId: 'act-other-campaign' }, [['activityId', 'unknown_activity']]],
    ['an unknown unit and activity', { organizationId: 'no-such-unit', activityId: 'act-hongqi' }, [['organizationId', 'unknown_organization'], ['activityId', 'unknown_activity']]],
  ])('answers 422 for %s, and stores nothing', async (_what, change, expected) => {
    const { granted, deps: d } = deps();
    const error = await grantExtension({ principal: admin, campaignId: campaign.id, body: { ...body, ...change } }, d).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).issues.map((i) => [i.path, i.code])).toEqual(expected);
    expect(granted).toEqual([]);
  });
});

describe('Function: getInbox', () => {
  const message = (n: number): InboxMessage => ({
    messageId: `m${n}`,
    campaignId: campaign.id,
    organizationId: 'hongqi-kx',
    kind: 'reminder',
    milestone: 'registration',
    scheduleId: `s${n}`,
    title: { zh: '提醒', en: 'Reminder' },
    text: { zh: '尚未登记任何活动。', en: 'No activity registered yet.' },
    gaps: { noActivity: true },
    at: '2021-09-20T01:00:00.000Z',
    createdAt: '2021-09-20T01:00:02.000Z',
  });
  const reader = () => {
    const queries: InboxQuery[] = [];
    const inbox: InboxReader = { list: async (q) => (queries.push(q), { items: [message(1)], nextCursor: null }) };
    return { queries, deps: { campaigns, organizations: new Directory(), inbox } };
  };

  it('answers the unit’s own organizer and admins', async () => {
    const { queries, deps } = reader();
    const own = await getInbox({ principal: organizer, campaignId: campaign.id, organizationId: 'hongqi-kx', limit: 5, cursor: 'c' }, deps);
    await getInbox({ principal: admin, campaignId: campaign.id, organizationId: 'hongqi-kx', limit: 20 }, deps);
    expect(own.page.items).toEqual([message(1)]);
    expect(queries).toEqual([
      { campaignId: campaign.id, organizationId: 'hongqi-kx', limit: 5, cursor: 'c' },
      { campaignId: campaign.id, organizationId: 'hongqi-kx', limit: 20 },
    ]);
  });

  it('answers another unit’s organizer 404 as for a missing unit, reviewers and analysts 403', async () => {
    const { queries, deps } = reader();
    const ask = (principal: Principal, organizationId = 'hongqi-kx') => getInbox({ principal, campaignId: campaign.id, organizationId, limit: 20 }, deps);
    await expect(ask(who('weibin-kx', 'organizer'))).rejects.toBeInstanceOf(NotFoundError);
    await expect(ask(organizer, 'no-such-unit')).rejects.toBeInstanceOf(NotFoundError);
    await expect(ask(admin, 'no-such-unit')).rejects.toBeInstanceOf(NotFoundError);
    await expect(ask(reviewer)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(ask(analyst)).rejects.toBeInstanceOf(ForbiddenError);
    expect(queries).toEqual([]);
  });

  it('is viewed with its instants in +08:00', () => {
    expect(inboxMessageView(message(1), campaign)).toMatchObject({ at: '2021-09-20T09:00:00+08:00', createdAt: '2021-09-20T09:00:02+08:00', gaps: { noActivity: true } });
  });
});

describe('Views: flags and extensions', () => {
  it('renders a waived flag’s instants in +08:00, and a fresh one without waiver fields', () => {
    const waived = flag({ waived: true, waivedReason: '同意豁免的理由', waivedBy: 'admin-1', waivedAt: '2021-10-25T01:00:00.000Z' });
    expect(flagView(waived, campaign)).toEqual({
      ...waived,
      raisedAt: '2021-09-26T09:00:00+08:00',
      waivedAt: '2021-10-25T09:00:00+08:00',
    });
    expect(flagSchema.safeParse(flagView(waived, campaign)).success).toBe(true);
    expect(Object.keys(flagView(flag(), campaign))).not.toContain('waivedAt');
  });

  it('renders an extension’s until and grantedAt in +08:00', () => {
    const view = extensionView(
      { extensionId: 'e', campaignId: campaign.id, organizationId: 'hongqi-kx', milestone: 'completion', until: '2021-10-31T15:59:59.000Z', reason: '延期理由五个字', grantedBy: 'a', grantedAt: '2021-10-25T01:00:00.000Z' },
      campaign,
    );
    expect(view).toMatchObject({ until: '2021-10-31T23:59:59+08:00', grantedAt: '2021-10-25T09:00:00+08:00' });
    expect(view).not.toHaveProperty('activityId');
  });
});

describe('Catalog: the codes of flags and extensions', () => {
  it.each(['unknown_organization', 'unknown_activity', 'flag_already_waived'])('has %s in both languages with its value', (code) => {
    expect(ISSUE_CODES).toContain(code);
    expect(issueMessage(code, 'zh-CN', { value: 'x-1' })).toContain('x-1');
    expect(issueMessage(code, 'en', { value: 'x-1' })).toContain('x-1');
  });
});

class InMemoryAudit implements AuditRepository {
  public readonly entries: AuditEntry[] = [];
  public async append(entry: AuditEntry) {
    this.entries.push(entry);
    return 'written' as const;
  }
  public async trail() {
    return this.entries;
  }
}

describe('Function: recordAuditEntry (extensions and waivers)', () => {
  it('names the admin who granted an extension, with the reason among the changes', async () => {
    // Prepare
    const audit = new InMemoryAudit();
    const extension: ExtensionRecord = {
      extensionId: 'e1',
      campaignId: campaign.id,
      organizationId: 'hongqi-kx',
      milestone: 'registration',
      until: '2021-10-31T15:59:59.000Z',
      reason: '受台风影响，延期一周登记。',
      grantedBy: 'admin-7',
      grantedAt: '2021-10-25T01:00:00.000Z',
    };
    const item = extensionItem(extension);

    // Act
    await recordAuditEntry({ eventId: 'e', action: 'created', at: new Date(0), keys: { pk: String(item.pk), sk: String(item.sk) }, newImage: item }, { audit });

    // Assess
    expect(audit.entries).toHaveLength(1);
    expect(audit.entries[0]).toMatchObject({ entity: 'Extension', action: 'created', actor: 'admin-7' });
    expect(audit.entries[0]?.changes).toContainEqual({ path: 'reason', new: '受台风影响，延期一周登记。' });
    expect(audit.entries[0]?.changes).toContainEqual({ path: 'until', new: '2021-10-31T15:59:59.000Z' });
  });

  it('names the admin who waived a flag', async () => {
    const audit = new InMemoryAudit();
    const before = { entity: 'Flag', ...flag() };
    const after = { ...before, waived: true, waivedReason: '同意豁免的理由', waivedBy: 'admin-7', waivedAt: '2021-10-25T01:00:00.000Z' };
    await recordAuditEntry({ eventId: 'w', action: 'updated', at: new Date(0), keys: { pk: 'ACT#act-1', sk: 'FLAG#registration#registration-late' }, oldImage: before, newImage: after }, { audit });
    expect(audit.entries[0]).toMatchObject({ entity: 'Flag', actor: 'admin-7' });
    expect(audit.entries[0]?.changes.map((c) => c.path)).toEqual(['waived', 'waivedAt', 'waivedBy', 'waivedReason']);
  });

  it('leaves out an activity change of its version alone (the open-flag bookkeeping of a waiver or sweep)', async () => {
    const audit = new InMemoryAudit();
    const outcome = await recordAuditEntry(
      {
        eventId: 'v',
        action: 'updated',
        at: new Date(0),
        keys: keys.activity('act-1'),
        oldImage: { entity: 'Activity', title: 't', version: 3, openFlags: 1, updatedBy: 'organizer-1' },
        newImage: { entity: 'Activity', title: 't', version: 4, openFlags: 0, updatedBy: 'organizer-1' },
      },
      { audit },
    );
    expect(outcome).toBe('unchanged');
    expect(audit.entries).toEqual([]);
  });

  it('prefers updatedBy, then waivedBy, then grantedBy, else the system', () => {
    expect(actorOf({ updatedBy: 'u', waivedBy: 'w', grantedBy: 'g' })).toBe('u');
    expect(actorOf({ waivedBy: 'w', grantedBy: 'g' })).toBe('w');
    expect(actorOf({ grantedBy: 'g' })).toBe('g');
    expect(actorOf({ updatedBy: '' })).toBe('system');
  });
});

describe('Functions: list-flags, waive-flag, grant-extension, get-inbox handlers', () => {
  /** A gateway event for `routeKey` by a caller with `roles` (claims flattened as API Gateway does). */
  const event = (routeKey: string, roles: string, extra: Partial<APIGatewayProxyEventV2> = {}): APIGatewayProxyEventV2 => {
    const base = getSample<APIGatewayProxyEventV2>('apigw/get-health.json');
    const [method = 'GET', rawPath = '/'] = routeKey.split(' ');
    return {
      ...base,
      routeKey,
      rawPath,
      headers: { ...base.headers, 'content-type': 'application/json' },
      requestContext: {
        ...base.requestContext,
        routeKey,
        http: { ...base.requestContext.http, method, path: rawPath },
        authorizer: { jwt: { claims: { sub: 'u1', orgId: 'weibin-kx', roles }, scopes: [] } },
      } as APIGatewayProxyEventV2['requestContext'],
      ...extra,
    };
  };
  const call = async (h: (e: APIGatewayProxyEventV2, c: typeof context) => Promise<unknown>, e: APIGatewayProxyEventV2) => {
    const res = (await h(e, context)) as { statusCode: number; headers: Record<string, string>; body: string };
    return { status: res.statusCode, type: res.headers['content-type'], body: JSON.parse(res.body) as { title: string; detail?: string } };
  };

  it('answers a role that may not act 403 problem+json before any I/O', async () => {
    // Prepare
    const cases = [
      [listFlagsHandler, event('GET /v1/campaigns/2021-xinxiang/flags', '[organizer]', { pathParameters: { campaignId: '2021-xinxiang' } })],
      [waiveFlagHandler, event('POST /v1/flags/abc/waive', '[reviewer]', { pathParameters: { flagId: 'abc' }, body: JSON.stringify({ reason: '同意豁免的理由' }) })],
      [grantExtensionHandler, event('POST /v1/campaigns/2021-xinxiang/extensions', '[reviewer]', { pathParameters: { campaignId: '2021-xinxiang' }, body: '{}' })],
      [getInboxHandler, event('GET /v1/campaigns/2021-xinxiang/organizations/hongqi-kx/inbox', '[analyst]', { pathParameters: { campaignId: '2021-xinxiang', orgId: 'hongqi-kx' } })],
    ] as const;

    // Act
    const answers = await Promise.all(cases.map(([h, e]) => call(h, e)));

    // Assess
    for (const a of answers) {
      expect(a.status).toBe(403);
      expect(a.type).toMatch(/^application\/problem\+json/);
      expect(a.body.title).toBe('当前角色无权执行此操作');
    }
  });

  it('answers an organizer of another unit 404 for an inbox, and a bad flag filter 400 naming it', async () => {
    const inbox = await call(getInboxHandler, event('GET /x', '[organizer]', { pathParameters: { campaignId: '2021-xinxiang', orgId: 'hongqi-kx' } }));
    expect(inbox.status).toBe(404);
    const flags = await call(listFlagsHandler, event('GET /x', '[reviewer]', { pathParameters: { campaignId: '2021-xinxiang' }, queryStringParameters: { milestone: 'later' } }));
    expect(flags.status).toBe(400);
    expect(flags.body.detail).toBe('query parameter milestone must be one of registration, completion');
  });
});
