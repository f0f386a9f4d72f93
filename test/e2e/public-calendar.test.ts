/**
 * The citizens' calendar in a phone's browser with no sign-in (issue 22, ADR 0045): a visitor
 * opens `/public`, is taken to the campaign's calendar, finds 红旗区's activity by county and date
 * (the filters land in the address and survive a reload; 卫滨区's activity that day does not show),
 * opens its page (time in Asia/Shanghai, crowd cap, organizer, the news link its organizer added
 * with the results, its own title in the document) and
 * follows its online link with the keyboard. A chat crawler that runs no script gets the
 * activity's title and description from the server; the county's iCalendar feed holds it.
 *
 * Real data first, through the API: two organizers register on 20 September 2021 (the clock of
 * the runtime); the browser's own clock is real time, so the calendar first says that this week
 * is outside the campaign. Both pages are checked with axe-core at 390 and 1280 px and saved as screenshots
 * in `.e2e-screenshots/`; the last test holds them to no serious or critical violation.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { client, completeActivity } from '../helpers/api';
import {
  CAMPAIGN_ID, auditPage, chooseOption, newContext, organizerApi, startStage, until, type AxeFinding, type Stage,
} from '../helpers/browser';

jest.setTimeout(90_000);

const ONLINE_URL = 'https://live.kepu.example.cn/2021/carbon';
const NEWS_LINK = 'https://news.example.cn/kepu/2021/0922.html';
const HONGQI = { orgId: 'hongqi-kx', title: '碳达峰碳中和线上线下科普讲座', county: 'hongqi', countyName: '红旗区' };
const WEIBIN = { orgId: 'weibin-kx', title: '卫滨区科普进校园', county: 'weibin' };

let stage: Stage;
let context: BrowserContext;
let page: Page;
let activityId: string;
const findings: AxeFinding[] = [];
const audited = new Set<string>();

async function register(orgId: string, body: Record<string, unknown>): Promise<string> {
  const api = await organizerApi(stage.url, orgId);
  const created = await api.post<{ activityId: string }>(`/v1/campaigns/${CAMPAIGN_ID}/activities`, body, { 'idempotency-key': `e2e-public-${orgId}` });
  if (created.status !== 201) throw new Error(`create for ${orgId}: ${created.status} ${created.text}`);
  const submitted = await api.post(`/v1/activities/${created.body.activityId}/submit`);
  if (submitted.status !== 200) throw new Error(`submit for ${orgId}: ${submitted.status} ${submitted.text}`);
  return created.body.activityId;
}

beforeAll(async () => {
  stage = await startStage('2021-09-20T09:00:00+08:00');
  activityId = await register(HONGQI.orgId, {
    ...completeActivity(),
    title: HONGQI.title,
    format: 'hybrid',
    onlineUrl: ONLINE_URL,
    startsAt: '2021-09-22T14:00:00+08:00',
    endsAt: '2021-09-22T16:00:00+08:00',
  });
  const results = await (await organizerApi(stage.url, HONGQI.orgId)).put(`/v1/activities/${activityId}/results`, { actualParticipants: 180, newsLinks: [NEWS_LINK] });
  if (results.status !== 200) throw new Error(`results: ${results.status} ${results.text}`);
  await register(WEIBIN.orgId, {
    ...completeActivity(),
    title: WEIBIN.title,
    county: WEIBIN.county,
    venue: { name: '卫滨区实验小学', address: '新乡市卫滨区健康路 2 号' },
    startsAt: '2021-09-22T09:00:00+08:00',
    endsAt: '2021-09-22T11:00:00+08:00',
  });
  // The public calendar is kept from the table's stream: wait until both are on it.
  const visitor = client(stage.url);
  await until(async () => {
    const res = await visitor.get<{ items: Array<{ id: string }> }>(`/v1/public/campaigns/${CAMPAIGN_ID}/activities?from=2021-09-22&to=2021-09-22`);
    return res.status === 200 && res.body.items.length >= 2 ? true : undefined;
  }, 'both activities on the public calendar');
  context = await newContext(stage.browser, 'mobile');
  page = await context.newPage();
  // The online event is elsewhere on the internet: answered here, so following the link is observable.
  await context.route(`${ONLINE_URL}**`, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: '<!doctype html><title>直播间</title><h1>直播间</h1>' }));
}, 150_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await stage?.stop();
});

describe('A visitor finds an activity on the public calendar and follows its online link, at 390 px, then at a desktop', () => {
  it('opens /public without signing in and lands on the campaign calendar, which says this week is outside the campaign', async () => {
    // Act
    await page.goto(`${stage.url}/public`);
    await page.waitForURL(new RegExp(`/public/campaigns/${CAMPAIGN_ID}$`));
    // Assess
    await page.getByRole('heading', { level: 1, name: '本周科普日活动' }).waitFor();
    await page.getByText('本周不在活动季内', { exact: false }).waitFor();
    expect(await page.title()).toContain('本周科普日活动');
  });

  it('finds 红旗区\'s activity by county and date; the filters are in the address and survive a reload', async () => {
    // Act
    await chooseOption(page, page.locator('.el-select', { has: page.getByRole('combobox', { name: '区县' }) }), HONGQI.countyName);
    await page.waitForURL(/county=hongqi/);
    await page.getByLabel('开始日期').fill('2021-09-22');
    await page.waitForURL(/from=2021-09-22/);
    await page.getByLabel('结束日期').fill('2021-09-22');
    await page.waitForURL(/to=2021-09-22/);
    const link = page.getByRole('link', { name: HONGQI.title });
    await link.waitFor();
    // Assess
    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toStrictEqual({ county: 'hongqi', from: '2021-09-22', to: '2021-09-22' });
    await expect(page.getByRole('heading', { level: 2 }).allTextContents()).resolves.toStrictEqual(['9月22日星期三']);
    await expect(page.getByRole('link', { name: WEIBIN.title }).count()).resolves.toBe(0);
    await expect(page.getByTestId('calendar-feed').getAttribute('href')).resolves.toBe(`${stage.url}/v1/public/campaigns/${CAMPAIGN_ID}/calendar.ics?county=hongqi`);
    findings.push(...(await auditPage(page, 'public-calendar', 'mobile')));
    audited.add('public-calendar');

    await page.reload();
    await page.getByRole('link', { name: HONGQI.title }).waitFor();
    await expect(page.getByLabel('开始日期').inputValue()).resolves.toBe('2021-09-22');
    await expect(page.getByRole('link', { name: WEIBIN.title }).count()).resolves.toBe(0);
  });

  it('opens the activity\'s page: when in Asia/Shanghai, the crowd cap, the organizer, its news link, its own title', async () => {
    // Act
    await page.getByRole('link', { name: HONGQI.title }).click();
    await page.waitForURL(new RegExp(`/public/activities/${activityId}$`));
    await page.getByRole('heading', { level: 1, name: HONGQI.title }).waitFor();
    // Assess
    await expect(page.getByTestId('when').textContent()).resolves.toBe('2021年9月22日星期三 14:00–16:00');
    await page.getByText('最多现场人数').waitFor();
    await page.getByText('150 人').waitFor();
    await page.getByText('红旗区科协', { exact: true }).waitFor();
    await expect(page.getByRole('link', { name: NEWS_LINK }).getAttribute('href')).resolves.toBe(NEWS_LINK);
    expect((await page.title()).startsWith(`${HONGQI.title} · `)).toBe(true);
    await expect(page.locator('meta[property="og:title"]').getAttribute('content')).resolves.toContain(HONGQI.title);
    await expect(page.getByTestId('online-link').getAttribute('href')).resolves.toBe(ONLINE_URL);
    findings.push(...(await auditPage(page, 'public-activity', 'mobile')));
    audited.add('public-activity');
  });

  it('follows the online link with the keyboard', async () => {
    // Act
    await page.getByTestId('online-link').focus();
    await page.keyboard.press('Enter');
    // Assess
    await page.waitForURL(ONLINE_URL);
    await page.getByRole('heading', { name: '直播间' }).waitFor();
  });

  it('gives a chat crawler the activity\'s own title and description without JavaScript', async () => {
    // Act
    const res = await fetch(`${stage.url}/public/activities/${activityId}`, { headers: { 'user-agent': 'Mozilla/5.0 (compatible; MicroMessenger)' } });
    const html = await res.text();
    // Assess
    expect(res.status).toBe(200);
    expect(html).toContain(`<title>${HONGQI.title} · 全国科普日活动</title>`);
    expect(html).toContain('<meta property="og:description" content="2021年9月22日星期三 14:00–16:00 · 红旗区 · 红旗区新时代文明实践中心 · 主办：红旗区科协" />');
  });

  it('lists the activity in the county\'s iCalendar feed', async () => {
    const res = await fetch(`${stage.url}/v1/public/campaigns/${CAMPAIGN_ID}/calendar.ics?county=hongqi`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/calendar');
    const ics = (await res.text()).replace(/\r\n[ \t]/g, '');
    expect(ics).toContain(HONGQI.title);
    expect(ics).not.toContain(WEIBIN.title);
  });

  it('desktop: a shared link opens the same filtered list, and both pages are checked there too', async () => {
    // Prepare
    const desktop = await newContext(stage.browser, 'desktop');
    try {
      const other = await desktop.newPage();
      // Act
      await other.goto(`${stage.url}/public/campaigns/${CAMPAIGN_ID}?county=hongqi&from=2021-09-22&to=2021-09-22`);
      await other.getByRole('link', { name: HONGQI.title }).waitFor();
      // Assess
      await expect(other.getByRole('link', { name: WEIBIN.title }).count()).resolves.toBe(0);
      findings.push(...(await auditPage(other, 'public-calendar', 'desktop')));
      await other.getByRole('link', { name: HONGQI.title }).click();
      await other.getByTestId('online-link').waitFor();
      findings.push(...(await auditPage(other, 'public-activity', 'desktop')));
      audited.add('desktop');
    } finally {
      await desktop.close();
    }
  });

  it('has no axe-core violation of any impact on either page, at either width', () => {
    expect([...audited].sort()).toStrictEqual(['desktop', 'public-activity', 'public-calendar']);
    expect(findings).toStrictEqual([]);
  });
});
