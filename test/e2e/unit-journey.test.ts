/**
 * A unit's campaign in the browser, at a desktop width and a phone width (each a different
 * unit, in its own browser profile): sign in, register an offline joint action (the server's
 * 422 shown on its field, then registered), nothing typed is lost offline or across a closed
 * tab, a 412 from a colleague's save, the clock moved past the registration deadline without
 * signing anyone out, results with a photo upload, the work summary, and nothing missing.
 * The clock is shared by the runtime and only moves forward: both widths register first, then
 * the clock moves, then both complete. Last, the same form in English.
 *
 * Every page the journey reaches (sign-in, home, activities, the form with its errors shown,
 * the conflict dialog, results, summary, not found) is checked with axe-core where it stands
 * and saved as a full-page screenshot in `.e2e-screenshots/<page>-<px>.png`; the last test
 * holds them to no `serious` or `critical` violation, so a finding never hides a broken step.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { decodableJpeg } from '../helpers/sample-files';
import {
  SCREENSHOT_DIR, auditPage, blocking, campaignView, chooseOption, moveClock, newContext, organizerApi, signIn, startStage, until,
  type AxeFinding, type CampaignView, type Stage, type Width,
} from '../helpers/browser';

jest.setTimeout(90_000);

interface Unit {
  readonly width: Width;
  readonly orgId: string;
  readonly name: string;
  readonly county: string;
}
/** Each width is a different unit: their activities, inboxes and local copies never meet. */
const UNITS: readonly Unit[] = [
  { width: 'desktop', orgId: 'hongqi-kx', name: '红旗区科协', county: '红旗区' },
  { width: 'mobile', orgId: 'weibin-kx', name: '卫滨区科协', county: '卫滨区' },
];

let stage: Stage;
let campaign: CampaignView;
const sessions = new Map<Width, { context: BrowserContext; page: Page; activityId?: string }>();
const files = mkdtempSync(join(tmpdir(), 'sciday-e2e-files-'));
/** The pages checked with axe: each at both widths. */
const AUDITED = ['signin', 'home', 'activities', 'activity-form', 'conflict-dialog', 'results', 'summary', 'not-found'] as const;
const findings: AxeFinding[] = [];
const audited = new Set<string>();
async function audit(page: Page, name: (typeof AUDITED)[number], width: Width): Promise<void> {
  findings.push(...(await auditPage(page, name, width)));
  audited.add(`${name}@${width}`);
}

beforeAll(async () => {
  stage = await startStage('2021-09-20T09:00:00+08:00', { units: 50 }); // the clock moves: 50 of the seed's 130 units
  campaign = await campaignView(stage.url);
}, 120_000);

afterAll(async () => {
  for (const s of sessions.values()) await s.context.close().catch(() => undefined);
  await stage?.stop();
  rmSync(files, { recursive: true, force: true });
});

const session = (width: Width) => {
  const s = sessions.get(width);
  if (!s) throw new Error(`no browser session for ${width}: an earlier step failed`);
  return s;
};
const activityOf = (width: Width) => {
  const id = session(width).activityId;
  if (!id) throw new Error(`no activity for ${width}: registration failed`);
  return id;
};
const savedStatus = (page: Page, status: string) => page.locator(`[data-testid="save-status"][data-status="${status}"]`);
/** The error text Element Plus shows under the form item holding `control`. */
const fieldError = (page: Page, control: string): Locator =>
  page.locator('.el-form-item', { has: page.locator(control) }).locator('.el-form-item__error');

/** Chooses `option` in the Element Plus select labelled `label` (a click lands on its box, as a person's does). */
async function choose(page: Page, label: string, option: string): Promise<void> {
  await chooseOption(page, page.locator('.el-select', { has: page.getByRole('combobox', { name: label }) }), option);
}
/** Clicks the label of the radio or checkbox named `name` (Element Plus hides the input itself under it). */
async function tick(page: Page, role: 'radio' | 'checkbox', name: string | RegExp): Promise<void> {
  const input = page.getByRole(role, { name, exact: true });
  await page.locator('label', { has: input }).click();
  if (!(await input.isChecked())) throw new Error(`${role} ${String(name)} is not checked after a click on its label`);
}
/** Types a number into an Element Plus input-number (it commits on change, i.e. on leaving it). */
async function fillNumber(page: Page, label: string, value: number): Promise<void> {
  const input = page.getByLabel(label, { exact: true });
  await input.fill(String(value));
  await input.press('Tab');
}

describe('A unit registers, completes and summarises an activity in the browser', () => {
  it.each(UNITS)('$width: signs in, sees its milestones and that nothing is registered yet', async (unit) => {
    // Prepare
    const context = await newContext(stage.browser, unit.width);
    const page = await context.newPage();
    sessions.set(unit.width, { context, page });
    // Act
    await signIn(page, stage.url, unit.name, (p) => audit(p, 'signin', unit.width));
    // Assess
    expect(new URL(page.url()).pathname).toBe('/');
    await expect(page.getByTestId('signed-in-unit').textContent()).resolves.toContain(unit.name);
    await expect(page.getByTestId('milestones').locator('[data-milestone]').count()).resolves.toBe(2);
    await expect(page.getByTestId('missing').first().textContent()).resolves.toContain('尚未登记');
    await audit(page, 'home', unit.width);
  });

  it.each(UNITS)('$width: registers an offline joint action: the 422 on the epidemic plan is shown on its field, then it is registered', async (unit) => {
    // Prepare
    const { page } = session(unit.width);
    const jointAction = campaign.jointActions[0]!;
    const theme = campaign.contentThemes.find((t) => t.id === 'green-development')!;
    await page.getByRole('navigation').getByRole('link', { name: '活动', exact: true }).click();
    await page.getByRole('button', { name: '登记新活动' }).click();
    await page.waitForURL(/\/activities\/new$/);

    // Act: the form, with the epidemic plan left empty
    await page.getByLabel('活动名称', { exact: true }).fill(`科普进社区：${jointAction.name.zh}（${unit.width}）`);
    await tick(page, 'radio', '系列联合行动');
    await choose(page, '所属联合行动', jointAction.name.zh);
    await tick(page, 'checkbox', theme.name.zh);
    await choose(page, '所在县（市、区）', unit.county);
    // What each format asks for: a venue and a plan on site, a URL online.
    const venue = page.getByLabel('场地名称', { exact: true });
    const onlineUrl = page.getByLabel('线上活动网址（https）', { exact: true });
    await tick(page, 'radio', '线上');
    await onlineUrl.waitFor();
    expect(await venue.count()).toBe(0);
    await tick(page, 'radio', '线上线下结合');
    await venue.waitFor();
    expect(await onlineUrl.count()).toBe(1);
    await tick(page, 'radio', '线下');
    await onlineUrl.waitFor({ state: 'detached' });
    for (const label of ['场地名称', '场地地址', '现场人数上限']) await page.getByLabel(label, { exact: true }).waitFor();
    await page.locator('#f-epidemic-plan').waitFor();
    await page.getByLabel('开始时间（北京时间）').fill('2021-09-26T09:00');
    await page.getByLabel('结束时间（北京时间）').fill('2021-09-26T11:30');
    await fillNumber(page, '预计参与人数', 200);
    await venue.fill(`${unit.county}新时代文明实践中心`);
    await page.getByLabel('场地地址', { exact: true }).fill(`新乡市${unit.county}人民路 1 号`);
    await fillNumber(page, '现场人数上限', 150);
    await page.getByLabel('姓名', { exact: true }).fill('王老师');
    await page.getByLabel('电话（手机或固话）').fill('0373-5820656');
    await tick(page, 'checkbox', /本活动标注/);
    await page.waitForURL(/\/activities\/(?!new)[^/]+$/);
    await savedStatus(page, 'saved').waitFor();
    const activityId = new URL(page.url()).pathname.split('/').pop()!;
    session(unit.width).activityId = activityId;
    await page.getByRole('button', { name: '提交登记并发布' }).click();

    // Assess: the server's answer, in Chinese, on the plan's field
    const planError = fieldError(page, '#f-epidemic-plan');
    await planError.waitFor();
    expect(await planError.textContent()).toMatch(/疫情防控方案.*至少 20/);
    await expect(page.getByTestId('activity-status').textContent()).resolves.toContain('草稿');
    await audit(page, 'activity-form', unit.width);

    // Act: the plan, then submit again
    await page.locator('#f-epidemic-plan').fill('入场测温、查验健康码，全程佩戴口罩，座位间隔一米以上，现场不超过150人。');
    await page.getByRole('button', { name: '提交登记并发布' }).click();

    // Assess
    await page.getByTestId('submitted').waitFor();
    await expect(page.getByTestId('activity-status').textContent()).resolves.toContain('已登记发布');
    await planError.waitFor({ state: 'detached' });
    const api = await organizerApi(stage.url, unit.orgId);
    const saved = await api.get<Record<string, unknown>>(`/v1/activities/${activityId}`);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      status: 'registered',
      kind: 'joint-action',
      jointAction: jointAction.id,
      format: 'offline',
      startsAt: '2021-09-26T09:00:00+08:00',
      expectedParticipants: 200,
      maxOnSite: 150,
      branded: true,
      contact: { name: '王老师', phone: '0373-5820656' },
    });
  });

  it.each(UNITS)('$width: loses nothing typed offline, neither while the page stays open nor after the tab is closed', async (unit) => {
    // Prepare
    const { context, page } = session(unit.width);
    const activityId = activityOf(unit.width);
    const api = await organizerApi(stage.url, unit.orgId);
    const description = page.getByLabel('活动简介', { exact: true });

    // Act: offline with the page open, then back online
    await context.setOffline(true);
    await description.fill('面向社区居民讲解碳达峰、碳中和知识。');
    // Assess
    await savedStatus(page, 'offline').waitFor();
    await context.setOffline(false);
    await savedStatus(page, 'saved').waitFor();
    await until(async () => ((await api.get(`/v1/activities/${activityId}`)).body.description === '面向社区居民讲解碳达峰、碳中和知识。' ? true : undefined), 'the description on the server');

    // Act: offline, type, close the tab; reopen the same address online
    await context.setOffline(true);
    await description.fill('面向社区居民讲解碳达峰、碳中和知识，现场有互动实验。');
    await savedStatus(page, 'offline').waitFor();
    await page.close();
    await context.setOffline(false);
    const reopened = await context.newPage();
    session(unit.width).page = reopened;
    await reopened.goto(`${stage.url}/activities/${activityId}`);
    // Assess
    await reopened.getByRole('alert').filter({ hasText: '已恢复' }).waitFor();
    await expect(reopened.getByLabel('活动简介', { exact: true }).inputValue()).resolves.toBe('面向社区居民讲解碳达峰、碳中和知识，现场有互动实验。');
    await savedStatus(reopened, 'saved').waitFor();
    await until(
      async () => ((await api.get(`/v1/activities/${activityId}`)).body.description === '面向社区居民讲解碳达峰、碳中和知识，现场有互动实验。' ? true : undefined),
      'the restored description on the server',
    );
  });

  it.each(UNITS)('$width: a colleague saved first (412): keeping mine puts only my changes on top of theirs', async (unit) => {
    // Prepare: the same activity open twice in one profile
    const { context, page: pageA } = session(unit.width);
    const activityId = activityOf(unit.width);
    const pageB = await context.newPage();
    await pageB.goto(`${stage.url}/activities/${activityId}`);
    await savedStatus(pageB, 'saved').waitFor();
    await pageB.getByLabel('活动名称', { exact: true }).waitFor();
    // Act
    await pageA.getByLabel('活动名称', { exact: true }).fill('科普进社区（A 的修改）');
    await pageA.getByLabel('合作单位', { exact: false }).fill('新乡市科技馆');
    await savedStatus(pageA, 'saved').waitFor();
    await pageB.getByLabel('活动名称', { exact: true }).fill('科普进社区（B 的修改）');
    // Assess
    const dialog = pageB.getByRole('dialog', { name: '此活动已被他人修改' });
    await dialog.waitFor();
    await audit(pageB, 'conflict-dialog', unit.width);
    await dialog.getByRole('button', { name: '保留我的修改' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await savedStatus(pageB, 'saved').waitFor();
    const api = await organizerApi(stage.url, unit.orgId);
    await until(async () => ((await api.get(`/v1/activities/${activityId}`)).body.title === '科普进社区（B 的修改）' ? true : undefined), "B's title on the server");
    // A's change to a field B never touched survives, and B's page shows the merge.
    expect((await api.get<{ coOrganizers?: string[] }>(`/v1/activities/${activityId}`)).body.coOrganizers).toEqual(['新乡市科技馆']);
    await expect(pageB.getByLabel('合作单位', { exact: false }).inputValue()).resolves.toBe('新乡市科技馆');
    await pageB.close();
  });

  it('moving the clock to 8 October signs nobody out', async () => {
    // Act
    await moveClock(stage.url, '2021-10-08T10:00:00+08:00');
    // Assess
    for (const unit of UNITS) {
      const { page } = session(unit.width);
      await page.goto(`${stage.url}/`);
      await page.getByTestId('milestones').waitFor();
      expect(new URL(page.url()).pathname).toBe('/');
      await expect(page.getByTestId('signed-in-unit').textContent()).resolves.toContain(unit.name);
      await expect(page.locator('h1').textContent()).resolves.toContain(unit.name);
    }
  });

  it.each(UNITS)('$width: uploads a photo (checked and shown), refuses wrong files before upload, and completes the results', async (unit) => {
    // Prepare
    const { page } = session(unit.width);
    const activityId = activityOf(unit.width);
    const grants: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/uploads')) grants.push(r.url());
    });
    await page.getByRole('navigation').getByRole('link', { name: '活动', exact: true }).click();
    const listed = page.getByTestId('activity-list').getByRole('listitem').filter({ hasText: '科普进社区（B 的修改）' });
    await listed.waitFor();
    await audit(page, 'activities', unit.width);
    await listed.getByRole('link', { name: '成果与照片' }).click();
    await page.waitForURL(`${stage.url}/activities/${activityId}/results`);
    await page.getByTestId('activity-status').waitFor();
    const input = page.getByTestId('file-input');

    // Act: a real photo (EXIF says it was taken during the activity)
    await input.setInputFiles({ name: '活动现场.jpg', mimeType: 'image/jpeg', buffer: decodableJpeg({ exifDate: '2021:09:26 09:30:00' }) });
    // Assess: a progress bar, then the check's verdict and a thumbnail the browser can draw
    await page.locator('.uploads [role="progressbar"]').first().waitFor();
    const item = page.getByTestId('media-list').locator('[data-file="活动现场.jpg"]');
    await item.and(page.locator('[data-status="accepted"]')).waitFor({ timeout: 25_000 });
    const thumb = item.locator('img');
    await thumb.waitFor();
    await until(async () => ((await thumb.evaluate((img) => { const i = img as unknown as { complete: boolean; naturalWidth: number }; return i.complete && i.naturalWidth; })) === 16 ? true : undefined), 'the thumbnail to load');
    expect(grants).toHaveLength(1);
    // An accepted photo is the evidence an offline activity needs: it is completed, and the page says so.
    await page.getByTestId('activity-status').filter({ hasText: '成果已完善' }).waitFor();

    // Act: a text file and a photo over the 20 MB limit
    const tooBig = join(files, `大照片-${unit.width}.jpg`);
    writeFileSync(tooBig, Buffer.concat([decodableJpeg(), Buffer.alloc(20 * 1024 * 1024)]));
    await input.setInputFiles({ name: '说明.txt', mimeType: 'text/plain', buffer: Buffer.from('活动说明') });
    await input.setInputFiles(tooBig);
    // Assess: refused in the browser, in Chinese, without asking for an upload
    const refused = page.locator('.uploads [data-state="refused"]');
    await refused.nth(1).waitFor();
    await expect(refused.filter({ hasText: '说明.txt' }).getByRole('alert').textContent()).resolves.toContain('不支持此文件类型');
    await expect(refused.filter({ hasText: `大照片-${unit.width}.jpg` }).getByRole('alert').textContent()).resolves.toContain('文件过大');
    expect(grants).toHaveLength(1);
    await audit(page, 'results', unit.width);

    // Act: the figures
    await fillNumber(page, '实际参与人数', 180);
    await page.getByLabel('链接 1', { exact: true }).fill('https://example.cn/news/1');
    await savedStatus(page, 'saved').waitFor();
    // Assess
    const api = await organizerApi(stage.url, unit.orgId);
    await until(async () => {
      const r = await api.get<{ results?: { actualParticipants?: number; newsLinks?: string[] } }>(`/v1/activities/${activityId}`);
      return r.body.results?.actualParticipants === 180 && r.body.results.newsLinks?.[0] === 'https://example.cn/news/1' ? true : undefined;
    }, 'the results on the server');
    await page.reload();
    await expect(page.getByTestId('activity-status').textContent()).resolves.toContain('成果已完善');
  });

  it.each(UNITS)('$width: submits the work summary, and then nothing is missing', async (unit) => {
    // Prepare
    const { page } = session(unit.width);
    await page.getByRole('navigation').getByRole('link', { name: '工作总结' }).click();
    await page.waitForURL(/\/summary$/);
    // Act
    await page.getByLabel('总结正文').fill(`${unit.name}围绕科普日主题，组织开展了社区科普讲座、科学实验展示和志愿服务等活动，反响良好。`);
    await page.getByRole('button', { name: '提交工作总结' }).click();
    // Assess
    await page.getByTestId('summary-submitted').waitFor();
    await audit(page, 'summary', unit.width);
    await page.getByRole('navigation').getByRole('link', { name: '首页' }).click();
    await page
      .getByTestId('nothing-missing')
      .waitFor({ timeout: 10_000 })
      .catch(async (error: Error) => {
        const api = await organizerApi(stage.url, unit.orgId);
        const status = await api.get(`/v1/campaigns/2021-xinxiang/organizations/${unit.orgId}/status`);
        throw new Error(`${error.message}\nThe home page shows:\n${await page.locator('main').innerText()}\nstatus: ${status.text}`);
      });
    expect(await page.getByTestId('missing').count()).toBe(0);
    expect(await page.getByTestId('flags').count()).toBe(0);
    // And an address that is no page of the app
    await page.goto(`${stage.url}/no-such-page`);
    await page.getByRole('heading', { name: '页面不存在' }).waitFor();
    await audit(page, 'not-found', unit.width);
  });

  it('shows the form, its labels and the server’s field errors in English', async () => {
    // Prepare
    const context = await newContext(stage.browser, 'desktop');
    const page = await context.newPage();
    try {
      await signIn(page, stage.url, '凤泉区科协');
      // Act
      await page.getByRole('button', { name: 'EN: Switch to English' }).click();
      await page.getByRole('navigation').getByRole('link', { name: 'Activities' }).click();
      await page.getByRole('button', { name: 'Register an activity' }).click();
      // Assess: labels
      await page.getByLabel('Title', { exact: true }).fill('Science in the community');
      for (const label of ['Description', 'Starts (Beijing time)', 'Ends (Beijing time)', 'Expected participants', 'Name', 'Phone (mobile or landline)']) {
        await page.getByLabel(label, { exact: true }).waitFor();
      }
      // Act: an offline event without its plan, and a phone number that is not one
      await tick(page, 'radio', 'Main-venue event');
      await tick(page, 'radio', 'Offline');
      await page.getByLabel('Phone (mobile or landline)', { exact: true }).fill('12');
      await page.getByLabel('Phone (mobile or landline)', { exact: true }).press('Tab');
      // Assess: the browser's own check, in English
      await expect(fieldError(page, '#f-contact-phone').textContent()).resolves.toMatch(/[a-z]/i);
      expect(await fieldError(page, '#f-contact-phone').textContent()).not.toMatch(/[\u4e00-\u9fff]/);
      // Act: a valid phone, save, then submit without the plan
      await page.getByLabel('Phone (mobile or landline)', { exact: true }).fill('13800138000');
      await page.getByLabel('Phone (mobile or landline)', { exact: true }).press('Tab');
      await page.waitForURL(/\/activities\/(?!new)[^/]+$/);
      await savedStatus(page, 'saved').waitFor();
      await page.getByRole('button', { name: 'Submit and publish' }).click();
      // Assess: the server's 422 in English on the plan's field
      const planError = fieldError(page, '#f-epidemic-plan');
      await planError.waitFor();
      expect(await planError.textContent()).toContain('Offline and hybrid activities need an epidemic prevention plan (at least 20 characters)');
      await expect(page.getByLabel(/Epidemic prevention plan/).count()).resolves.toBe(1);
    } finally {
      await context.close();
    }
  });

  it('has no serious or critical axe-core violation on any page, at either width', () => {
    // Every finding, whatever its impact, for whoever looks at the screenshots.
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    writeFileSync(join(SCREENSHOT_DIR, 'axe-findings.json'), `${JSON.stringify(findings, null, 2)}\n`);
    const expected = AUDITED.flatMap((name) => UNITS.map((u) => `${name}@${u.width}`));
    expect([...audited].sort()).toEqual(expected.sort());
    expect(blocking(findings)).toEqual([]);
  });
});
