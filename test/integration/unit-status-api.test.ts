// A unit's status (the web app's home page) through the gateway, on a runtime of its own whose
// clock starts before the 2021-xinxiang registration deadline and is moved forward, frozen at
// exact instants, by the tests in order: the shared runtime's clock is past both milestones and
// only moves forward. Each test works on units it adds itself (listed before the registration
// milestone, so the sweeps concern them like the units of the campaign definition).
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FLAG_GUIDE } from '../../shared/domain/flag-guide';
import type { ReminderGaps } from '../../shared/domain/inbox';
import { stopRuntime, spawnRuntimeKeepingUnits } from '../helpers/private-runtime';
import { eventually, runtimeInfo, uniqueId } from '../helpers/runtime';
import { client, completeActivity, tokenFor, type Client } from '../helpers/api';

/** Units kept of the seed campaign's 130: the clock moves fan out one job per unit (test/helpers/private-runtime.ts). */
const UNITS = 50;

jest.setTimeout(120_000);

const dataDir = mkdtempSync(join(tmpdir(), 'sciday-unit-status-'));
const C = '/v1/campaigns/2021-xinxiang';
let runtime: ChildProcess;
let url: string;
let admin: Client;

interface Bilingual {
  zh: string;
  en: string;
}
interface StatusFlag {
  flagId: string;
  code: keyof typeof FLAG_GUIDE;
  organizationId: string;
  activityId?: string;
  milestone: string;
  raisedAt: string;
  waived: boolean;
  waivedReason?: string;
  guide: { meaning: Bilingual; howToClear: Bilingual };
}
interface MilestoneStatus {
  milestone: 'registration' | 'completion';
  campaignDeadline: string;
  deadline: string;
  extended: boolean;
  passed: boolean;
  secondsLeft: number;
  gaps: ReminderGaps | null;
  reminder: { title: Bilingual; text: Bilingual } | null;
}
interface UnitStatus {
  campaignId: string;
  organization: { organizationId: string; name: string };
  asOf: string;
  milestones: MilestoneStatus[];
  flags: StatusFlag[];
  activities: { draft: number; registered: number; completed: number };
}

const as = async (sub: string, orgId: string, ...roles: string[]) => client(url, await tokenFor(url, { sub, orgId, roles }));

/** Moves the runtime's clock to `now` and stops it there; the scheduler fires what falls due on the way. */
async function freezeClock(now: string): Promise<void> {
  const res = await fetch(`${url}/local/clock`, { method: 'POST', body: JSON.stringify({ now, frozen: true }) });
  expect(res.status).toBe(200);
  // Tokens live an hour of the runtime's clock: take fresh ones at the new time.
  admin = await as('admin-1', 'xinxiang-kx', 'admin');
}

/** A unit added now by the admin, and a way to act as its organizer (a fresh token each time). */
async function newUnit(): Promise<{ orgId: string; organizer: () => Promise<Client> }> {
  const res = await admin.post<{ items: Array<{ organizationId: string }> }>(`${C}/organizations`, { name: uniqueId('首页进度测试单位'), county: 'hongqi', type: 'society' });
  expect(res.status).toBe(201);
  const orgId = res.body.items[0]?.organizationId ?? '';
  return { orgId, organizer: () => as(`org-${orgId}`, orgId, 'organizer') };
}

/** An activity that starts after every instant the tests set: submitting it never earns `not-published-in-advance`. */
const laterActivity = () => ({ ...completeActivity(), startsAt: '2021-11-20T09:00:00+08:00', endsAt: '2021-11-20T11:30:00+08:00' });

async function statusOf(c: Client, orgId: string): Promise<UnitStatus> {
  const res = await c.get<UnitStatus>(`${C}/organizations/${orgId}/status`);
  if (res.status !== 200) throw new Error(`GET status: ${res.status} ${res.text}`);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return res.body;
}

const milestone = (s: UnitStatus, id: MilestoneStatus['milestone']): MilestoneStatus => {
  const m = s.milestones.find((x) => x.milestone === id);
  if (!m) throw new Error(`no ${id} milestone in ${JSON.stringify(s)}`);
  return m;
};

/** Whole seconds from `asOf` until `deadline` (its last on-time instant) ends, rounded up. */
const secondsBetween = (asOf: string, deadline: string) => Math.ceil((Date.parse(deadline) + 1 - Date.parse(asOf)) / 1000);

beforeAll(async () => {
  runtime = await spawnRuntimeKeepingUnits(UNITS, dataDir, { SCIDAY_CLOCK: '2021-09-20T09:00:00+08:00' });
  url = runtimeInfo(dataDir).url;
  await freezeClock('2021-09-20T10:00:00+08:00');
});

afterAll(async () => {
  if (runtime) await stopRuntime(runtime, dataDir);
});

describe('API: GET /v1/campaigns/{campaignId}/organizations/{orgId}/status', () => {
  /** Unit A registers one activity in time and leaves a second one a draft past the deadline. */
  let a: Awaited<ReturnType<typeof newUnit>>;
  /** Unit B does nothing. */
  let b: Awaited<ReturnType<typeof newUnit>>;
  let registeredId = '';
  let overdueId = '';

  beforeAll(async () => {
    a = await newUnit();
    b = await newUnit();
  });

  it('names a draft as the registration gap, exactly as the reminder does, and drops it once submitted', async () => {
    // Prepare
    const organizer = await a.organizer();
    const created = await organizer.post<{ activityId: string }>(`${C}/activities`, laterActivity());
    expect(created.status).toBe(201);
    registeredId = created.body.activityId;

    // Act
    const before = await statusOf(organizer, a.orgId);

    // Assess
    expect(before).toMatchObject({ campaignId: '2021-xinxiang', organization: { organizationId: a.orgId }, asOf: '2021-09-20T10:00:00+08:00', flags: [] });
    expect(before.activities).toEqual({ draft: 1, registered: 0, completed: 0 });
    expect(milestone(before, 'registration')).toEqual({
      milestone: 'registration',
      name: { zh: expect.any(String), en: expect.any(String) },
      dueDate: '2021-09-24',
      campaignDeadline: '2021-09-24T23:59:59.999+08:00',
      deadline: '2021-09-24T23:59:59.999+08:00',
      extended: false,
      passed: false,
      secondsLeft: 4 * 86_400 + 14 * 3600,
      gaps: { drafts: 1 },
      reminder: { title: expect.objectContaining({ zh: expect.stringContaining('截止 2021-09-24 23:59') }), text: { zh: '1 项活动尚未提交登记。', en: '1 activity is not yet submitted.' } },
    });

    // Act: the 3-days reminder fires (2021-09-21 09:00) and writes what it names to the inbox.
    await freezeClock('2021-09-21T09:00:01+08:00');
    const inbox = await (await a.organizer()).get<{ items: Array<{ milestone: string; gaps: ReminderGaps; title: Bilingual; text: Bilingual }> }>(
      `${C}/organizations/${a.orgId}/inbox`,
    );
    const atReminder = await statusOf(await a.organizer(), a.orgId);

    // Assess: the same gaps, title and text.
    const reminder = inbox.body.items.find((m) => m.milestone === 'registration');
    expect(reminder).toBeDefined();
    expect(milestone(atReminder, 'registration')).toMatchObject({ gaps: reminder?.gaps, reminder: { title: reminder?.title, text: reminder?.text } });

    // Act: submit it.
    expect((await (await a.organizer()).post(`/v1/activities/${registeredId}/submit`)).status).toBe(200);
    const after = await statusOf(await a.organizer(), a.orgId);

    // Assess
    expect(after.activities).toEqual({ draft: 0, registered: 1, completed: 0 });
    expect(milestone(after, 'registration')).toMatchObject({ passed: false, gaps: {}, reminder: null });
    expect(milestone(after, 'completion')).toMatchObject({ passed: false, gaps: { withoutEvidence: 1, summaryMissing: true } });
    expect(after.flags).toEqual([]);
  });

  it('shows the flags the registration milestone raised with their guide, open ones first, then waived', async () => {
    // Prepare: a second draft of A stays a draft past the deadline; B registers nothing.
    const created = await (await a.organizer()).post<{ activityId: string }>(`${C}/activities`, laterActivity());
    expect(created.status).toBe(201);
    overdueId = created.body.activityId;

    // Act: the registration milestone fires (its sweep flags both units).
    await freezeClock('2021-09-25T00:00:05+08:00');
    const flagged = await eventually(async () => {
      const s = await statusOf(await a.organizer(), a.orgId);
      return s.flags.length > 0 ? s : undefined;
    }, 60_000, 'unit A’s flags');
    const inactive = await eventually(async () => {
      const s = await statusOf(admin, b.orgId);
      return s.flags.length > 0 ? s : undefined;
    }, 60_000, 'unit B’s flags');

    // Assess
    expect(milestone(flagged, 'registration')).toMatchObject({ passed: true, secondsLeft: 0, gaps: null, reminder: null });
    expect(flagged.flags).toEqual([
      expect.objectContaining({ code: 'registration-overdue', activityId: overdueId, milestone: 'registration', waived: false, guide: FLAG_GUIDE['registration-overdue'] }),
    ]);
    expect(flagged.flags[0]?.raisedAt).toMatch(/\+08:00$/);
    expect(inactive.flags).toEqual([expect.objectContaining({ code: 'organization-inactive', organizationId: b.orgId, waived: false, guide: FLAG_GUIDE['organization-inactive'] })]);
    expect(inactive.flags[0]).not.toHaveProperty('activityId');
    expect(inactive.activities).toEqual({ draft: 0, registered: 0, completed: 0 });

    // Act: A submits the overdue draft late, and the admin waives the overdue flag.
    const submitted = await (await a.organizer()).post<{ flags: Array<{ code: string }> }>(`/v1/activities/${overdueId}/submit`);
    expect(submitted.status).toBe(200);
    const overdue = flagged.flags[0]?.flagId ?? '';
    expect((await admin.post(`/v1/flags/${overdue}/waive`, { reason: '活动因场地调整推迟登记，已核实' })).status).toBe(200);
    const after = await eventually(async () => {
      const s = await statusOf(await a.organizer(), a.orgId);
      return s.flags.length === 2 && s.flags.some((f) => f.waived) ? s : undefined;
    }, 20_000, 'the late flag and the waiver');

    // Assess
    expect(after.flags.map((f) => [f.code, f.activityId, f.waived])).toEqual([
      ['registration-late', overdueId, false],
      ['registration-overdue', overdueId, true],
    ]);
    expect(after.flags[0]?.guide).toEqual(FLAG_GUIDE['registration-late']);
    expect(after.flags[1]).toMatchObject({ waivedReason: '活动因场地调整推迟登记，已核实', guide: FLAG_GUIDE['registration-overdue'] });
    expect(after.activities).toEqual({ draft: 0, registered: 2, completed: 0 });
  });

  it('moves a milestone’s deadline by the extension granted to the unit', async () => {
    // Act: B's registration deadline (passed) and A's completion deadline are extended.
    const granted = await Promise.all([
      admin.post(`${C}/extensions`, { organizationId: b.orgId, milestone: 'registration', until: '2021-09-27T23:59:59+08:00', reason: '单位新成立，补办登记手续' }),
      admin.post(`${C}/extensions`, { organizationId: a.orgId, milestone: 'completion', until: '2021-10-29T23:59:59+08:00', reason: '成果材料需上级审核后报送' }),
    ]);
    expect(granted.map((g) => g.status)).toEqual([201, 201]);
    const [forA, forB] = await Promise.all([statusOf(await a.organizer(), a.orgId), statusOf(admin, b.orgId)]);

    // Assess: B's registration is open again (its flag stays), A's completion is due a week later.
    expect(milestone(forB, 'registration')).toEqual(
      expect.objectContaining({
        campaignDeadline: '2021-09-24T23:59:59.999+08:00',
        deadline: '2021-09-27T23:59:59+08:00',
        extended: true,
        passed: false,
        secondsLeft: secondsBetween(forB.asOf, '2021-09-27T23:59:59+08:00'),
        gaps: { noActivity: true },
      }),
    );
    expect(milestone(forB, 'registration').secondsLeft).toBe(3 * 86_400 - 5);
    expect(forB.flags.map((f) => f.code)).toEqual(['organization-inactive']);
    expect(milestone(forA, 'completion')).toEqual(
      expect.objectContaining({
        campaignDeadline: '2021-10-22T23:59:59.999+08:00',
        deadline: '2021-10-29T23:59:59+08:00',
        extended: true,
        passed: false,
        secondsLeft: secondsBetween(forA.asOf, '2021-10-29T23:59:59+08:00'),
        gaps: { withoutEvidence: 2, summaryMissing: true },
      }),
    );
    expect(milestone(forA, 'registration')).toMatchObject({ deadline: '2021-09-24T23:59:59.999+08:00', extended: false, passed: true });
  });

  it('answers 404 problem+json for an unknown campaign and an unknown unit', async () => {
    const campaign = await admin.get(`/v1/campaigns/no-such-campaign/organizations/${a.orgId}/status`);
    const unit = await admin.get(`${C}/organizations/no-such-unit/status`);
    for (const res of [campaign, unit]) {
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });
});
