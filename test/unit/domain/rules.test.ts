import fc from 'fast-check';
import { loadCampaign, type MilestoneId } from '../../../shared/domain/campaign';
import { completionGaps, completionMet, effectiveDeadline, flagKey, flagOnCompletion, flagOnSummary, flagsOnSubmit, indicatorInputs, lateBySeconds, unitFigures, type ExtensionFacts } from '../../../shared/domain/rules';
import { flagsAtMilestone, type MilestoneFacts } from '../../../shared/domain/milestone-rules';
import type { ActivityFacts, FlagDraft } from '../../../shared/domain/activity';
import { xinxiang2021 } from '../../../shared/campaigns/2021-xinxiang';
import { otherCampaign } from '../../fixtures/campaign-other';

const xinxiang = loadCampaign(xinxiang2021);
const other = loadCampaign(otherCampaign);
const at = (iso: string) => new Date(iso);

const activity = (over: Partial<ActivityFacts> = {}): ActivityFacts => ({
  activityId: 'a1',
  organizationId: 'hongqi-kx',
  createdAt: at('2021-09-01T09:00:00+08:00'),
  status: 'draft',
  startsAt: at('2021-09-12T09:00:00+08:00'),
  format: 'offline',
  acceptedMedia: { photos: 0, videos: 0 },
  ...over,
});
const keysOf = (flags: FlagDraft[], campaignId = xinxiang.id) => flags.map((f) => flagKey(campaignId, f)).sort();

describe('Rule: registration deadline (9月24日前 … 填报活动信息)', () => {
  const a = activity({ startsAt: at('2021-09-30T09:00:00+08:00') });

  it('is on time at 23:59:59.999 on 24 Sept, Beijing time', () => {
    expect(flagsOnSubmit(xinxiang, a, at('2021-09-24T23:59:59.999+08:00'), [])).toEqual([]);
  });

  it('is late from 00:00:00 on 25 Sept, and says by how much', () => {
    expect(flagsOnSubmit(xinxiang, a, at('2021-09-25T00:00:00+08:00'), [])).toEqual([
      { code: 'registration-late', milestone: 'registration', organizationId: 'hongqi-kx', activityId: 'a1', lateBySeconds: 1 },
    ]);
    expect(flagsOnSubmit(xinxiang, a, at('2021-09-26T00:00:00+08:00'), [])[0]?.lateBySeconds).toBe(86_400);
  });

  it('rounds lateness up to whole seconds, at least one', () => {
    const d = xinxiang.milestones.registration.deadline;
    // Offsets from 23:59:59.999: 00:00:00.000, 00:00:00.999, 00:00:01.000, 00:00:01.001, 00:00:00 a day later.
    expect([1, 1000, 1001, 1002, 86_400_001].map((ms) => lateBySeconds(new Date(d.getTime() + ms), d))).toEqual([1, 1, 1, 2, 86_400]);
  });
});

describe('Rule: published in advance (提前向社会发布)', () => {
  it('flags an activity registered only after it started, by how long', () => {
    const a = activity({ startsAt: at('2021-09-12T09:00:00+08:00') });
    expect(flagsOnSubmit(xinxiang, a, at('2021-09-12T08:59:59+08:00'), [])).toEqual([]);
    expect(flagsOnSubmit(xinxiang, a, at('2021-09-12T10:00:00+08:00'), [])).toEqual([
      { code: 'not-published-in-advance', milestone: 'registration', organizationId: 'hongqi-kx', activityId: 'a1', lateBySeconds: 3600 },
    ]);
  });
});

describe('Rule: extensions', () => {
  const ext = (over: Partial<ExtensionFacts>): ExtensionFacts => ({
    organizationId: 'hongqi-kx',
    milestone: 'registration',
    until: at('2021-09-30T23:59:59.999+08:00'),
    ...over,
  });

  it('moves the deadline of the unit it names, for that milestone only', () => {
    const e = [ext({})];
    expect(effectiveDeadline(xinxiang, 'registration', { organizationId: 'hongqi-kx' }, e).toISOString()).toBe('2021-09-30T15:59:59.999Z');
    expect(effectiveDeadline(xinxiang, 'registration', { organizationId: 'weibin-kx' }, e)).toEqual(xinxiang.milestones.registration.deadline);
    expect(effectiveDeadline(xinxiang, 'completion', { organizationId: 'hongqi-kx' }, e)).toEqual(xinxiang.milestones.completion.deadline);
  });

  it('moves one activity’s deadline when it names the activity', () => {
    const e = [ext({ activityId: 'a2' })];
    expect(effectiveDeadline(xinxiang, 'registration', { organizationId: 'hongqi-kx', activityId: 'a1' }, e)).toEqual(xinxiang.milestones.registration.deadline);
    expect(effectiveDeadline(xinxiang, 'registration', { organizationId: 'hongqi-kx', activityId: 'a2' }, e).toISOString()).toBe('2021-09-30T15:59:59.999Z');
  });

  it('never brings a deadline forward', () => {
    const e = [ext({ until: at('2021-09-01T00:00:00+08:00') })];
    expect(effectiveDeadline(xinxiang, 'registration', { organizationId: 'hongqi-kx' }, e)).toEqual(xinxiang.milestones.registration.deadline);
  });

  it('is honoured at submit time', () => {
    const a = activity({ startsAt: at('2021-10-30T09:00:00+08:00') });
    expect(flagsOnSubmit(xinxiang, a, at('2021-09-28T12:00:00+08:00'), [ext({})])).toEqual([]);
  });
});

describe('Rule: completion (信息完善: 活动图片视频、新闻报道链接; 网络活动须提供活动网址)', () => {
  it.each([
    ['one accepted photo', { acceptedMedia: { photos: 1, videos: 0 } }, true],
    ['one accepted video', { acceptedMedia: { photos: 0, videos: 1 } }, true],
    ['one news link', { results: { newsLinks: ['https://news.example.cn/1'] } }, true],
    ['nothing', {}, false],
    ['an online activity with a photo but no URL', { format: 'online', acceptedMedia: { photos: 1, videos: 0 } }, false],
    ['a hybrid activity with a photo and its URL in the results', { format: 'hybrid', acceptedMedia: { photos: 1, videos: 0 }, results: { newsLinks: [], onlineUrl: 'https://live.example.cn' } }, true],
    ['an online activity with a news link and the URL on the activity', { format: 'online', onlineUrl: 'https://live.example.cn', results: { newsLinks: ['https://n.example.cn'] } }, true],
  ] as const)('%s → %s', (_what, over, expected) => {
    expect(completionMet(activity(over as Partial<ActivityFacts>))).toBe(expected);
  });

  it('names what is missing', () => {
    expect(completionGaps(activity({ format: 'hybrid' }))).toEqual(['evidence', 'online-url']);
    expect(completionGaps(activity({ acceptedMedia: { photos: 2, videos: 0 } }))).toEqual([]);
  });

  it('raises results-late and summary-late only after the (extended) completion deadline', () => {
    const a = activity();
    expect(flagOnCompletion(xinxiang, a, at('2021-10-22T23:59:59.999+08:00'), [])).toBeUndefined();
    expect(flagOnCompletion(xinxiang, a, at('2021-10-23T00:00:00+08:00'), [])).toMatchObject({ code: 'results-late', lateBySeconds: 1 });
    expect(flagOnSummary(xinxiang, 'hongqi-kx', at('2021-10-23T01:00:00+08:00'), [])).toMatchObject({ code: 'summary-late', lateBySeconds: 3600 });
    const e: ExtensionFacts[] = [{ organizationId: 'hongqi-kx', milestone: 'completion', until: at('2021-10-29T23:59:59.999+08:00') }];
    expect(flagOnSummary(xinxiang, 'hongqi-kx', at('2021-10-23T01:00:00+08:00'), e)).toBeUndefined();
  });
});

describe('Rule: the registration sweep', () => {
  const orgs = [{ organizationId: 'hongqi-kx' }, { organizationId: 'weibin-kx' }, { organizationId: 'muye-kx', listedAt: at('2021-09-26T10:00:00+08:00') }];
  const facts: MilestoneFacts = {
    organizations: orgs,
    activities: [
      activity({ activityId: 'draft', organizationId: 'hongqi-kx' }),
      activity({ activityId: 'ok', organizationId: 'hongqi-kx', status: 'registered', submittedAt: at('2021-09-10T10:00:00+08:00') }),
      activity({ activityId: 'late', organizationId: 'weibin-kx', status: 'registered', submittedAt: at('2021-09-25T10:00:00+08:00') }),
      activity({ activityId: 'born-late', organizationId: 'weibin-kx', createdAt: at('2021-09-26T10:00:00+08:00') }),
    ],
    extensions: [],
  };

  it('raises nothing before the milestone has passed', () => {
    expect(flagsAtMilestone(xinxiang, 'registration', at('2021-09-24T23:59:59.999+08:00'), facts)).toEqual([]);
  });

  it('flags each draft as overdue and each unit without an on-time registration as inactive', () => {
    const flags = flagsAtMilestone(xinxiang, 'registration', at('2021-09-25T00:00:00+08:00'), facts);
    expect(flags.map((f) => `${f.code} ${f.organizationId} ${f.activityId ?? ''}`.trim()).sort()).toEqual([
      'organization-inactive weibin-kx',
      'registration-overdue hongqi-kx draft',
      'registration-overdue weibin-kx late',
    ]);
  });

  it('gives the same answer whenever (and however often) it runs after the milestone', () => {
    const first = keysOf(flagsAtMilestone(xinxiang, 'registration', at('2021-09-25T00:00:01+08:00'), facts));
    const later = keysOf(flagsAtMilestone(xinxiang, 'registration', at('2021-12-31T00:00:00+08:00'), facts));
    expect(later).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
  });
});

describe('Rule: the completion sweep', () => {
  const facts: MilestoneFacts = {
    organizations: [
      { organizationId: 'hongqi-kx', summarySubmittedAt: at('2021-10-20T10:00:00+08:00') },
      { organizationId: 'weibin-kx' },
      { organizationId: 'muye-kx' },
    ],
    activities: [
      activity({ activityId: 'done', status: 'completed', submittedAt: at('2021-09-10T10:00:00+08:00'), completedAt: at('2021-10-01T10:00:00+08:00') }),
      activity({ activityId: 'empty', status: 'registered', submittedAt: at('2021-09-10T10:00:00+08:00') }),
      activity({ activityId: 'w1', organizationId: 'weibin-kx', status: 'completed', submittedAt: at('2021-09-10T10:00:00+08:00'), completedAt: at('2021-10-23T10:00:00+08:00') }),
      activity({ activityId: 'never', organizationId: 'muye-kx' }),
    ],
    extensions: [],
  };

  it('flags registered activities without results and units without a summary', () => {
    const flags = flagsAtMilestone(xinxiang, 'completion', at('2021-10-23T00:00:00+08:00'), facts);
    expect(flags.map((f) => `${f.code} ${f.organizationId} ${f.activityId ?? ''}`.trim()).sort()).toEqual([
      'results-missing hongqi-kx empty',
      'results-missing weibin-kx w1',
      'summary-missing weibin-kx',
    ]);
  });

  it('reads the other campaign’s own dates (nothing hard-coded)', () => {
    const a = activity({ organizationId: 'island-school', status: 'registered', submittedAt: at('2030-03-01T10:00:00+01:00') });
    const f = { organizations: [{ organizationId: 'island-school' }], activities: [a], extensions: [] };
    expect(flagsAtMilestone(other, 'completion', at('2030-10-27T23:59:59+01:00'), f)).toEqual([]);
    expect(flagsAtMilestone(other, 'completion', at('2030-10-28T00:00:00+01:00'), f).map((x) => x.code).sort()).toEqual(['results-missing', 'summary-missing']);
  });
});

describe('Rule: figures behind the computed indicators', () => {
  it('counts registered activities only, as the notice’s indicators ask', () => {
    const acts = [
      activity({ activityId: 'x1', status: 'registered', submittedAt: at('2021-09-10T10:00:00+08:00'), kind: 'joint-action', jointAction: 'carbon', county: 'hongqi', expectedParticipants: 200, results: { actualParticipants: 350, newsLinks: ['https://n.cn/1', 'https://n.cn/2'] }, volunteers: { count: 12, hours: 30 }, coOrganizers: ['市水利局', ' 市水利局 '], acceptedMedia: { photos: 3, videos: 1 } }),
      activity({ activityId: 'x2', status: 'registered', submittedAt: at('2021-09-25T10:00:00+08:00'), kind: 'joint-action', jointAction: 'water', county: 'weibin', format: 'online', onlineUrl: 'https://live.cn', expectedParticipants: 1000, coOrganizers: ['新乡学院'], acceptedMedia: { photos: 0, videos: 0 } }),
      activity({ activityId: 'x3', status: 'registered', submittedAt: at('2021-09-11T10:00:00+08:00'), kind: 'joint-action', jointAction: 'carbon', county: 'hongqi', expectedParticipants: 50, results: { newsLinks: ['https://n.cn/1'] }, acceptedMedia: { photos: 1, videos: 0 } }),
      activity({ activityId: 'draft', expectedParticipants: 99999, acceptedMedia: { photos: 9, videos: 9 } }),
    ];
    expect(unitFigures(xinxiang, acts, [])).toEqual({
      'registered-activities': 3,
      participants: 350 + 1000 + 50,
      'co-organizers': 2,
      'counties-covered': 2,
      'on-time-rate': 2 / 3,
      'news-links': 2,
      'accepted-media': 5,
      volunteers: 12,
      'volunteer-hours': 30,
      'joint-actions-covered': 2,
      'online-activities-with-url': 1,
    });
  });

  it('gives each indicator of the campaign the figures it names, and a unit with no activity zeros', () => {
    const inputs = indicatorInputs(xinxiang, unitFigures(xinxiang, [], []));
    expect(inputs.find((i) => i.indicatorId === 'scale')).toEqual({ indicatorId: 'scale', weight: 20, computedShare: 1, figures: { 'registered-activities': 0, participants: 0 } });
    expect(inputs.find((i) => i.indicatorId === 'highlights')?.figures).toEqual({});
    expect(indicatorInputs(other, unitFigures(other, [], [])).find((i) => i.indicatorId === 'scale')?.weight).toBe(40);
  });
});

// ---- Properties -------------------------------------------------------------------------

const regDeadline = xinxiang.milestones.registration.deadline.getTime();
const compDeadline = xinxiang.milestones.completion.deadline.getTime();
const DAY = 86_400_000;
const around = (t: number) => fc.integer({ min: t - 20 * DAY, max: t + 20 * DAY }).map((ms) => new Date(ms));
const orgIds = ['o1', 'o2', 'o3'];

const activityArb = fc.record({
  activityId: fc.constantFrom('a1', 'a2', 'a3', 'a4', 'a5'),
  organizationId: fc.constantFrom(...orgIds),
  createdAt: around(regDeadline),
  submittedAt: fc.option(around(regDeadline), { nil: undefined }),
  completedAt: fc.option(around(compDeadline), { nil: undefined }),
}).map((a): ActivityFacts => ({
  ...a,
  status: a.submittedAt ? (a.completedAt ? 'completed' : 'registered') : 'draft',
  acceptedMedia: { photos: 0, videos: 0 },
}));
const factsArb = fc.record({
  activities: fc.uniqueArray(activityArb, { selector: (a) => a.activityId, maxLength: 5 }),
  organizations: fc.constant(orgIds.map((organizationId) => ({ organizationId }))),
  summaries: fc.array(fc.option(around(compDeadline), { nil: undefined }), { minLength: 3, maxLength: 3 }),
}).map(({ activities, organizations, summaries }) => ({
  activities,
  organizations: organizations.map((o, i) => ({ ...o, summarySubmittedAt: summaries[i] })),
  extensions: [] as ExtensionFacts[],
}));
const extensionArb = (milestone: MilestoneId) =>
  fc.record({
    organizationId: fc.constantFrom(...orgIds),
    activityId: fc.option(fc.constantFrom('a1', 'a2', 'a3', 'a4', 'a5'), { nil: undefined }),
    milestone: fc.constant(milestone),
    until: around(milestone === 'registration' ? regDeadline : compDeadline),
  });
const milestoneArb = fc.constantFrom<MilestoneId>('registration', 'completion');

describe('Properties of the rules', () => {
  it('an extension never creates a flag (sweeps, submit, late actions)', () => {
    fc.assert(
      fc.property(milestoneArb, factsArb, fc.array(extensionArb('registration'), { maxLength: 3 }), fc.array(extensionArb('completion'), { maxLength: 3 }), around(compDeadline + 10 * DAY), (m, facts, e1, e2, now) => {
        const extensions = [...e1, ...e2];
        const without = new Set(keysOf(flagsAtMilestone(xinxiang, m, now, facts)));
        const withExt = keysOf(flagsAtMilestone(xinxiang, m, now, { ...facts, extensions }));
        for (const k of withExt) expect(without.has(k)).toBe(true);
        for (const a of facts.activities) {
          const t = a.submittedAt ?? now;
          const plain = new Set(keysOf(flagsOnSubmit(xinxiang, a, t, [])));
          for (const k of keysOf(flagsOnSubmit(xinxiang, a, t, extensions))) expect(plain.has(k)).toBe(true);
          if (flagOnCompletion(xinxiang, a, t, extensions)) expect(flagOnCompletion(xinxiang, a, t, [])).toBeDefined();
        }
      }),
    );
  });

  it('moving a submission across the registration deadline flips exactly one flag', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 * DAY }), fc.integer({ min: 0, max: 30 * DAY }), (after, before) => {
        const a = activity({ startsAt: new Date(regDeadline + 60 * DAY) });
        const onTime = keysOf(flagsOnSubmit(xinxiang, a, new Date(regDeadline - before), []));
        const late = keysOf(flagsOnSubmit(xinxiang, a, new Date(regDeadline + after), []));
        expect(onTime).toEqual([]);
        expect(late).toEqual([flagKey(xinxiang.id, { code: 'registration-late', milestone: 'registration', organizationId: a.organizationId, activityId: a.activityId })]);
      }),
    );
  });

  it('moving the sweep’s clock across the deadline flips exactly the overdue draft’s flag', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 * DAY }), fc.integer({ min: 1, max: 30 * DAY }), (before, after) => {
        const facts: MilestoneFacts = {
          organizations: [{ organizationId: 'o1' }],
          activities: [
            activity({ activityId: 'd', organizationId: 'o1' }),
            activity({ activityId: 'r', organizationId: 'o1', status: 'registered', submittedAt: at('2021-09-01T00:00:00+08:00') }),
          ],
          extensions: [],
        };
        expect(flagsAtMilestone(xinxiang, 'registration', new Date(regDeadline - before), facts)).toEqual([]);
        expect(flagsAtMilestone(xinxiang, 'registration', new Date(regDeadline + after), facts)).toEqual([
          { code: 'registration-overdue', milestone: 'registration', organizationId: 'o1', activityId: 'd' },
        ]);
      }),
    );
  });

  it('a sweep only ever adds flags as time goes on, never one twice', () => {
    fc.assert(
      fc.property(milestoneArb, factsArb, fc.array(extensionArb('registration'), { maxLength: 2 }), around(compDeadline), fc.integer({ min: 0, max: 40 * DAY }), (m, facts, extensions, t1, gap) => {
        const f = { ...facts, extensions };
        const earlier = keysOf(flagsAtMilestone(xinxiang, m, t1, f));
        const later = new Set(keysOf(flagsAtMilestone(xinxiang, m, new Date(t1.getTime() + gap), f)));
        for (const k of earlier) expect(later.has(k)).toBe(true);
        expect(new Set(earlier).size).toBe(earlier.length);
      }),
    );
  });

  it('lateness grows with the instant and is at least one second', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 365 * DAY }), fc.integer({ min: 0, max: DAY }), (ms, more) => {
        const d = new Date(regDeadline);
        const a = lateBySeconds(new Date(regDeadline + ms), d);
        expect(a).toBeGreaterThanOrEqual(1);
        expect(lateBySeconds(new Date(regDeadline + ms + more), d)).toBeGreaterThanOrEqual(a);
      }),
    );
  });
});
