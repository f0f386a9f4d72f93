import { xinxiang2021 } from '../../../shared/campaigns/2021-xinxiang';
import { findCampaign } from '../../../shared/campaigns/index';
import { loadCampaign, type Campaign, type CampaignStatus } from '../../../shared/domain/campaign';
import type { FlagRecord, ResultsRecord } from '../../../shared/domain/activity';
import { fixedClock } from '../../../shared/domain/clock';
import type { InboxMessage } from '../../../shared/domain/inbox';
import type { MediaRecord } from '../../../shared/domain/media';
import type { ExtensionFacts } from '../../../shared/domain/rules';
import type { MessageQueue } from '../../../shared/clients/message-queue';
import type { Organization } from '../../../shared/repositories/organization-repository';
import type { SweepStore, SweptActivity } from '../../../shared/repositories/sweep-repository';
import { fixedCampaignCatalog } from '../../../shared/repositories/cached-campaign-catalog';
import { reminderMessageId, remindUnit } from '../../../shared/use-cases/remind-unit';
import { startReminders } from '../../../shared/use-cases/start-reminders';
import { startScheduledJob } from '../../../shared/use-cases/start-scheduled-job';
import { sweepUnit } from '../../../shared/use-cases/sweep-unit';

const campaign = findCampaign('2021-xinxiang')!;
/** The 2021 campaign as stored with another status, or its registration due on another date. */
const variant = (status: CampaignStatus, registrationDue = '2021-09-24'): Campaign =>
  loadCampaign({ ...xinxiang2021, milestones: xinxiang2021.milestones.map((m) => (m.id === 'registration' ? { ...m, dueDate: registrationDue } : m)) }, status);
const ORG = 'hongqi-kx';

class MemoryStore implements SweepStore {
  public activities = new Map<string, SweptActivity & { due: boolean }>();
  public flags = new Map<string, FlagRecord>();
  public inbox = new Map<string, InboxMessage>();
  public summary?: string;
  public evidenceOf = new Map<string, { results?: ResultsRecord; media: MediaRecord[] }>();
  public calls: string[] = [];

  public add(a: SweptActivity, due = a.status !== 'completed') {
    this.activities.set(a.activityId, { ...a, due });
  }
  public async dueActivities() {
    this.calls.push('due');
    return [...this.activities.values()].filter((a) => a.due).map(({ due: _d, ...a }) => a);
  }
  public async findRegistered(_c: string, _o: string, by: Date, accept: (a: SweptActivity) => boolean) {
    this.calls.push('findRegistered');
    return [...this.activities.values()].find((a) => a.submittedAt !== undefined && a.submittedAt <= by.toISOString() && accept(a));
  }
  public async raiseActivityFlag(flag: FlagRecord & { activityId: string }) {
    return this.raise(flag);
  }
  public async raiseUnitFlag(flag: FlagRecord) {
    return this.raise(flag);
  }
  private raise(flag: FlagRecord) {
    const id = `${flag.code}|${flag.organizationId}|${flag.activityId ?? '-'}|${flag.milestone}`;
    if (this.flags.has(id)) return false;
    this.flags.set(id, flag);
    return true;
  }
  public async settle(activityId: string) {
    const a = this.activities.get(activityId);
    if (a) a.due = false;
  }
  public async summarySubmittedAt() {
    return this.summary;
  }
  public async evidence(activityId: string) {
    return this.evidenceOf.get(activityId) ?? { media: [] };
  }
  public async writeInbox(message: InboxMessage) {
    const old = this.inbox.get(message.messageId);
    if (old) return { written: false, stored: old };
    this.inbox.set(message.messageId, message);
    return { written: true, stored: message };
  }
}

class MemoryQueue implements MessageQueue {
  public sent: unknown[] = [];
  public async sendAll(bodies: readonly unknown[]) {
    this.sent.push(...bodies);
  }
}

const organization = (organizationId = ORG, listedAt?: string): Organization => ({
  organizationId,
  name: '红旗区科协',
  county: 'hongqi',
  type: 'association',
  ...(listedAt ? { listedAt } : {}),
});

function deps(store: MemoryStore, now: string, extensions: ExtensionFacts[] = [], webhookUrl?: string, stored: Campaign = campaign) {
  return {
    campaigns: fixedCampaignCatalog([stored]),
    organizations: { find: async (_c: unknown, id: string) => (id === 'ghost' ? undefined : organization(id)) },
    store,
    extensions: { forOrganization: async () => extensions },
    settings: { get: async () => ({ campaignId: campaign.id, organizationId: ORG, version: 0, ...(webhookUrl ? { webhookUrl } : {}) }) },
    notifications: new MemoryQueue(),
    clock: fixedClock(now),
  };
}

const draft = (id: string, createdAt = '2021-09-10T00:00:00.000Z'): SweptActivity => ({
  activityId: id,
  organizationId: ORG,
  status: 'draft',
  version: 1,
  createdAt,
});
const registered = (id: string, submittedAt = '2021-09-11T00:00:00.000Z', extra: Partial<SweptActivity> = {}): SweptActivity => ({
  ...draft(id),
  status: 'registered',
  version: 2,
  submittedAt,
  ...extra,
});

describe('sweepUnit', () => {
  it('before any milestone reads nothing and raises nothing', async () => {
    const store = new MemoryStore();
    store.add(draft('a1'));
    const out = await sweepUnit({ campaignId: campaign.id, organizationId: ORG }, deps(store, '2021-09-24T23:59:59.999+08:00'));
    expect(out.raised).toEqual([]);
    expect(store.calls).toEqual([]);
  });

  it('at registration: a draft is overdue, a unit without a registered activity is inactive; a second run raises nothing', async () => {
    const store = new MemoryStore();
    store.add(draft('a1'));
    const d = deps(store, '2021-09-25T00:00:00+08:00');
    const first = await sweepUnit({ campaignId: campaign.id, organizationId: ORG }, d);
    expect(first.raised.map((f) => `${f.code}:${f.activityId ?? '-'}`).sort()).toEqual(['organization-inactive:-', 'registration-overdue:a1']);
    expect(first.raised[0]!.raisedAt).toBe('2021-09-24T16:00:00.000Z');
    expect((await sweepUnit({ campaignId: campaign.id, organizationId: ORG }, d)).raised).toEqual([]);
    // Registration has passed but completion has not: the draft stays due (it may still be registered and run).
    expect(store.activities.get('a1')!.due).toBe(true);
  });

  it('a unit whose activity was registered in time and left the due index is not inactive (found by reading its activities)', async () => {
    const store = new MemoryStore();
    store.add(registered('a1', '2021-09-11T00:00:00.000Z', { status: 'completed', completedAt: '2021-09-20T00:00:00.000Z' }), false);
    const out = await sweepUnit({ campaignId: campaign.id, organizationId: ORG }, deps(store, '2021-09-25T00:00:00+08:00'));
    expect(out.raised).toEqual([]);
    expect(store.calls).toContain('findRegistered');
  });

  it('honours an extension: nothing until the extended deadline has passed, then the flags', async () => {
    const store = new MemoryStore();
    store.add(draft('a1'));
    const ext: ExtensionFacts[] = [{ organizationId: ORG, milestone: 'registration', until: new Date('2021-09-27T23:59:59.999+08:00') }];
    expect((await sweepUnit({ campaignId: campaign.id, organizationId: ORG }, deps(store, '2021-09-26T12:00:00+08:00', ext))).raised).toEqual([]);
    const after = await sweepUnit({ campaignId: campaign.id, organizationId: ORG }, deps(store, '2021-09-28T00:30:00+08:00', ext));
    expect(after.raised.map((f) => f.code).sort()).toEqual(['organization-inactive', 'registration-overdue']);
  });

  it('at completion: results-missing for registered activities not completed in time, summary-missing; then they leave the due index', async () => {
    const store = new MemoryStore();
    store.add(registered('a1'));
    store.add(registered('a2', '2021-09-11T00:00:00.000Z', { status: 'completed', completedAt: '2021-10-23T08:00:00.000Z' }), true);
    store.add(draft('a3'));
    const out = await sweepUnit({ campaignId: campaign.id, organizationId: ORG }, deps(store, '2021-10-23T09:00:00+08:00'));
    expect(out.raised.map((f) => `${f.code}:${f.activityId ?? '-'}`).sort()).toEqual([
      'registration-overdue:a3',
      'results-missing:a1',
      // Completed only after the deadline: still missing at the deadline.
      'results-missing:a2',
      'summary-missing:-',
    ]);
    expect(out.settled).toBe(3);
    expect([...store.activities.values()].every((a) => !a.due)).toBe(true);
  });

  it('a summary submitted in time spares the unit', async () => {
    const store = new MemoryStore();
    store.add(registered('a1', '2021-09-11T00:00:00.000Z', { status: 'completed', completedAt: '2021-10-01T00:00:00.000Z' }), false);
    store.summary = '2021-10-20T00:00:00.000Z';
    const out = await sweepUnit({ campaignId: campaign.id, organizationId: ORG }, deps(store, '2021-10-23T09:00:00+08:00'));
    expect(out.raised).toEqual([]);
  });

  it('a unit no longer listed is skipped', async () => {
    const store = new MemoryStore();
    expect((await sweepUnit({ campaignId: campaign.id, organizationId: 'ghost' }, deps(store, '2021-10-23T09:00:00+08:00'))).raised).toEqual([]);
  });

  it('a campaign closed while the message waited is not swept; a missing one fails loudly', async () => {
    const store = new MemoryStore();
    store.add(draft('a1'));
    const closed = deps(store, '2021-09-25T00:00:00+08:00', [], undefined, variant('closed'));
    expect(await sweepUnit({ campaignId: campaign.id, organizationId: ORG }, closed)).toEqual({ raised: [], due: 0, settled: 0 });
    expect(store.calls).toEqual([]);
    await expect(sweepUnit({ campaignId: 'nope', organizationId: ORG }, closed)).rejects.toThrow('no campaign nope');
  });
});

describe('remindUnit', () => {
  const job = (milestone: 'registration' | 'completion', at: string) => ({
    campaignId: campaign.id,
    organizationId: ORG,
    milestone,
    scheduleId: `${campaign.id}.${milestone}.remind-3d`,
    at,
  });

  it('names the drafts not yet submitted, once per schedule, and queues the webhook each time it is still queued', async () => {
    const store = new MemoryStore();
    store.add(draft('a1'));
    store.add(draft('a2'));
    store.add(registered('a3'));
    const d = deps(store, '2021-09-21T09:00:00+08:00', [], 'https://hooks.example.cn/robot');
    const first = await remindUnit(job('registration', '2021-09-21T01:00:00.000Z'), d);
    expect(first.outcome).toBe('sent');
    expect(first.message!.text.zh).toBe('2 项活动尚未提交登记。');
    expect(first.message!.webhook).toBe('queued');
    const again = await remindUnit(job('registration', '2021-09-21T01:00:00.000Z'), d);
    expect(again.outcome).toBe('already-sent');
    expect(store.inbox.size).toBe(1);
    const sent = d.notifications.sent as Array<{ deliveryId: string; text: string }>;
    expect(new Set(sent.map((s) => s.deliveryId)).size).toBe(1);
    expect(sent[0]!.text).toContain('2 项活动尚未提交登记');
    expect(sent[0]!.text).toContain('2 activities are not yet submitted');
  });

  it('a unit with nothing at all is told it registered nothing; one that owes nothing gets no message', async () => {
    const empty = new MemoryStore();
    expect((await remindUnit(job('registration', '2021-09-21T01:00:00.000Z'), deps(empty, '2021-09-21T09:00:00+08:00'))).message!.text.zh).toBe(
      '尚未登记任何活动。',
    );
    const done = new MemoryStore();
    done.add(registered('a1'));
    expect((await remindUnit(job('registration', '2021-09-21T01:00:00.000Z'), deps(done, '2021-09-21T09:00:00+08:00'))).outcome).toBe(
      'nothing-missing',
    );
  });

  it('before completion: counts activities without evidence, online ones without a URL, and the missing summary', async () => {
    const store = new MemoryStore();
    store.add(registered('a1'));
    store.add(registered('a2', '2021-09-11T00:00:00.000Z', { format: 'online' }));
    store.add(registered('a3'));
    store.evidenceOf.set('a2', {
      results: { activityId: 'a2', version: 1, actualParticipants: 5, newsLinks: ['https://n.example.cn/1'], updatedAt: '', updatedBy: '' },
      media: [],
    });
    const out = await remindUnit(job('completion', '2021-10-19T01:00:00.000Z'), deps(store, '2021-10-19T09:00:00+08:00'));
    expect(out.message!.text.zh).toBe('2 项活动尚未上传成果照片或新闻链接；1 项线上活动尚未填写活动网址；工作总结尚未提交。');
    expect(out.message!.text.en).toBe(
      '2 activities have no result photo, video or news link yet; 1 online activity has no URL yet; the work summary is not submitted.',
    );
  });

  it('after the unit’s deadline the reminder is dropped', async () => {
    const store = new MemoryStore();
    store.add(draft('a1'));
    expect((await remindUnit(job('registration', '2021-09-21T01:00:00.000Z'), deps(store, '2021-09-25T00:00:00+08:00'))).outcome).toBe('too-late');
  });

  it('a reminder of a campaign no longer published is dropped', async () => {
    const store = new MemoryStore();
    store.add(draft('a1'));
    const d = deps(store, '2021-09-21T09:00:00+08:00', [], undefined, variant('closed'));
    expect((await remindUnit(job('registration', '2021-09-21T01:00:00.000Z'), d)).outcome).toBe('not-published');
    expect(store.inbox.size).toBe(0);
  });

  it('a reminder whose date moved is a new message at its new instant (once there too)', async () => {
    // Prepare: sent at 09-21; registration then moved to 09-28, so the same schedule fires at 09-25
    const store = new MemoryStore();
    store.add(draft('a1'));
    await remindUnit(job('registration', '2021-09-21T01:00:00.000Z'), deps(store, '2021-09-21T09:00:00+08:00'));
    const moved = deps(store, '2021-09-25T09:00:00+08:00', [], undefined, variant('published', '2021-09-28'));
    // Act
    const again = await remindUnit(job('registration', '2021-09-25T01:00:00.000Z'), moved);
    const twice = await remindUnit(job('registration', '2021-09-25T01:00:00.000Z'), moved);
    // Assess
    expect(again.outcome).toBe('sent');
    expect(twice.outcome).toBe('already-sent');
    expect(store.inbox.size).toBe(2);
    const scheduleId = `${campaign.id}.registration.remind-3d`;
    expect(reminderMessageId(scheduleId, ORG, '2021-09-25T09:00:00+08:00')).toBe(reminderMessageId(scheduleId, ORG, '2021-09-25T01:00:00.000Z'));
    expect(reminderMessageId(scheduleId, ORG, '2021-09-25T01:00:00.000Z')).not.toBe(reminderMessageId(scheduleId, ORG, '2021-09-21T01:00:00.000Z'));
  });
});

describe('fan-out', () => {
  const units = [organization('a'), organization('b'), organization('c')];
  /** A catalog that counts how often the job made it forget what it cached. */
  const catalogOf = (campaigns: Campaign[]) => {
    const catalog = fixedCampaignCatalog(campaigns);
    const invalidated: Array<string | undefined> = [];
    return { find: catalog.find, all: catalog.all, invalidate: (id?: string) => void invalidated.push(id), invalidated };
  };
  const fanDeps = (now: string, campaigns: Campaign[] = [campaign]) => ({
    campaigns: catalogOf(campaigns),
    organizations: { list: async () => units },
    sweeps: new MemoryQueue(),
    clock: fixedClock(now),
    reconcileWindowDays: 60,
  });
  const milestoneJob = { type: 'milestone', campaignId: campaign.id, milestone: 'registration', scheduleId: 's' } as const;

  it('a milestone sends one sweep message per unit, reading the campaign afresh as it fires', async () => {
    const d = fanDeps('2021-09-25T00:00:00+08:00');
    const run = await startScheduledJob(milestoneJob, d);
    expect(run).toEqual({ runId: 's', campaigns: [campaign.id], messages: 3 });
    expect(d.sweeps.sent).toEqual(units.map((u) => ({ version: 1, type: 'sweep', campaignId: campaign.id, organizationId: u.organizationId, runId: 's' })));
    expect(d.campaigns.invalidated).toEqual([campaign.id]);
  });

  it('a milestone’s job does nothing for a campaign not published, nor before its (moved) deadline has passed', async () => {
    const at = '2021-09-25T00:00:00+08:00';
    const skipped = async (campaigns: Campaign[], now = at) => {
      const d = fanDeps(now, campaigns);
      const run = await startScheduledJob(milestoneJob, d);
      expect(d.sweeps.sent).toHaveLength(run.skipped ? 0 : units.length);
      return run.skipped;
    };
    expect(await skipped([variant('draft')])).toBe('not-published');
    expect(await skipped([variant('closed')])).toBe('not-published');
    expect(await skipped([])).toBe('unknown-campaign');
    // A schedule left at the old date after registration moved to 09-28.
    expect(await skipped([variant('published', '2021-09-28')])).toBe('not-due');
    // Exactly at the deadline (23:59:59.999) it has not passed yet.
    expect(await skipped([campaign], '2021-09-24T23:59:59.999+08:00')).toBe('not-due');
    expect(await skipped([campaign])).toBeUndefined();
  });

  it('the reconciliation sweeps published campaigns with a milestone passed in the window, and none outside it', async () => {
    expect((await startScheduledJob({ type: 'reconcile' }, fanDeps('2021-09-20T00:00:00+08:00'))).messages).toBe(0);
    const d = fanDeps('2021-09-28T00:30:00+08:00');
    expect((await startScheduledJob({ type: 'reconcile' }, d)).campaigns).toEqual([campaign.id]);
    expect(d.campaigns.invalidated).toEqual([undefined]);
    expect((await startScheduledJob({ type: 'reconcile' }, fanDeps('2022-03-01T00:30:00+08:00'))).messages).toBe(0);
    for (const status of ['draft', 'closed'] as const) {
      expect(await startScheduledJob({ type: 'reconcile' }, fanDeps('2021-09-28T00:30:00+08:00', [variant(status)]))).toMatchObject({ campaigns: [], messages: 0 });
    }
  });

  it('a reminder sends one remind message per unit; nothing when the campaign is not published, unknown, or its reminder moved', async () => {
    const d = fanDeps('2021-09-21T09:00:00+08:00');
    const job = { type: 'reminder', campaignId: campaign.id, milestone: 'registration', scheduleId: 'r', daysBefore: 3, at: '2021-09-21T01:00:00.000Z' } as const;
    expect(await startReminders(job, d)).toEqual({ messages: 3 });
    expect(d.campaigns.invalidated).toEqual([campaign.id]);
    expect(await startReminders({ ...job, campaignId: 'nope' }, d)).toEqual({ messages: 0, skipped: 'unknown-campaign' });
    const other = (campaigns: Campaign[]) => fanDeps('2021-09-21T09:00:00+08:00', campaigns);
    expect(await startReminders(job, other([variant('closed')]))).toEqual({ messages: 0, skipped: 'not-published' });
    // Registration moved to 09-28: its 3-day reminder is now at 09-25 09:00, not at the job's 09-21.
    expect(await startReminders(job, other([variant('published', '2021-09-28')]))).toEqual({ messages: 0, skipped: 'reminder-moved' });
    // A reminder day the campaign no longer has.
    expect(await startReminders({ ...job, daysBefore: 7 }, d)).toEqual({ messages: 0, skipped: 'reminder-moved' });
    expect(d.sweeps.sent).toHaveLength(3);
  });
});
