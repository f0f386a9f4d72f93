// GET /v1/campaigns/{campaignId}/extensions through the gateway, on the shared runtime: who
// granted which deadline to whom, when and why. Each test works on units it adds itself (the
// shared runtime holds other tests' grants) and filters by them.
import { client, completeActivity, tokenFor, type ApiResponse, type Client } from '../helpers/api';
import { runtimeInfo, uniqueId } from '../helpers/runtime';

jest.setTimeout(60_000);

const C = '/v1/campaigns/2021-xinxiang';
let url = '';
let admin: Client;
let reviewer: Client;
let analyst: Client;

interface ExtensionView {
  extensionId: string;
  campaignId: string;
  organizationId: string;
  activityId?: string;
  milestone: string;
  until: string;
  reason: string;
  grantedBy: string;
  grantedAt: string;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const as = async (sub: string, orgId: string, ...roles: string[]) => client(url, await tokenFor(url, { sub, orgId, roles }));

async function newUnit(): Promise<string> {
  const res = await admin.post<{ items: Array<{ organizationId: string }> }>(`${C}/organizations`, { name: uniqueId('延期记录测试单位'), county: 'weibin', type: 'school' });
  expect(res.status).toBe(201);
  return res.body.items[0]?.organizationId ?? '';
}

async function grant(body: Record<string, unknown>): Promise<ExtensionView> {
  const res = await admin.post<ExtensionView>(`${C}/extensions`, body, { 'idempotency-key': uniqueId('ext') });
  expect(res.status).toBe(201);
  return res.body;
}

/** Every page of a list, following `nextCursor`. */
async function allPages(c: Client, query: string): Promise<Array<Page<ExtensionView>>> {
  const pages: Array<Page<ExtensionView>> = [];
  let cursor: string | null = null;
  do {
    const res: ApiResponse<Page<ExtensionView>> = await c.get<Page<ExtensionView>>(`${C}/extensions?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.status).toBe(200);
    pages.push(res.body);
    cursor = res.body.nextCursor;
  } while (cursor && pages.length < 200);
  return pages;
}

beforeAll(async () => {
  url = runtimeInfo().url;
  admin = await as('admin-ext-list', 'city-kx', 'admin');
  reviewer = await as('reviewer-ext-list', 'city-kx', 'reviewer');
  analyst = await as('analyst-ext-list', 'city-kx', 'analyst');
});

describe('API: GET /v1/campaigns/{campaignId}/extensions', () => {
  let orgA = '';
  let orgB = '';
  let activityId = '';
  const granted: ExtensionView[] = [];

  beforeAll(async () => {
    [orgA, orgB] = await Promise.all([newUnit(), newUnit()]);
    const organizer = await as(`org-${orgA}`, orgA, 'organizer');
    const created = await organizer.post<{ activityId: string }>(`${C}/activities`, { ...completeActivity(), county: 'weibin' });
    expect(created.status).toBe(201);
    activityId = created.body.activityId;
    // One after the other: grantedAt orders a unit's grants.
    granted.push(await grant({ organizationId: orgA, milestone: 'registration', until: '2021-09-30T18:00:00+08:00', reason: '系统故障，延期登记' }));
    granted.push(await grant({ organizationId: orgA, activityId, milestone: 'completion', until: '2021-10-29T23:59:59+08:00', reason: '活动延期举办，成果顺延' }));
    granted.push(await grant({ organizationId: orgA, milestone: 'completion', until: '2021-10-31T23:59:59+08:00', reason: '总结材料需上级审核' }));
    granted.push(await grant({ organizationId: orgB, milestone: 'registration', until: '2021-09-28T12:00:00+08:00', reason: '单位新近加入' }));
  });

  it('lists a unit’s grants oldest first: who granted what, when and why, times in +08:00', async () => {
    // Act
    const res = await admin.get<Page<ExtensionView>>(`${C}/extensions?organizationId=${orgA}&limit=100`);
    // Assess
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual(granted.slice(0, 3));
    expect(res.body.items[1]).toEqual({
      extensionId: granted[1]?.extensionId,
      campaignId: '2021-xinxiang',
      organizationId: orgA,
      activityId,
      milestone: 'completion',
      until: '2021-10-29T23:59:59+08:00',
      reason: '活动延期举办，成果顺延',
      grantedBy: 'admin-ext-list',
      grantedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00$/),
    });
    expect(res.body.items.map((e) => e.grantedAt)).toEqual([...res.body.items.map((e) => e.grantedAt)].sort());
  });

  it('answers reviewers the same; an unknown unit has none', async () => {
    const byReviewer = await reviewer.get<Page<ExtensionView>>(`${C}/extensions?organizationId=${orgB}`);
    expect(byReviewer.status).toBe(200);
    expect(byReviewer.body).toEqual({ items: [granted[3]], nextCursor: null });
    const none = await reviewer.get<Page<ExtensionView>>(`${C}/extensions?organizationId=no-such-unit`);
    expect(none.status).toBe(200);
    expect(none.body.items).toEqual([]);
  });

  it('lists the whole campaign without a filter: every grant of both units once, by unit', async () => {
    // Act
    const items = (await allPages(admin, 'limit=100')).flatMap((p) => p.items);
    // Assess
    const mine = items.filter((e) => e.organizationId === orgA || e.organizationId === orgB);
    const ids = mine.map((e) => e.extensionId);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...mine].sort((a, b) => a.extensionId.localeCompare(b.extensionId))).toEqual(
      [...granted].sort((a, b) => a.extensionId.localeCompare(b.extensionId)),
    );
    // Grouped by unit: each unit's grants are next to each other.
    const units = items.map((e) => e.organizationId).filter((o, i, all) => i === 0 || all[i - 1] !== o);
    expect(new Set(units).size).toBe(units.length);
  });

  it('pages with ?limit and ?cursor: every grant once, in order', async () => {
    // Act
    const pages = await allPages(admin, `organizationId=${orgA}&limit=1`);
    // Assess
    const items = pages.flatMap((p) => p.items);
    expect(pages.every((p) => p.items.length <= 1)).toBe(true);
    expect(items).toEqual(granted.slice(0, 3));
    expect(pages.at(-1)?.nextCursor).toBeNull();
  });

  it('refuses a cursor of another list, an organizationId that is no id and a bad limit (400)', async () => {
    const first = await admin.get<Page<ExtensionView>>(`${C}/extensions?organizationId=${orgA}&limit=1`);
    expect(first.body.nextCursor).not.toBeNull();
    const elsewhere = await admin.get(`${C}/extensions?organizationId=${orgB}&cursor=${encodeURIComponent(first.body.nextCursor ?? '')}`);
    expect(elsewhere.status).toBe(400);
    expect((await admin.get(`${C}/extensions?organizationId=${encodeURIComponent('a b')}`)).status).toBe(400);
    expect((await admin.get(`${C}/extensions?limit=0`)).status).toBe(400);
  });

  it('answers 401 without a token and 404 for an unknown campaign', async () => {
    const anonymous = await client(url).get(`${C}/extensions`);
    expect(anonymous.status).toBe(401);
    expect((await admin.get('/v1/campaigns/1999-nowhere/extensions')).status).toBe(404);
  });

  it('is for reviewers and admins: an organizer (of another unit or its own) and an analyst get 403 and nothing of the grants', async () => {
    // Prepare
    const otherOrganizer = await as(`org-${orgB}`, orgB, 'organizer');
    const ownOrganizer = await as(`org-${orgA}-own`, orgA, 'organizer');
    // Act
    const answers = await Promise.all([
      otherOrganizer.get(`${C}/extensions?organizationId=${orgA}`),
      otherOrganizer.get(`${C}/extensions`),
      ownOrganizer.get(`${C}/extensions?organizationId=${orgA}`),
      analyst.get(`${C}/extensions?organizationId=${orgA}`),
      analyst.get(`${C}/extensions`),
    ]);
    // Assess
    for (const res of answers) {
      expect(res.status).toBe(403);
      expect(res.text).not.toContain('系统故障');
    }
  });
});
