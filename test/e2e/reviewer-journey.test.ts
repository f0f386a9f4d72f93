/**
 * A reviewer of the city association in the browser, at a desktop and a phone width: real data
 * made through the API first (five units register activities on time, add results, a photo and
 * their work summaries). The API takes reviews at any time, so the clock is not moved past the
 * completion milestone (22 October): that move sweeps every unit of the campaign twice and was
 * the slowest step by far (over a minute on a loaded machine), for nothing this journey checks.
 * 市科技局's user, with the reviewer role only, sees the ranking (two units tied on one rank
 * number), reviews 红旗区科协 and then, one click on, 卫滨区科协 (If-Match on every save), finds
 * the ranking changed (ranks asserted before and after), downloads the commendation list and
 * finds the units in it; its own unit is listed but not reviewable (the API refuses too) and
 * "next unreviewed" skips it; a colleague's save (412) is shown beside what was typed: keeping
 * mine keeps my change and theirs to the rest (desktop), loading theirs replaces mine (phone).
 *
 * Every page and dialog the journey builds (scores, review, own unit, 412 dialog) is checked
 * with axe-core at 1280 and 390 px and saved as a screenshot in `.e2e-screenshots/`; the last
 * test holds them to no `serious` or `critical` violation.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { client, completeActivity, tokenFor, type Client } from '../helpers/api';
import { decodableJpeg } from '../helpers/sample-files';
import {
  CAMPAIGN_ID, SCREENSHOT_DIR, auditPage, blocking, newContext, signInAs, startStage, until,
  type AxeFinding, type Stage, type Width,
} from '../helpers/browser';

jest.setTimeout(90_000);

const C = `/v1/campaigns/${CAMPAIGN_ID}`;
const REVIEWER = { orgId: 'city-kjj', name: '市科技局' };
const NAMES: Record<string, string> = { 'hongqi-kx': '红旗区科协', 'weibin-kx': '卫滨区科协', 'fengquan-kx': '凤泉区科协', 'muye-kx': '牧野区科协', 'city-kjj': '市科技局' };

let stage: Stage;
const api = new Map<string, Client>();
const activityIds = new Map<string, string[]>();
const sessions = new Map<Width, { context: BrowserContext; page: Page }>();
const AUDITED = ['scores', 'review', 'own-unit', 'review-conflict'] as const;
const findings: AxeFinding[] = [];
const audited = new Set<string>();
async function audit(page: Page, name: (typeof AUDITED)[number], width: Width): Promise<void> {
  findings.push(...(await auditPage(page, `reviewer-${name}`, width)));
  audited.add(`${name}@${width}`);
}
const as = async (orgId: string, role: 'organizer' | 'reviewer', sub = `${orgId}-${role}-e2e`) =>
  client(stage.url, await tokenFor(stage.url, { sub, orgId, roles: [role] }));

/** An activity of `county` on 22 September (after now: published in advance), offline unless a URL is given. */
function activity(title: string, county: string, extra: Record<string, unknown> = {}) {
  const base = completeActivity();
  const online = typeof extra.onlineUrl === 'string';
  const { venue, maxOnSite, epidemicPlan, ...rest } = base;
  return {
    ...rest,
    ...(online ? { format: 'online', kind: 'joint-action', jointAction: 'cloud' } : { venue, maxOnSite, epidemicPlan }),
    title,
    county,
    startsAt: '2021-09-22T09:00:00+08:00',
    endsAt: '2021-09-22T11:30:00+08:00',
    ...extra,
  };
}

/** Registers (creates and submits) an activity for `orgId` and records its results; answers its id. */
async function register(orgId: string, body: Record<string, unknown>, results: { actualParticipants: number; newsLinks: string[] }): Promise<string> {
  const org = api.get(orgId)!;
  const created = await org.post<{ activityId: string }>(`${C}/activities`, body);
  if (created.status !== 201) throw new Error(`create for ${orgId}: ${created.status} ${created.text}`);
  const id = created.body.activityId;
  const submitted = await org.post(`/v1/activities/${id}/submit`);
  if (submitted.status !== 200) throw new Error(`submit for ${orgId}: ${submitted.status} ${submitted.text}`);
  const put = await org.put(`/v1/activities/${id}/results`, results);
  if (put.status !== 200) throw new Error(`results for ${orgId}: ${put.status} ${put.text}`);
  activityIds.set(orgId, [...(activityIds.get(orgId) ?? []), id]);
  return id;
}

async function uploadPhoto(orgId: string, activityId: string): Promise<void> {
  const photo = decodableJpeg({ exifDate: '2021:09:22 09:30:00' });
  const grant = await api.get(orgId)!.post<{ url: string; fields: Record<string, string> }>(`/v1/activities/${activityId}/uploads`, {
    kind: 'photo',
    fileName: '活动现场.jpg',
    contentType: 'image/jpeg',
    size: photo.length,
  });
  if (grant.status !== 201) throw new Error(`upload grant: ${grant.status} ${grant.text}`);
  const form = new FormData();
  for (const [k, v] of Object.entries(grant.body.fields)) form.append(k, v);
  form.append('file', new Blob([photo], { type: 'image/jpeg' }), '活动现场.jpg');
  const res = await fetch(grant.body.url, { method: 'POST', body: form });
  if (res.status >= 300) throw new Error(`upload: ${res.status} ${await res.text()}`);
}

beforeAll(async () => {
  stage = await startStage('2021-09-20T09:00:00+08:00');
  for (const orgId of Object.keys(NAMES)) api.set(orgId, await as(orgId, 'organizer'));
  // Each unit's activities in order (ids kept in that order), the units side by side.
  let hongqi = '';
  await Promise.all([
    // 红旗区 and 卫滨区: the same two activities, but only 红旗区 has an accepted photo (a little ahead).
    (async () => {
      hongqi = await register('hongqi-kx', activity('红旗区碳中和科普进社区', 'hongqi', { coOrganizers: ['新乡市科技馆'] }), {
        actualParticipants: 300,
        newsLinks: ['https://news.example.cn/hongqi-1', 'https://news.example.cn/hongqi-2'],
      });
      await uploadPhoto('hongqi-kx', hongqi);
      await register('hongqi-kx', activity('红旗区云上科普直播', 'hongqi', { onlineUrl: 'https://live.example.cn/hongqi' }), { actualParticipants: 500, newsLinks: ['https://news.example.cn/hongqi-3'] });
    })(),
    (async () => {
      await register('weibin-kx', activity('卫滨区碳中和科普进社区', 'weibin', { coOrganizers: ['新乡市科技馆'] }), {
        actualParticipants: 300,
        newsLinks: ['https://news.example.cn/weibin-1', 'https://news.example.cn/weibin-2'],
      });
      await register('weibin-kx', activity('卫滨区云上科普直播', 'weibin', { onlineUrl: 'https://live.example.cn/weibin' }), { actualParticipants: 500, newsLinks: ['https://news.example.cn/weibin-3'] });
    })(),
    // 凤泉区 and 牧野区: one identical activity each (tied).
    ...(
      [
        ['fengquan-kx', 'fengquan'],
        ['muye-kx', 'muye'],
      ] as const
    ).map(([orgId, county]) =>
      register(orgId, activity('节水知识讲座', county, { coOrganizers: [], volunteers: { count: 2, hours: 4 } }), { actualParticipants: 100, newsLinks: [`https://news.example.cn/${orgId}`] }),
    ),
    // The reviewer's own unit registered too.
    register('city-kjj', activity('科技资源科普化开放日', 'city', { coOrganizers: ['新乡学院', '河南师范大学'] }), { actualParticipants: 400, newsLinks: ['https://news.example.cn/kjj'] }),
    ...Object.keys(NAMES).map(async (orgId) => {
      const text = `${NAMES[orgId]}围绕科普日主题组织开展了社区科普讲座、科学实验展示和科技志愿服务等活动，群众反响良好。`;
      const res = await api.get(orgId)!.put(`${C}/organizations/${orgId}/summary`, { text });
      if (res.status !== 200) throw new Error(`summary of ${orgId}: ${res.status} ${res.text}`);
    }),
  ]);
  await until(async () => {
    const media = await api.get('hongqi-kx')!.get<{ items: Array<{ status: string }> }>(`/v1/activities/${hongqi}/media`);
    return media.body.items[0]?.status === 'accepted' ? true : undefined;
  }, 'the photo accepted', 25_000);
}, 120_000);

afterAll(async () => {
  for (const s of sessions.values()) await s.context.close().catch(() => undefined);
  await stage?.stop();
});

const session = (width: Width) => {
  const s = sessions.get(width);
  if (!s) throw new Error(`no browser session for ${width}: an earlier step failed`);
  return s;
};
const nav = (page: Page, name: string) => page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name, exact: true }).click();
const savedStatus = (page: Page, status: string) => page.locator(`[data-testid="review-form"] [data-testid="save-status"][data-status="${status}"]`);

/** Opens the scores page and answers each unit's rank as the table shows it. */
async function ranks(page: Page): Promise<Record<string, number>> {
  await nav(page, '评分排名');
  await page.waitForURL(/\/console\/scores$/);
  await page.getByTestId('ranking').waitFor();
  const out: Record<string, number> = {};
  for (const orgId of Object.keys(NAMES)) out[orgId] = Number(await page.locator(`[data-testid="ranking"] tr[data-org="${orgId}"]`).getAttribute('data-rank'));
  return out;
}

/** Types a score into the indicator's number input (it commits on leaving it). */
async function score(page: Page, indicator: string, value: number): Promise<void> {
  const input = page.locator(`#rv-score-${indicator}`);
  await input.fill(String(value));
  await input.press('Tab');
}
const INDICATORS = ['mobilization', 'publicity', 'highlights', 'volunteering', 'online'] as const;

async function reviewOnServer(orgId: string): Promise<{ version: number; scores: Record<string, number>; comment?: string; distinctiveActivityIds: string[] }> {
  const colleague = await as('city-kx', 'reviewer', 'colleague-e2e');
  const res = await colleague.get<{ version: number; scores: Record<string, number>; comment?: string; distinctiveActivityIds: string[] }>(`${C}/organizations/${orgId}/review`);
  if (res.status !== 200) throw new Error(`review of ${orgId}: ${res.status} ${res.text}`);
  return res.body;
}

describe('A reviewer scores units in the browser and sees the ranking change', () => {
  it('desktop: signs in as a reviewer and sees the ranking, ties grouped under one rank number', async () => {
    // Prepare
    const context = await newContext(stage.browser, 'desktop');
    const page = await context.newPage();
    sessions.set('desktop', { context, page });
    await signInAs(page, stage.url, REVIEWER.name, ['reviewer'], 'signed-in-unit');
    // Act
    const before = await ranks(page);
    // Assess: 红旗区 ahead of 卫滨区 on the photo; 凤泉区 and 牧野区 tied, one rank cell for both
    expect(before['hongqi-kx']).toBe(1);
    expect(before['weibin-kx']).toBe(2);
    expect(before['fengquan-kx']).toBe(before['muye-kx']);
    const tied = page.locator(`[data-testid="ranking"] tbody.tied[data-rank="${before['fengquan-kx']}"]`);
    await expect(tied.locator('tr').count()).resolves.toBe(2);
    await expect(tied.locator('th[scope="rowgroup"]').count()).resolves.toBe(1);
    await expect(tied.locator('th[scope="rowgroup"]').getAttribute('rowspan')).resolves.toBe('2');
    // The weights are in the headers; the chart is drawn, labelled and described.
    await expect(page.locator('[data-testid="ranking"] thead').innerText()).resolves.toMatch(/组织动员[\s\S]*15 分[\s\S]*数量规模[\s\S]*20 分/);
    // The reviewer's own unit (市科技局) shows "—" where its review is withheld, and the page says why in words.
    await expect(page.locator('[data-testid="ranking"] tr[data-org="city-kjj"]').innerText()).resolves.toContain('—');
    await expect(page.getByTestId('review-withheld-note').innerText()).resolves.toContain('本单位的评审打分不向本单位的评审人员显示');
    const chart = page.getByTestId('score-chart');
    await chart.locator('svg').waitFor();
    expect(await chart.getAttribute('aria-label')).toContain('堆叠条形图');
    await audit(page, 'scores', 'desktop');
  });

  it('desktop: /console/reviews opens the first unit to review with its activities, photo, news links, summary and computed figures; saves the review with If-Match', async () => {
    // Prepare
    const { page } = session('desktop');
    const puts: Array<{ ifMatch: string | null }> = [];
    page.on('request', (r) => {
      if (r.method() === 'PUT' && r.url().endsWith('/review')) puts.push({ ifMatch: r.headers()['if-match'] ?? null });
    });
    // Act
    await nav(page, '评审');
    await page.waitForURL(/\/console\/reviews\/hongqi-kx$/);
    // Assess: the materials
    await expect(page.getByTestId('review-unit-name').textContent()).resolves.toBe('红旗区科协');
    const activities = page.getByTestId('unit-activities');
    await activities.getByText('红旗区碳中和科普进社区').waitFor();
    await activities.getByText('红旗区云上科普直播').waitFor();
    await activities.locator('img[alt="活动现场.jpg"]').waitFor();
    await expect(activities.getByRole('link', { name: /news\.example\.cn\/hongqi-2/ }).count()).resolves.toBe(1);
    await page.getByTestId('unit-summary').getByText('红旗区科协围绕科普日主题').waitFor();
    await expect(page.getByTestId('unit-figures').locator('tr[data-indicator="publicity"]').innerText()).resolves.toMatch(/通过检查的照片视频：1/);
    const units = page.getByTestId('review-units');
    await expect(units.locator('[data-org="city-kjj"]').getAttribute('data-state')).resolves.toBe('own');
    await expect(units.locator('[data-org="hongqi-kx"]').getAttribute('data-state')).resolves.toBe('open');
    // Act: save with a score missing, then complete it
    for (const id of INDICATORS.slice(1)) await score(page, id, 60);
    await page.locator('#rv-comment').fill('组织有力，宣传到位。');
    await page.locator('label', { hasText: '红旗区碳中和科普进社区' }).click();
    await page.getByRole('button', { name: '保存评审' }).click();
    // Assess: refused in the browser, on its field
    await savedStatus(page, 'invalid').waitFor();
    await page.locator('.el-form-item[data-indicator="mobilization"] .el-form-item__error').waitFor();
    expect(puts).toHaveLength(0);
    await score(page, 'mobilization', 60);
    await page.getByRole('button', { name: '保存评审' }).click();
    await savedStatus(page, 'saved').waitFor();
    await audit(page, 'review', 'desktop');
    // Assess: on the server, the first PUT without If-Match
    const stored = await reviewOnServer('hongqi-kx');
    expect(stored).toMatchObject({ version: 1, scores: { mobilization: 60, publicity: 60, highlights: 60, volunteering: 60, online: 60 }, comment: '组织有力，宣传到位。' });
    expect(stored.distinctiveActivityIds).toEqual([activityIds.get('hongqi-kx')![0]]);
    expect(puts).toEqual([{ ifMatch: null }]);
    await units.locator('[data-org="hongqi-kx"][data-state="reviewed"]').waitFor();
  });

  it('desktop: "next unreviewed" is one click away; the second unit is reviewed; changes then save as typed with If-Match', async () => {
    // Prepare
    const { page } = session('desktop');
    const ifMatches: Array<string | null> = [];
    page.on('request', (r) => {
      if (r.method() === 'PUT' && r.url().endsWith('/weibin-kx/review')) ifMatches.push(r.headers()['if-match'] ?? null);
    });
    // Act
    await page.getByTestId('next-unreviewed').click();
    // Assess
    await page.waitForURL(/\/console\/reviews\/weibin-kx$/);
    await page.getByTestId('unit-activities').getByText('卫滨区碳中和科普进社区').waitFor();
    // Act
    for (const id of INDICATORS) await score(page, id, 100);
    await page.getByRole('button', { name: '保存评审' }).click();
    await savedStatus(page, 'saved').waitFor();
    await score(page, 'online', 95);
    // Assess
    await until(async () => ((await reviewOnServer('weibin-kx')).scores.online === 95 ? true : undefined), 'the changed score saved by itself');
    expect(ifMatches).toEqual([null, '"1"']);
    await savedStatus(page, 'saved').waitFor();
  });

  it('desktop: a colleague saved first (412): their version is shown beside mine; keeping mine keeps what I typed and their other changes', async () => {
    // Prepare: a colleague changes the comment and 效果亮点 of the version the page has (2)
    const { page } = session('desktop');
    const colleague = await as('city-kx', 'reviewer', 'colleague-e2e');
    const current = await reviewOnServer('weibin-kx');
    const theirs = await colleague.put(
      `${C}/organizations/weibin-kx/review`,
      { scores: { ...current.scores, highlights: 85 }, comment: '同事的评语：活动扎实。', distinctiveActivityIds: [] },
      { 'if-match': `"${current.version}"` },
    );
    expect(theirs.status).toBe(200);
    // Act: I change 活动宣传
    await score(page, 'publicity', 90);
    // Assess: the dialog, with their comment beside mine
    const dialog = page.getByRole('dialog', { name: '此评审已被其他评审修改' });
    await dialog.waitFor();
    await dialog.getByTestId('their-comment').filter({ hasText: '同事的评语：活动扎实。' }).waitFor();
    await audit(page, 'review-conflict', 'desktop');
    // Act
    await dialog.getByRole('button', { name: '保留我的修改' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await savedStatus(page, 'saved').waitFor();
    // Assess: my 90 over their version; their comment and 85 kept; the form shows the merge
    const merged = await reviewOnServer('weibin-kx');
    expect(merged).toMatchObject({ version: current.version + 2, scores: { publicity: 90, highlights: 85, online: 95 }, comment: '同事的评语：活动扎实。' });
    await expect(page.locator('#rv-comment').inputValue()).resolves.toBe('同事的评语：活动扎实。');
    await expect(page.locator('#rv-score-publicity').inputValue()).resolves.toBe('90');
  });

  it('desktop: the reviewer’s own unit is listed but not reviewable, and "next unreviewed" skips it', async () => {
    // Prepare
    const { page } = session('desktop');
    // Act
    await page.getByTestId('review-units').locator('[data-org="city-kjj"] a').click();
    await page.waitForURL(/\/console\/reviews\/city-kjj$/);
    // Assess
    await page.getByTestId('own-unit').waitFor();
    expect(await page.getByTestId('review-form').count()).toBe(0);
    const self = await as(REVIEWER.orgId, 'reviewer');
    expect((await self.get(`${C}/organizations/city-kjj/review`)).status).toBe(403);
    expect((await self.put(`${C}/organizations/city-kjj/review`, { scores: { mobilization: 100, publicity: 100, highlights: 100, volunteering: 100, online: 100 } })).status).toBe(403);
    await audit(page, 'own-unit', 'desktop');
    await page.getByTestId('next-unreviewed').click();
    await page.waitForURL(/\/console\/reviews\/fengquan-kx$/);
  });

  it('desktop: the ranking changed (卫滨区 now first), and the downloaded commendation list has the units', async () => {
    // Prepare
    const { page } = session('desktop');
    // Act
    const after = await ranks(page);
    // Assess
    expect(after['weibin-kx']).toBe(1);
    expect(after['hongqi-kx']).toBe(2);
    await expect(page.locator('[data-testid="ranking"] tr[data-org="weibin-kx"]').innerText()).resolves.toContain('已评审');
    // Act: the commendation list
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-commendations').click()]);
    // Assess
    expect(download.suggestedFilename()).toBe('表扬推荐名单-2021-xinxiang.csv');
    const file = await download.path();
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('\uFEFF名单,名次,单位编号,单位名称')).toBe(true);
    expect(text).toContain('\r\n');
    const lines = text.slice(1).split('\r\n');
    expect(lines.find((l) => l.startsWith('总排名,1,'))).toContain('卫滨区科协');
    expect(lines.find((l) => l.startsWith('总排名,2,'))).toContain('红旗区科协');
    expect(lines.some((l) => l.startsWith('特色活动,') && l.includes('红旗区碳中和科普进社区'))).toBe(true);
    for (const name of Object.values(NAMES)) expect(text).toContain(name);
    // Act: the same page in English
    await page.getByRole('button', { name: 'EN: Switch to English' }).click();
    // Assess
    await page.getByRole('heading', { name: 'Scores and ranking' }).waitFor();
    await expect(page.locator('[data-testid="ranking"] thead').innerText()).resolves.toMatch(/Organization and mobilization[\s\S]*\(15\)/);
    await page.getByRole('button', { name: '中文：切换到中文' }).click();
    await page.getByRole('heading', { name: '评分排名' }).waitFor();
  });

  it('phone: reviews the next unit at 390 px; a colleague’s save shown, and loading theirs replaces mine', async () => {
    // Prepare
    const context = await newContext(stage.browser, 'mobile');
    const page = await context.newPage();
    sessions.set('mobile', { context, page });
    await signInAs(page, stage.url, REVIEWER.name, ['reviewer'], 'signed-in-unit');
    // Act: the first unit still to review
    await nav(page, '评审');
    await page.waitForURL(/\/console\/reviews\/fengquan-kx$/);
    await page.getByTestId('unit-activities').getByText('节水知识讲座').waitFor();
    for (const id of INDICATORS) await score(page, id, 70);
    await page.getByRole('button', { name: '保存评审' }).click();
    await savedStatus(page, 'saved').waitFor();
    await audit(page, 'review', 'mobile');
    // Act: a colleague saves, then I type a comment
    const colleague = await as('city-kx', 'reviewer', 'colleague-e2e');
    const current = await reviewOnServer('fengquan-kx');
    expect((await colleague.put(`${C}/organizations/fengquan-kx/review`, { scores: { ...current.scores, highlights: 40 }, comment: '同事：宣传不足。' }, { 'if-match': `"${current.version}"` })).status).toBe(200);
    await page.locator('#rv-comment').fill('我的评语：讲座内容扎实。');
    const dialog = page.getByRole('dialog', { name: '此评审已被其他评审修改' });
    await dialog.waitFor();
    await dialog.getByTestId('their-comment').filter({ hasText: '同事：宣传不足。' }).waitFor();
    await audit(page, 'review-conflict', 'mobile');
    await dialog.getByRole('button', { name: /载入对方的版本/ }).click();
    // Assess: their version on the page and on the server
    await dialog.waitFor({ state: 'hidden' });
    await savedStatus(page, 'saved').waitFor();
    await expect(page.locator('#rv-comment').inputValue()).resolves.toBe('同事：宣传不足。');
    expect(await reviewOnServer('fengquan-kx')).toMatchObject({ version: current.version + 1, comment: '同事：宣传不足。', scores: { highlights: 40 } });
    // The tie (asserted on the desktop) is broken by the review.
    const after = await ranks(page);
    expect(after['fengquan-kx']).toBeLessThan(after['muye-kx']!);
    await page.getByTestId('score-chart').locator('svg').waitFor();
    await audit(page, 'scores', 'mobile');
    // Own unit at 390 px
    await page.goto(`${stage.url}/console/reviews/city-kjj`);
    await page.getByTestId('own-unit').waitFor();
    await audit(page, 'own-unit', 'mobile');
  });

  it('has no serious or critical axe-core violation on any page or dialog built, at either width', () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    writeFileSync(join(SCREENSHOT_DIR, 'reviewer-axe-findings.json'), `${JSON.stringify(findings, null, 2)}\n`);
    const expected = AUDITED.flatMap((name) => (['desktop', 'mobile'] as const).map((w) => `${name}@${w}`));
    expect([...audited].sort()).toEqual(expected.sort());
    expect(blocking(findings)).toEqual([]);
  });
});
