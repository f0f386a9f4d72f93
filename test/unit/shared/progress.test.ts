import type { Principal, Role } from '../../../shared/auth/principal';
import { campaignCatalog } from '../../../shared/campaigns/catalog';
import { findCampaign } from '../../../shared/campaigns/index';
import type { Campaign } from '../../../shared/domain/campaign';
import { contributionOf, paddedSequence, PROGRESS_COUNTERS, ZERO_COUNTERS, type Counters } from '../../../shared/domain/progress';
import { BadRequestError, ForbiddenError, InvalidInputError, NotFoundError } from '../../../shared/errors';
import { unitProgressView } from '../../../shared/http/progress-views';
import type { Organization } from '../../../shared/repositories/organization-repository';
import { unitKey, type ContributionChange, type ProgressStore, type StoredTotals, type UnitChanges } from '../../../shared/repositories/progress-repository';
import { getProgress, type GetProgressDeps } from '../../../shared/use-cases/get-progress';
import { projectProgress, type SequencedChange } from '../../../shared/use-cases/project-progress';

const campaign = findCampaign('2021-xinxiang') as Campaign;
const C = campaign.id;
const who = (orgId: string, ...roles: Role[]): Principal => ({ sub: `u-${orgId}`, orgId, roles: new Set(roles), city: 'xinxiang' });
const reviewer = who('xinxiang-kx', 'reviewer');
const only = (set: Partial<Counters>): Counters => ({ ...ZERO_COUNTERS, ...set });

/** The read model in memory, with the stream-sequence guard of the DynamoDB adapter. */
class MemoryProgress implements Pick<ProgressStore, 'apply' | 'campaignTotals'> {
  public readonly contributions = new Map<string, ContributionChange>();
  public readonly totals = new Map<string, { counters: Record<string, number>; lastChangeAt?: string; summarySubmittedAt?: string }>();
  public readonly applyCalls: UnitChanges[][] = [];
  public failFor?: string;

  public async apply(work: readonly UnitChanges[]) {
    this.applyCalls.push([...work]);
    let applied = 0;
    let already = 0;
    const failed = new Map<string, Error>();
    for (const { unit, changes, changedAt } of work) {
      if (unit.organizationId === this.failFor) {
        failed.set(unitKey(unit), new Error('DynamoDB is down'));
        continue;
      }
      const t = this.totals.get(unit.organizationId) ?? { counters: { ...ZERO_COUNTERS } };
      for (const c of changes) {
        const key = `${unit.organizationId}/${c.subjectId}`;
        const stored = this.contributions.get(key);
        if (stored && stored.sequence >= c.sequence) {
          already += 1;
          continue;
        }
        for (const n of PROGRESS_COUNTERS) t.counters[n] = (t.counters[n] ?? 0) + c.contribution.counters[n] - (stored?.contribution.counters[n] ?? 0);
        if (c.kind === 'summary') t.summarySubmittedAt = c.contribution.summarySubmittedAt;
        this.contributions.set(key, c);
        applied += 1;
      }
      if (changedAt && (!t.lastChangeAt || t.lastChangeAt < changedAt)) t.lastChangeAt = changedAt;
      this.totals.set(unit.organizationId, t);
    }
    return { applied, already, failed };
  }

  public async campaignTotals(): Promise<StoredTotals[]> {
    return [...this.totals.entries()].map(([organizationId, t]) => ({
      organizationId,
      counters: t.counters as Counters,
      ...(t.summarySubmittedAt ? { summarySubmittedAt: t.summarySubmittedAt } : {}),
      ...(t.lastChangeAt ? { lastChangeAt: t.lastChangeAt } : {}),
    }));
  }
}

let seq = 100;
function change(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', image: Record<string, unknown>, sequence = String((seq += 1))): SequencedChange {
  const keys = { pk: String(image.pk), sk: String(image.sk) };
  return {
    eventId: `e${sequence}`,
    action: eventName === 'INSERT' ? 'created' : eventName === 'MODIFY' ? 'updated' : 'deleted',
    at: new Date('2021-09-20T00:00:00Z'),
    keys,
    sequenceNumber: sequence,
    ...(eventName === 'REMOVE' ? { oldImage: image } : { newImage: image }),
  };
}
const activityItem = (id: string, org: string, status: string, updatedAt = '2021-09-20T02:00:00.000Z') => ({
  pk: `ACT#${id}`,
  sk: 'A',
  entity: 'Activity',
  activityId: id,
  campaignId: C,
  organizationId: org,
  status,
  updatedAt,
});
const flagItem = (id: string, activityId: string, org: string, code: string, waived = false) => ({
  pk: `ACT#${activityId}`,
  sk: `FLAG#registration#${code}`,
  entity: 'Flag',
  flagId: id,
  activityId,
  campaignId: C,
  organizationId: org,
  code,
  milestone: 'registration',
  waived,
});

describe('Function: projectProgress', () => {
  it('hands the store each unit’s subjects at their latest state in the batch, and the unit’s latest change', async () => {
    // Prepare: two units; a1 created then registered within the batch; a media item.
    const store = new MemoryProgress();
    const batch = [
      change('INSERT', activityItem('a1', 'hongqi-kx', 'draft', '2021-09-20T01:00:00.000Z')),
      change('INSERT', activityItem('a2', 'weibin-kx', 'draft')),
      change('MODIFY', activityItem('a1', 'hongqi-kx', 'registered', '2021-09-20T03:00:00.000Z')),
      change('INSERT', flagItem('f1', 'a1', 'hongqi-kx', 'registration-late')),
      change('INSERT', { pk: 'ACT#a1', sk: 'MEDIA#m1', entity: 'Media', campaignId: C, organizationId: 'hongqi-kx', mediaId: 'm1' }),
    ];
    // Act
    const outcome = await projectProgress(batch, { progress: store as unknown as ProgressStore });
    // Assess
    expect(outcome).toMatchObject({ applied: 3, already: 0, ignored: 1 });
    expect(outcome.failed.size).toBe(0);
    expect(store.applyCalls).toHaveLength(1);
    expect(store.applyCalls[0]?.map((c) => [c.unit.organizationId, c.changes.length])).toStrictEqual([
      ['hongqi-kx', 2],
      ['weibin-kx', 1],
    ]);
    expect(store.totals.get('hongqi-kx')).toStrictEqual({
      counters: only({ registered: 1, registeredLate: 1, flagsOpen: 1, unwaivedRegistrationLate: 1 }),
      lastChangeAt: '2021-09-20T03:00:00.000Z',
    });
    expect(store.totals.get('weibin-kx')?.counters).toStrictEqual(only({ draft: 1 }));
  });

  it('reads no partition for an activity still a draft at its last record in the batch, and reads one that was submitted', async () => {
    // Prepare: a1 a draft with a photo; a2 created then registered in the same batch; a3 registered, then a photo of it.
    const store = new MemoryProgress();
    const read: string[] = [];
    const scoring = {
      activityPartition: async (activityId: string) => {
        read.push(activityId);
        return [];
      },
      registrationDeadline: async () => new Date('2021-09-24T15:59:59Z'),
    };
    const media = (activityId: string) => ({ pk: `ACT#${activityId}`, sk: 'MEDIA#m1', entity: 'Media', mediaId: 'm1', subject: { type: 'activity', campaignId: C, organizationId: 'hongqi-kx', activityId } });
    const batch = [
      change('INSERT', activityItem('a1', 'hongqi-kx', 'draft')),
      change('INSERT', media('a1')),
      change('INSERT', activityItem('a2', 'hongqi-kx', 'draft')),
      change('MODIFY', activityItem('a2', 'hongqi-kx', 'registered')),
      change('MODIFY', activityItem('a3', 'hongqi-kx', 'registered')),
      change('INSERT', media('a3')),
    ];
    // Act
    const outcome = await projectProgress(batch, { progress: store as unknown as ProgressStore, scoring });
    // Assess: only the submitted ones are read and given a scoring contribution
    expect(outcome.failed.size).toBe(0);
    expect(read.sort()).toStrictEqual(['a2', 'a3']);
    const subjects = store.applyCalls.flat().flatMap((w) => w.changes.map((c) => c.subjectId));
    expect(subjects.filter((s) => s.startsWith('SCORE#')).sort()).toStrictEqual(['SCORE#a2', 'SCORE#a3']);
  });

  it('lists a unit added at run time with its unit, and nothing else of it', async () => {
    // Prepare
    const store = new MemoryProgress();
    const unitItem = { pk: `CAMP#${C}#ORGS`, sk: 'ORG#new-unit', entity: 'Organization', campaignId: C, organizationId: 'new-unit', name: '新单位', county: 'hongqi', type: 'school' };
    // Act
    const outcome = await projectProgress([change('INSERT', unitItem)], { progress: store as unknown as ProgressStore });
    // Assess
    expect(outcome).toMatchObject({ applied: 0, ignored: 0 });
    expect(store.applyCalls[0]).toStrictEqual([{ unit: { campaignId: C, organizationId: 'new-unit' }, changes: [], listing: { name: '新单位', county: 'hongqi', type: 'school' } }]);
  });

  it('changes nothing when a batch is delivered again', async () => {
    // Prepare
    const store = new MemoryProgress();
    const batch = [change('INSERT', activityItem('a1', 'hongqi-kx', 'draft')), change('MODIFY', activityItem('a1', 'hongqi-kx', 'completed'))];
    await projectProgress(batch, { progress: store as unknown as ProgressStore });
    const before = structuredClone([...store.totals.entries()]);
    // Act
    const again = await projectProgress(batch, { progress: store as unknown as ProgressStore });
    // Assess
    expect(again).toMatchObject({ applied: 0, already: 1 });
    expect([...store.totals.entries()]).toStrictEqual(before);
  });

  it('takes a removed subject’s contribution away', async () => {
    const store = new MemoryProgress();
    const item = flagItem('f1', 'a1', 'hongqi-kx', 'results-late', true);
    await projectProgress([change('INSERT', item), change('REMOVE', item)], { progress: store as unknown as ProgressStore });
    expect(store.totals.get('hongqi-kx')?.counters).toStrictEqual(ZERO_COUNTERS);
  });

  it('fails every record of a unit that could not be written, and only those', async () => {
    // Prepare
    const store = new MemoryProgress();
    store.failFor = 'weibin-kx';
    const ok = change('INSERT', activityItem('a1', 'hongqi-kx', 'draft'));
    const bad = [change('INSERT', activityItem('a2', 'weibin-kx', 'draft')), change('INSERT', activityItem('a3', 'weibin-kx', 'draft'))];
    // Act
    const outcome = await projectProgress([ok, ...bad], { progress: store as unknown as ProgressStore });
    // Assess
    expect([...outcome.failed.keys()].sort()).toStrictEqual(bad.map((b) => b.eventId).sort());
    expect(store.totals.get('hongqi-kx')?.counters.draft).toBe(1);
  });

  it('fails a record without a sequence number', async () => {
    const outcome = await projectProgress([{ ...change('INSERT', activityItem('a1', 'hongqi-kx', 'draft')), sequenceNumber: '' }], {
      progress: new MemoryProgress() as unknown as ProgressStore,
    });
    expect(outcome.failed.size).toBe(1);
  });

  it('pads sequence numbers so a longer one is later', async () => {
    // Prepare: DynamoDB's sequence numbers grow in length.
    const store = new MemoryProgress();
    await projectProgress([change('MODIFY', activityItem('a1', 'hongqi-kx', 'completed'), '100000000000000000000')], { progress: store as unknown as ProgressStore });
    // Act: an older record (shorter number) comes again.
    await projectProgress([change('MODIFY', activityItem('a1', 'hongqi-kx', 'draft'), '99999999999999999999')], { progress: store as unknown as ProgressStore });
    // Assess
    expect(store.totals.get('hongqi-kx')?.counters).toStrictEqual(only({ registered: 1, resultsComplete: 1 }));
    expect(paddedSequence('99999999999999999999') < paddedSequence('100000000000000000000')).toBe(true);
  });
});

describe('Function: getProgress', () => {
  const added: Organization = { organizationId: 'aaa-added', name: '新增单位', county: 'hongqi', type: 'society', listedAt: '2021-09-01T00:00:00.000Z' };
  const units: Organization[] = [
    ...campaign.organizations.map((o) => ({ organizationId: o.organizationId, name: o.name.zh, nameEn: o.name.en, county: o.county, type: o.type })),
    added,
  ];
  // The unit added at run time is listed with its totals (zeros: it has nothing yet).
  const listedAdded: StoredTotals = { organizationId: added.organizationId, counters: ZERO_COUNTERS, listing: { name: added.name, county: added.county, type: added.type } };
  const deps = (totals: StoredTotals[] = []): GetProgressDeps => ({
    campaigns: campaignCatalog,
    progress: { campaignTotals: async () => [...totals, listedAdded] },
  });
  const ask = (query: Record<string, string> = {}, limit = 100, cursor?: string, principal = reviewer, d = deps()) =>
    getProgress({ principal, campaignId: C, query, limit, ...(cursor ? { cursor } : {}) }, d);

  it('lists every unit, those added at run time included, by organizationId, with zeros where nothing is counted', async () => {
    // Act
    const all: string[] = [];
    let cursor: string | undefined;
    do {
      const { page } = await ask({}, 7, cursor);
      all.push(...page.items.map((u) => u.organizationId));
      for (const u of page.items) expect(u.activities.registered).toBe(0);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    // Assess
    expect(all).toStrictEqual(units.map((u) => u.organizationId).sort());
  });

  it('answers a unit’s counts and instants in the campaign’s zone', async () => {
    // Prepare
    const totals: StoredTotals = {
      organizationId: 'hongqi-kx',
      counters: only({ draft: 1, registered: 3, registeredLate: 1, resultsComplete: 1, summarySubmitted: 1, flagsOpen: 2, flagsWaived: 1 }),
      summarySubmittedAt: '2021-10-20T02:00:00.000Z',
      lastChangeAt: '2021-09-23T10:02:11.000Z',
      rev: 9,
    };
    // Act
    const { page } = await ask({ county: 'hongqi', type: 'association' }, 20, undefined, who('x', 'admin'), deps([totals]));
    // Assess
    expect(page.items.map((u) => unitProgressView(u, campaign))).toStrictEqual([
      {
        organizationId: 'hongqi-kx',
        name: '红旗区科协',
        nameEn: expect.any(String),
        county: 'hongqi',
        type: 'association',
        activities: { draft: 1, registered: 3, registeredOnTime: 2, registeredLate: 1, resultsComplete: 1, resultsLate: 0 },
        summary: { submitted: true, submittedAt: '2021-10-20T10:00:00+08:00', late: false },
        flags: { open: 2, waived: 1 },
        lastChangeAt: '2021-09-23T18:02:11+08:00',
      },
    ]);
    expect(page.nextCursor).toBeNull();
  });

  it('shows a unit with nothing as zeros, false and null', async () => {
    const { page } = await ask({ type: 'society' });
    expect(unitProgressView(page.items[0] as never, campaign)).toMatchObject({
      organizationId: 'aaa-added',
      activities: { draft: 0, registered: 0, registeredOnTime: 0, registeredLate: 0, resultsComplete: 0, resultsLate: 0 },
      summary: { submitted: false, submittedAt: null, late: false },
      flags: { open: 0, waived: 0 },
      lastChangeAt: null,
    });
  });

  it('refuses every filter that is not the campaign’s, each named (422)', async () => {
    const error = await ask({ county: 'atlantis', type: 'guild' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).issues.map((i) => [i.path, i.code])).toStrictEqual([
      ['county', 'unknown_county'],
      ['type', 'invalid_option'],
    ]);
  });

  it.each([
    ['an edited cursor', (c: string) => `${c.slice(0, -2)}xx`],
    ['garbage', () => 'garbage'],
  ])('refuses %s (400)', async (_what, edit) => {
    const { page } = await ask({}, 2);
    await expect(ask({}, 2, edit(page.nextCursor ?? ''))).rejects.toThrow(BadRequestError);
  });

  it.each([
    ['an organizer of the unit', who('hongqi-kx', 'organizer')],
    ['an organizer of another unit', who('weibin-kx', 'organizer')],
    ['an analyst', who('xinxiang-kx', 'analyst')],
  ])('refuses %s (403)', async (_who, principal) => {
    await expect(ask({}, 20, undefined, principal)).rejects.toThrow(ForbiddenError);
  });

  it('answers 404 for a campaign that does not exist', async () => {
    await expect(getProgress({ principal: reviewer, campaignId: 'nope', query: {}, limit: 20 }, deps())).rejects.toThrow(NotFoundError);
  });

  it('counts a results-late flag with its contribution rule', () => {
    expect(contributionOf('flag', { code: 'results-late', waived: true }).counters).toStrictEqual(only({ resultsLate: 1, flagsWaived: 1 }));
  });
});
