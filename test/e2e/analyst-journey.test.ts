/**
 * An analyst of the city association in the browser, at a desktop and a phone width: real data
 * made through the API first (three units register activities with distinct titles), then the
 * clock moves past the registration milestone (24 September 2021), which takes its snapshot.
 * 市科协's user, with the analyst role only, lands on the exports page, starts a CSV export,
 * watches it finish, downloads the activities' CSV and finds the three titles in it; finds the
 * registration snapshot under 登记填报 and downloads its Parquet file; opens the data
 * dictionary. On the phone the same export is in the list, and the page reads in English too.
 *
 * The exports page and the data dictionary are checked with axe-core at 1280 and 390 px and saved
 * as screenshots in `.e2e-screenshots/`; the last test holds them to no `serious` or `critical`
 * violation.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { client, completeActivity, tokenFor } from '../helpers/api';
import {
  CAMPAIGN_ID, SCREENSHOT_DIR, auditPage, blocking, moveClock, newContext, signInAs, startStage,
  type AxeFinding, type Stage, type Width,
} from '../helpers/browser';

/** Units kept of the seed campaign's 130: the clock moves fan out one job per unit (startStage). */
const UNITS = 50;

jest.setTimeout(90_000);

const C = `/v1/campaigns/${CAMPAIGN_ID}`;
const ANALYST_UNIT = '市科协';
/** Three units, each one activity with a title no other has. */
const ACTIVITIES = [
  { orgId: 'hongqi-kx', county: 'hongqi', title: '红旗区碳中和科普讲座（分析核对一）' },
  { orgId: 'weibin-kx', county: 'weibin', title: '卫滨区应急科普进社区（分析核对二）' },
  { orgId: 'fengquan-kx', county: 'fengquan', title: '凤泉区青少年科技节（分析核对三）' },
] as const;

let stage: Stage;
const sessions = new Map<Width, { context: BrowserContext; page: Page }>();
/** The CSV export the desktop started (the phone finds it in the list). */
let csvExportId = '';
const AUDITED = ['exports', 'data-dictionary'] as const;
const findings: AxeFinding[] = [];
const audited = new Set<string>();
async function audit(page: Page, name: (typeof AUDITED)[number], width: Width): Promise<void> {
  findings.push(...(await auditPage(page, `analyst-${name}`, width)));
  audited.add(`${name}@${width}`);
}
const session = (width: Width) => {
  const s = sessions.get(width);
  if (!s) throw new Error(`no browser session for ${width}: an earlier step failed`);
  return s;
};

beforeAll(async () => {
  stage = await startStage('2021-09-20T09:00:00+08:00', { units: UNITS });
  await Promise.all(
    ACTIVITIES.map(async ({ orgId, county, title }) => {
      const org = client(stage.url, await tokenFor(stage.url, { sub: `${orgId}-e2e`, orgId, roles: ['organizer'] }));
      const created = await org.post<{ activityId: string }>(`${C}/activities`, {
        ...completeActivity(),
        title,
        county,
        startsAt: '2021-09-26T09:00:00+08:00',
        endsAt: '2021-09-26T11:30:00+08:00',
      });
      if (created.status !== 201) throw new Error(`create for ${orgId}: ${created.status} ${created.text}`);
      const submitted = await org.post(`/v1/activities/${created.body.activityId}/submit`);
      if (submitted.status !== 200) throw new Error(`submit for ${orgId}: ${submitted.status} ${submitted.text}`);
    }),
  );
  // Past the registration deadline: the milestone's job stores its snapshot export (it runs from the queue).
  const fired = await moveClock(stage.url, '2021-09-25T00:00:05+08:00');
  expect(fired).toContainEqual(expect.objectContaining({ scheduleId: expect.stringMatching(/^start-milestone\..*registration$/), ok: true }));
}, 120_000);

afterAll(async () => {
  for (const s of sessions.values()) await s.context.close().catch(() => undefined);
  await stage?.stop();
});

describe('An analyst exports the campaign’s data in the browser', () => {
  it('desktop: lands on the exports page, starts a CSV export, watches it finish and finds the titles in the activities CSV', async () => {
    // Prepare
    const context = await newContext(stage.browser, 'desktop');
    const page = await context.newPage();
    sessions.set('desktop', { context, page });
    await signInAs(page, stage.url, ANALYST_UNIT, ['analyst'], 'exports-page');
    expect(new URL(page.url()).pathname).toBe('/console/exports');
    // Act
    await page.locator('label', { has: page.getByRole('radio', { name: /^CSV/ }) }).click();
    await page.locator('label', { has: page.getByRole('radio', { name: '中文', exact: true }) }).click();
    await page.getByRole('button', { name: '开始导出' }).click();
    // Assess: its progress, then its files
    const current = page.getByTestId('current-export');
    await current.waitFor();
    await expect(current.textContent()).resolves.toMatch(/排队中|导出中|已完成/);
    await page.locator('[data-testid="current-export"][data-status="succeeded"]').waitFor({ timeout: 45_000 });
    await expect(current.textContent()).resolves.toMatch(/用时 \d+ 秒/);
    const item = page.getByTestId('export-list').locator('[data-status="succeeded"]').first();
    csvExportId = (await item.getAttribute('data-export-id')) ?? '';
    expect(csvExportId).not.toBe('');
    // Act: download the activities' CSV (a fresh URL is asked for on the click)
    const [download] = await Promise.all([page.waitForEvent('download'), current.getByRole('button', { name: '下载 活动', exact: true }).click()]);
    // Assess
    expect(download.suggestedFilename()).toBe(`${CAMPAIGN_ID}-${csvExportId}-activities.csv`);
    const bytes = readFileSync(await download.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = bytes.toString('utf8');
    expect(csv.split('\r\n')[0]).toContain('活动名称');
    for (const { title } of ACTIVITIES) expect(csv).toContain(title);
    expect(csv.split('\r\n').filter((line) => line.trim() !== '')).toHaveLength(1 + ACTIVITIES.length);
  });

  it('desktop: finds the registration snapshot under 登记填报 and downloads its Parquet file; the completion one is still to come', async () => {
    // Prepare
    const { page } = session('desktop');
    const registration = page.getByTestId('milestone-registration');
    // Assess
    await expect(registration.getByRole('heading').first().textContent()).resolves.toBe('登记填报');
    await registration.locator('[data-testid="snapshot"][data-status="succeeded"]').waitFor({ timeout: 45_000 });
    await expect(registration.textContent()).resolves.toContain('数据截至 2021年9月24日 23:59');
    await expect(page.getByTestId('milestone-completion').getByTestId('no-snapshot').count()).resolves.toBe(1);
    // Act
    const [download] = await Promise.all([page.waitForEvent('download'), registration.getByRole('button', { name: '下载 活动', exact: true }).click()]);
    // Assess: a Parquet file of the snapshot
    expect(download.suggestedFilename()).toBe(`${CAMPAIGN_ID}-registration-activities.parquet`);
    const parquet = readFileSync(await download.path());
    expect(parquet.subarray(0, 4).toString('latin1')).toBe('PAR1');
    await audit(page, 'exports', 'desktop');
  });

  it('desktop: opens the data dictionary', async () => {
    // Prepare
    const { page } = session('desktop');
    // Act
    await page.getByTestId('dictionary-link').click();
    // Assess
    await page.waitForURL(/\/console\/exports\/dictionary$/);
    await page.getByRole('heading', { name: '数据字典', level: 1 }).waitFor();
    const activities = page.locator('[data-entity="activities"]');
    await expect(activities.getByRole('rowheader', { name: 'title', exact: true }).count()).resolves.toBe(1);
    await expect(activities.getByRole('row', { name: /title.*活动名称.*Title/ }).count()).resolves.toBe(1);
    // Act: the other tables open on a click (or Enter) on their names
    const flags = page.locator('[data-entity="flags"]');
    await flags.locator('summary').click();
    // Assess
    await flags.getByRole('rowheader', { name: 'code', exact: true }).waitFor();
    await audit(page, 'data-dictionary', 'desktop');
  });

  it('phone: the export is in the list with its files; the page and the dictionary read in English too', async () => {
    // Prepare
    const context = await newContext(stage.browser, 'mobile');
    const page = await context.newPage();
    sessions.set('mobile', { context, page });
    await signInAs(page, stage.url, ANALYST_UNIT, ['analyst'], 'exports-page');
    // Act
    const item = page.locator(`[data-export-id="${csvExportId}"]`);
    await item.getByRole('button', { name: /^文件/ }).click();
    // Assess
    await item.getByRole('button', { name: '下载 活动', exact: true }).waitFor();
    await page.locator('[data-testid="milestone-registration"] [data-testid="snapshot"][data-status="succeeded"]').waitFor();
    await audit(page, 'exports', 'mobile');
    // Act: English
    await page.getByRole('button', { name: 'EN: Switch to English' }).click();
    // Assess
    await page.getByRole('heading', { name: 'Exports', level: 1 }).waitFor();
    await expect(page.getByTestId('milestone-registration').getByRole('heading').first().textContent()).resolves.toBe('Registration and publication');
    await page.getByRole('button', { name: 'Start the export' }).waitFor();
    await page.getByTestId('dictionary-link').click();
    await page.getByRole('heading', { name: 'Data dictionary', level: 1 }).waitFor();
    await page.getByRole('button', { name: '中文：切换到中文' }).click();
    await page.getByRole('heading', { name: '数据字典', level: 1 }).waitFor();
    await audit(page, 'data-dictionary', 'mobile');
  });

  it('has no serious or critical axe-core violation on either page, at either width', () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    writeFileSync(join(SCREENSHOT_DIR, 'analyst-axe-findings.json'), `${JSON.stringify(findings, null, 2)}\n`);
    const expected = AUDITED.flatMap((name) => (['desktop', 'mobile'] as const).map((w) => `${name}@${w}`));
    expect([...audited].sort()).toEqual(expected.sort());
    expect(blocking(findings)).toEqual([]);
  });
});
