import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { handler as getUnitStatusHandler } from '../../../functions/get-unit-status/handler';
import type { Principal, Role } from '../../../shared/auth/principal';
import { xinxiang2021 } from '../../../shared/campaigns/2021-xinxiang';
import { findCampaign } from '../../../shared/campaigns/index';
import type { ActivityRecord, FlagRecord, ResultsRecord } from '../../../shared/domain/activity';
import { loadCampaign, type Campaign } from '../../../shared/domain/campaign';
import { fixedClock } from '../../../shared/domain/clock';
import { FLAG_GUIDE } from '../../../shared/domain/flag-guide';
import { reminderText, type InboxMessage } from '../../../shared/domain/inbox';
import type { MediaRecord } from '../../../shared/domain/media';
import type { ActivityStatus } from '../../../shared/domain/activity';
import type { ExtensionFacts } from '../../../shared/domain/rules';
import { ForbiddenError, NotFoundError } from '../../../shared/errors';
import { unitStatusView } from '../../../shared/http/unit-status-views';
import type { ActivityListQuery } from '../../../shared/repositories/activity-repository';
import { fixedCampaignCatalog } from '../../../shared/repositories/cached-campaign-catalog';
import type { FlagListQuery, StoredFlag } from '../../../shared/repositories/flag-repository';
import type { Organization } from '../../../shared/repositories/organization-repository';
import type { SweepStore, SweptActivity } from '../../../shared/repositories/sweep-repository';
import { getUnitStatus, secondsLeft, type GetUnitStatusDeps } from '../../../shared/use-cases/get-unit-status';
import { remindUnit } from '../../../shared/use-cases/remind-unit';
import { context } from '../../helpers/context';
import { getSample } from '../../helpers/samples';

// The handlers read the stored campaigns through the process's cached catalog (ADR 0023): here the
// seed campaigns, in memory, so these answers still need no I/O.
jest.mock('../../../shared/clients/campaign-catalog', () => ({
  ...jest.requireActual<object>('../../../shared/clients/campaign-catalog'),
  campaignCatalogOf: () => jest.requireActual<typeof import('../../../shared/campaigns/catalog')>('../../../shared/campaigns/catalog').campaignCatalog,
}));

const campaign = findCampaign('2021-xinxiang') as Campaign;
const ORG = 'hongqi-kx';
const who = (orgId: string, ...roles: Role[]): Principal => ({ sub: `u-${orgId}-${roles.join('-')}`, orgId, roles: new Set(roles), city: 'xinxiang' });

/** The sweeps' store in memory: what the reminders read (and write, for the parity test). */
class MemoryStore implements SweepStore {
  public readonly activities: SweptActivity[] = [];
  public readonly evidenceOf = new Map<string, { results?: ResultsRecord; media: MediaRecord[] }>();
  public readonly inbox: InboxMessage[] = [];
  public summary?: string;
  public reads = 0;

  public async dueActivities() {
    this.reads += 1;
    return this.activities.filter((a) => a.status !== 'completed');
  }
  public async findRegistered(_c: string, _o: string, by: Date, accept: (a: SweptActivity) => boolean) {
    this.reads += 1;
    return this.activities.find((a) => a.submittedAt !== undefined && a.submittedAt <= by.toISOString() && accept(a));
  }
  public async summarySubmittedAt() {
    this.reads += 1;
    return this.summary;
  }
  public async evidence(activityId: string) {
    this.reads += 1;
    return this.evidenceOf.get(activityId) ?? { media: [] };
  }
  public async raiseActivityFlag(): Promise<boolean> {
    throw new Error('the status route never raises a flag');
  }
  public async raiseUnitFlag(): Promise<boolean> {
    throw new Error('the status route never raises a flag');
  }
  public async settle(): Promise<void> {
    throw new Error('the status route never settles');
  }
  public async writeInbox(message: InboxMessage) {
    this.inbox.push(message);
    return { written: true, stored: message };
  }
}

const swept = (activityId: string, status: ActivityStatus, extra: Partial<SweptActivity> = {}): SweptActivity => ({
  activityId,
  organizationId: ORG,
  status,
  version: 1,
  createdAt: '2021-09-10T00:00:00.000Z',
  ...(status === 'draft' ? {} : { submittedAt: '2021-09-11T00:00:00.000Z' }),
  ...extra,
});

const record = (activityId: string, status: ActivityStatus): ActivityRecord => ({
  activityId,
  campaignId: campaign.id,
  organizationId: ORG,
  status,
  version: 1,
  createdAt: '2021-09-10T00:00:00.000Z',
  createdBy: 'u1',
  updatedAt: '2021-09-10T00:00:00.000Z',
  updatedBy: 'u1',
  fields: {},
});

const flag = (n: number, over: Partial<StoredFlag> = {}): StoredFlag => ({
  flagId: String(n).repeat(32).slice(0, 32),
  code: 'registration-overdue',
  campaignId: campaign.id,
  organizationId: ORG,
  activityId: `act-${n}`,
  milestone: 'registration',
  raisedAt: `2021-09-24T16:00:0${n}.000Z`,
  waived: false,
  ...over,
});

/** Pages of `items`, `size` at a time, the cursor being the next index. */
function paged<T>(items: readonly T[], size: number, cursor: string | undefined) {
  const from = Number(cursor ?? 0);
  const next = from + size;
  return { items: items.slice(from, next), nextCursor: next < items.length ? String(next) : null };
}

function setUp(options: { now?: string; extensions?: ExtensionFacts[]; flags?: StoredFlag[]; records?: ActivityRecord[]; pageSize?: number; campaign?: Campaign } = {}) {
  const store = new MemoryStore();
  const flagQueries: FlagListQuery[] = [];
  const activityQueries: ActivityListQuery[] = [];
  const found: string[] = [];
  const size = options.pageSize ?? 100;
  const organization = (organizationId: string): Organization | undefined =>
    campaign.organizations.some((o) => o.organizationId === organizationId) ? { organizationId, name: '红旗区科协', county: 'hongqi', type: 'association' } : undefined;
  const deps: GetUnitStatusDeps = {
    campaigns: fixedCampaignCatalog([options.campaign ?? campaign]),
    organizations: { find: async (_c, id) => (found.push(id), organization(id)) },
    extensions: { forOrganization: async () => options.extensions ?? [] },
    gaps: store,
    flags: { list: async (q) => (flagQueries.push(q), paged(options.flags ?? [], size, q.cursor)) },
    activities: { list: async (q) => (activityQueries.push(q), paged(options.records ?? [], size, q.cursor)) },
    clock: fixedClock(options.now ?? '2021-09-20T09:00:00+08:00'),
  };
  return { store, deps, flagQueries, activityQueries, found };
}

const ask = (deps: GetUnitStatusDeps, principal: Principal = who(ORG, 'organizer'), organizationId = ORG, campaignId = campaign.id) =>
  getUnitStatus({ principal, campaignId, organizationId }, deps);

describe('Function: getUnitStatus', () => {
  describe('who may read it (as the unit’s inbox: 404 for another unit’s organizer, 403 for a role that may not)', () => {
    it.each([
      ['the unit’s own organizer', who(ORG, 'organizer')],
      ['a reviewer of another unit', who('weibin-kx', 'reviewer')],
      ['an admin', who('xinxiang-kx', 'admin')],
      ['an organizer of another unit who is also a reviewer', who('weibin-kx', 'organizer', 'reviewer')],
    ])('answers %s', async (_who, principal) => {
      const { deps } = setUp();
      await expect(ask(deps, principal)).resolves.toMatchObject({ organization: { organizationId: ORG } });
    });

    it('answers another unit’s organizer 404 as for a missing unit, analysts 403 (their own unit too), before any read', async () => {
      // Prepare
      const { deps, store, flagQueries, activityQueries, found } = setUp();

      // Act, Assess
      await expect(ask(deps, who('weibin-kx', 'organizer'))).rejects.toBeInstanceOf(NotFoundError);
      await expect(ask(deps, who('xinxiang-kx', 'analyst'))).rejects.toBeInstanceOf(ForbiddenError);
      await expect(ask(deps, who(ORG, 'analyst'))).rejects.toBeInstanceOf(ForbiddenError);
      expect([found, flagQueries, activityQueries, store.reads]).toEqual([[], [], [], 0]);
    });

    it('answers 404 for an unknown campaign and for a unit the campaign does not list', async () => {
      const { deps, flagQueries } = setUp();
      await expect(ask(deps, who('xinxiang-kx', 'admin'), ORG, 'no-such-campaign')).rejects.toThrow('campaign no-such-campaign not found');
      await expect(ask(deps, who('xinxiang-kx', 'admin'), 'no-such-unit')).rejects.toThrow('organization no-such-unit not found');
      await expect(ask(deps, who('no-such-unit', 'organizer'), 'no-such-unit')).rejects.toBeInstanceOf(NotFoundError);
      expect(flagQueries).toEqual([]);
    });

    it('answers 404 to another city’s admin as for a missing campaign, and a closed campaign’s status to its own', async () => {
      const { deps, found } = setUp();
      await expect(ask(deps, { ...who('xinxiang-kx', 'admin'), city: 'anyang' })).rejects.toThrow('campaign 2021-xinxiang not found');
      expect(found).toEqual([]);
      const closed = setUp({ campaign: loadCampaign(xinxiang2021, 'closed') });
      await expect(ask(closed.deps)).resolves.toMatchObject({ campaign: { status: 'closed' }, organization: { organizationId: ORG } });
    });
  });

  describe('milestones', () => {
    it('names exactly the gaps and words the reminder sends at the same instant', async () => {
      // Prepare: a draft, a registered online activity without evidence or URL, no summary.
      const now = '2021-09-21T09:00:00+08:00';
      const { deps, store } = setUp({ now });
      store.activities.push(swept('a1', 'draft'), swept('a2', 'registered', { format: 'online' }));
      const remind = (milestone: 'registration' | 'completion') =>
        remindUnit(
          { campaignId: campaign.id, organizationId: ORG, milestone, scheduleId: `s-${milestone}`, at: now },
          {
            ...deps,
            store,
            settings: { get: async () => ({ campaignId: campaign.id, organizationId: ORG, version: 0 }) },
            notifications: { sendAll: async () => undefined },
          },
        );

      // Act
      const status = await ask(deps);
      const reminders = [(await remind('registration')).message, (await remind('completion')).message];

      // Assess
      expect(status.milestones.map((m) => m.gaps)).toEqual([{ drafts: 1 }, { withoutEvidence: 1, withoutOnlineUrl: 1, summaryMissing: true }]);
      expect(status.milestones.map((m) => m.gaps)).toEqual(reminders.map((r) => r?.gaps));
      expect(status.milestones.map((m) => m.reminder)).toEqual(reminders.map((r) => ({ title: r?.title, text: r?.text })));
      expect(status.milestones[0]?.reminder?.text.zh).toBe('1 项活动尚未提交登记。');
    });

    it('says nothing is missing (gaps {}, no reminder) once every activity is registered, and no activity at all when there is none', async () => {
      // Prepare
      const done = setUp();
      done.store.activities.push(swept('a1', 'completed'));
      done.store.summary = '2021-09-19T00:00:00.000Z';
      const empty = setUp();

      // Act
      const [withAll, withNothing] = await Promise.all([ask(done.deps), ask(empty.deps)]);

      // Assess
      expect(withAll.milestones.map((m) => [m.gaps, m.reminder])).toEqual([
        [{}, null],
        [{}, null],
      ]);
      expect(withNothing.milestones[0]).toMatchObject({ gaps: { noActivity: true }, reminder: reminderText(campaign, 'registration', { noActivity: true }) });
    });

    it('is on time at 23:59:59.999 with 1 second left, and passed at 00:00:00.000 with no gaps (the flags speak then)', async () => {
      // Prepare
      const before = setUp({ now: '2021-09-24T23:59:59.999+08:00' });
      const after = setUp({ now: '2021-09-25T00:00:00.000+08:00' });
      for (const { store } of [before, after]) store.activities.push(swept('a1', 'draft'));

      // Act
      const [onTime, late] = await Promise.all([ask(before.deps), ask(after.deps)]);

      // Assess
      expect(onTime.milestones[0]).toMatchObject({ passed: false, secondsLeft: 1, gaps: { drafts: 1 } });
      expect(late.milestones[0]).toEqual({
        milestone: 'registration',
        campaignDeadline: campaign.milestones.registration.deadline,
        deadline: campaign.milestones.registration.deadline,
        extended: false,
        passed: true,
        secondsLeft: 0,
        gaps: null,
        reminder: null,
      });
      expect(late.milestones[1]).toMatchObject({ passed: false, secondsLeft: 28 * 86_400 });
    });

    it('moves the unit’s deadline by its latest unit extension, not by an extension of one of its activities', async () => {
      // Prepare
      const until = new Date('2021-09-27T23:59:59.999+08:00');
      const { deps, store } = setUp({
        now: '2021-09-25T09:00:00+08:00',
        extensions: [
          { organizationId: ORG, milestone: 'registration', until: new Date('2021-09-26T23:59:59.999+08:00') },
          { organizationId: ORG, milestone: 'registration', until },
          { organizationId: ORG, activityId: 'a1', milestone: 'completion', until: new Date('2021-12-31T23:59:59.999+08:00') },
        ],
      });
      store.activities.push(swept('a1', 'draft'));

      // Act
      const status = await ask(deps);

      // Assess
      expect(status.milestones[0]).toMatchObject({ deadline: until, extended: true, passed: false, secondsLeft: 2 * 86_400 + 15 * 3600, gaps: { drafts: 1 } });
      expect(status.milestones[1]).toMatchObject({ deadline: campaign.milestones.completion.deadline, extended: false });
    });
  });

  it('lists the unit’s flags, every page, open first then waived, each oldest first', async () => {
    // Prepare
    const flags = [
      flag(1, { waived: true, waivedReason: '活动因天气取消', waivedAt: '2021-09-26T01:00:00.000Z', waivedBy: 'admin-1' }),
      flag(2),
      flag(3, { code: 'organization-inactive', activityId: undefined, waived: true, waivedReason: '已联合其他单位开展' }),
      flag(4, { code: 'registration-late', lateBySeconds: 3600 }),
    ];
    const { deps, flagQueries } = setUp({ flags, pageSize: 3 });

    // Act
    const status = await ask(deps, who('xinxiang-kx', 'reviewer'));

    // Assess
    expect(status.flags.map((f) => f.flagId[0])).toEqual(['2', '4', '1', '3']);
    expect(flagQueries).toEqual([
      { campaignId: campaign.id, filters: { organizationId: ORG }, limit: 100 },
      { campaignId: campaign.id, filters: { organizationId: ORG }, limit: 100, cursor: '3' },
    ]);
  });

  it('counts the unit’s activities by status over every page of its list', async () => {
    // Prepare
    const records = [record('a1', 'draft'), record('a2', 'registered'), record('a3', 'draft'), record('a4', 'completed'), record('a5', 'draft')];
    const { deps, activityQueries } = setUp({ records, pageSize: 2 });

    // Act
    const status = await ask(deps);

    // Assess
    expect(status.activities).toEqual({ draft: 3, registered: 1, completed: 1 });
    expect(activityQueries.map((q) => [q.organizationId, q.cursor])).toEqual([
      [ORG, undefined],
      [ORG, '2'],
      [ORG, '4'],
    ]);
  });
});

describe('Function: secondsLeft', () => {
  it('rounds up to whole seconds until the deadline’s last millisecond ends, 0 once past', () => {
    const deadline = new Date('2021-09-24T15:59:59.999Z');
    expect(secondsLeft(deadline, new Date('2021-09-24T15:59:59.999Z'))).toBe(1);
    expect(secondsLeft(deadline, new Date('2021-09-24T15:59:59.000Z'))).toBe(1);
    expect(secondsLeft(deadline, new Date('2021-09-24T15:59:58.999Z'))).toBe(2);
    expect(secondsLeft(deadline, new Date('2021-09-24T16:00:00.000Z'))).toBe(0);
    expect(secondsLeft(deadline, new Date('2021-10-24T16:00:00.000Z'))).toBe(0);
  });
});

describe('View: unitStatusView', () => {
  it('writes instants in +08:00 and explains each flag with the guide, in the flags list’s shape', async () => {
    // Prepare
    const waived: FlagRecord & { waivedAt: string; waivedBy: string } = {
      ...flag(1, { code: 'results-missing', milestone: 'completion' }),
      waived: true,
      waivedReason: '已补交新闻链接',
      waivedAt: '2021-10-25T01:00:00.000Z',
      waivedBy: 'admin-1',
    };
    const { deps, store } = setUp({ now: '2021-09-20T09:00:00+08:00', flags: [waived], records: [record('a1', 'draft')] });
    store.activities.push(swept('a1', 'draft'));

    // Act
    const view = unitStatusView(await ask(deps));

    // Assess
    expect(view).toEqual({
      campaignId: campaign.id,
      organization: { organizationId: ORG, name: '红旗区科协', county: 'hongqi', type: 'association' },
      asOf: '2021-09-20T09:00:00+08:00',
      milestones: [
        {
          milestone: 'registration',
          name: campaign.milestones.registration.name,
          dueDate: '2021-09-24',
          campaignDeadline: '2021-09-24T23:59:59.999+08:00',
          deadline: '2021-09-24T23:59:59.999+08:00',
          extended: false,
          passed: false,
          secondsLeft: 4 * 86_400 + 15 * 3600,
          gaps: { drafts: 1 },
          reminder: reminderText(campaign, 'registration', { drafts: 1 }),
        },
        expect.objectContaining({ milestone: 'completion', deadline: '2021-10-22T23:59:59.999+08:00', gaps: {}, reminder: null }),
      ],
      flags: [
        {
          flagId: waived.flagId,
          code: 'results-missing',
          campaignId: campaign.id,
          organizationId: ORG,
          activityId: 'act-1',
          milestone: 'completion',
          raisedAt: '2021-09-25T00:00:01+08:00',
          waived: true,
          waivedReason: '已补交新闻链接',
          waivedAt: '2021-10-25T09:00:00+08:00',
          waivedBy: 'admin-1',
          guide: FLAG_GUIDE['results-missing'],
        },
      ],
      activities: { draft: 1, registered: 0, completed: 0 },
    });
  });
});

describe('Function: get-unit-status handler', () => {
  const event = (roles: string, orgId = 'weibin-kx'): APIGatewayProxyEventV2 => {
    const base = getSample<APIGatewayProxyEventV2>('apigw/get-health.json');
    const routeKey = 'GET /v1/campaigns/{campaignId}/organizations/{orgId}/status';
    return {
      ...base,
      routeKey,
      rawPath: `/v1/campaigns/2021-xinxiang/organizations/${ORG}/status`,
      pathParameters: { campaignId: '2021-xinxiang', orgId: ORG },
      requestContext: {
        ...base.requestContext,
        routeKey,
        authorizer: { jwt: { claims: { sub: 'u1', orgId, roles }, scopes: [] } },
      } as APIGatewayProxyEventV2['requestContext'],
    };
  };
  const call = async (e: APIGatewayProxyEventV2) => {
    const res = (await getUnitStatusHandler(e, context)) as { statusCode: number; headers: Record<string, string>; body: string };
    return { status: res.statusCode, type: res.headers['content-type'], title: (JSON.parse(res.body) as { title: string }).title };
  };

  it('answers an analyst 403 and another unit’s organizer 404, problem+json, before any I/O', async () => {
    // Act
    const [analyst, intruder] = await Promise.all([call(event('[analyst]', ORG)), call(event('[organizer]'))]);

    // Assess
    expect(analyst).toEqual({ status: 403, type: expect.stringMatching(/^application\/problem\+json/), title: '当前角色无权执行此操作' });
    expect(intruder).toEqual({ status: 404, type: expect.stringMatching(/^application\/problem\+json/), title: '未找到该资源' });
  });
});
