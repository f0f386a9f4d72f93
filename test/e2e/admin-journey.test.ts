/**
 * The city association's console in the browser: its admin (市科协, the admin role alone) finds
 * the unit that registered late on the progress board (filter 有逾期登记) and downloads the board
 * as CSV, opens the unit and waives its registration-late flag with a reason, then grants another
 * unit an extension from the flags page; both show who did it and when, and the API has them. A
 * reviewer sees the same pages without a waive or extension button. Last, the admin makes next
 * year's campaign on 活动季: copies 2021 as 2022, sets its theme and publishes it (after which the
 * app opens 2022: nothing after it may assume 2021).
 *
 * Real data first, through the API, on a clock that starts before the registration deadline
 * (24 September 2021): 红旗区科协 registers on time; the clock moves past the deadline (the
 * milestone's sweep flags every unit with nothing registered, organization-inactive); then
 * 卫滨区科协 registers (registration-late).
 *
 * Every page built here (board, unit, flags, campaigns, the waive, extension and copy dialogs) is checked with
 * axe-core at 1280 and 390 px and saved as a screenshot in `.e2e-screenshots/`; the last test
 * holds them to no serious or critical violation.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { parseCsv } from '../../shared/http/csv';
import { client, completeActivity, tokenFor, type Client } from '../helpers/api';
import {
  SCREENSHOT_DIR, auditPage, blocking, chooseOption, moveClock, newContext, organizerApi, signInAs, startStage, until,
  type AxeFinding, type Stage, type Width,
} from '../helpers/browser';

/** Units kept of the seed campaign's 130: the clock moves fan out one job per unit (startStage). */
const UNITS = 50;

jest.setTimeout(90_000);

const C = '/v1/campaigns/2021-xinxiang';
const ASSOCIATION = '市科协';
const ADMIN_SUB = 'city-kx-staff';
const LATE = { orgId: 'weibin-kx', name: '卫滨区科协' };
const ON_TIME = { orgId: 'hongqi-kx', name: '红旗区科协' };
const EXTENDED = { orgId: 'fengquan-kx', name: '凤泉区科协' };
const WAIVE_REASON = '系统故障导致提交延迟，已核实情况属实。';
const EXTENSION_REASON = '单位负责人调整，经研究同意延期登记。';
const THEME_2022 = { zh: '喜迎二十大，科普新征程', en: 'Welcoming the 20th Party Congress: a new journey for science popularization' };

interface FlagView {
  flagId: string;
  code: string;
  organizationId: string;
  waived: boolean;
  waivedReason?: string;
  waivedBy?: string;
  waivedAt?: string;
}
interface ExtensionView {
  organizationId: string;
  milestone: string;
  until: string;
  reason: string;
  grantedBy: string;
  grantedAt: string;
}
interface ListPage<T> {
  items: T[];
  nextCursor: string | null;
}

let stage: Stage;
let admin: Client;
const contexts: BrowserContext[] = [];
const AUDITED = ['board', 'unit', 'waive-dialog', 'flags', 'extension-dialog', 'campaigns', 'copy-dialog'] as const;
const findings: AxeFinding[] = [];
const audited = new Set<string>();
async function audit(page: Page, name: (typeof AUDITED)[number], width: Width): Promise<void> {
  findings.push(...(await auditPage(page, `admin-${name}`, width)));
  audited.add(`${name}@${width}`);
}

/** An activity of `county` that starts after the deadline (no not-published-in-advance). */
const activity = (title: string, county: string) => ({
  ...completeActivity(),
  title,
  county,
  venue: { name: `${title}会场`, address: '新乡市人民路 1 号' },
  startsAt: '2021-10-10T09:00:00+08:00',
  endsAt: '2021-10-10T11:30:00+08:00',
});
async function register(orgId: string, body: Record<string, unknown>): Promise<string> {
  const api = await organizerApi(stage.url, orgId);
  const created = await api.post<{ activityId: string }>(`${C}/activities`, body, { 'idempotency-key': `e2e-${orgId}` });
  if (created.status !== 201) throw new Error(`create for ${orgId}: ${created.status} ${created.text}`);
  const submitted = await api.post(`/v1/activities/${created.body.activityId}/submit`);
  if (submitted.status !== 200) throw new Error(`submit for ${orgId}: ${submitted.status} ${submitted.text}`);
  return created.body.activityId;
}

beforeAll(async () => {
  stage = await startStage('2021-09-20T09:00:00+08:00', { units: UNITS });
  admin = client(stage.url, await tokenFor(stage.url, { sub: 'e2e-admin-check', orgId: 'city-kx', roles: ['admin'] }));
  await register(ON_TIME.orgId, activity('红旗区科普进社区', 'hongqi'));
  await moveClock(stage.url, '2021-09-25T09:00:00+08:00');
  await register(LATE.orgId, activity('卫滨区科普进校园', 'weibin'));
  // The board reads a read model kept from the table's stream: wait until it has the late unit.
  await until(async () => {
    const res = await admin.get<ListPage<{ organizationId: string; activities: { registeredLate: number } }>>(`${C}/progress?county=weibin&limit=100`);
    return res.body.items?.find((u) => u.organizationId === LATE.orgId)?.activities.registeredLate === 1 ? true : undefined;
  }, 'the late unit on the board', 30_000);
}, 150_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await stage?.stop();
});

async function browserAt(width: Width): Promise<Page> {
  const context = await newContext(stage.browser, width);
  contexts.push(context);
  return context.newPage();
}
const nav = (page: Page, name: string) => page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name, exact: true }).click();
/** Clicks the label of the checkbox or radio named `name` (Element Plus hides the input under it). */
async function tick(scope: Page | Locator, role: 'radio' | 'checkbox', name: string): Promise<void> {
  const input = scope.getByRole(role, { name, exact: true });
  // `has` is matched inside each label: a locator from the page, not from the scope.
  const page = 'page' in scope ? scope.page() : scope;
  await scope.locator('label', { has: page.getByRole(role, { name, exact: true }) }).click();
  if (!(await input.isChecked())) throw new Error(`${role} ${name} is not checked after a click on its label`);
}
/** Chooses `option` in the Element Plus select labelled `label` inside `scope`. */
async function choose(page: Page, scope: Locator, label: string, option: string): Promise<void> {
  await chooseOption(page, scope.locator('.el-select', { has: page.getByRole('combobox', { name: label }) }), option);
}
const unitRows = (page: Page) => page.getByTestId('board-table').locator('tr.unit-row');
/** The error Element Plus shows under the form item holding `control`. */
const fieldError = (scope: Locator, control: string): Locator =>
  scope.locator('.el-form-item', { has: scope.page().locator(control) }).locator('.el-form-item__error');

describe('The association’s admin and reviewers in the console', () => {
  let page: Page;

  it('desktop: the admin finds the late unit on the board and downloads the board as CSV', async () => {
    // Prepare
    page = await browserAt('desktop');
    await signInAs(page, stage.url, ASSOCIATION, ['admin'], 'progress-board');
    await page.getByTestId('board-table').waitFor();
    expect(new URL(page.url()).pathname).toBe('/console');
    await expect(page.getByTestId('as-of').textContent()).resolves.toMatch(/北京时间/);
    expect(await unitRows(page).count()).toBeGreaterThanOrEqual(UNITS);

    // Act
    await tick(page, 'checkbox', '有逾期登记');
    // Assess: only the late unit, its late registration counted, and the filter in the address
    await until(async () => ((await unitRows(page).count()) === 1 ? true : undefined), 'one row');
    const row = unitRows(page).first();
    await expect(row.getAttribute('data-org')).resolves.toBe(LATE.orgId);
    await expect(row.locator('[data-col="registeredLate"]').textContent()).resolves.toBe('1');
    expect(new URL(page.url()).searchParams.get('late')).toBe('1');
    await expect(page.getByTestId('board-totals').textContent()).resolves.toContain('合计（1 个单位）');
    await audit(page, 'board', 'desktop');

    // Act: download what the table shows
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
    // Assess
    expect(download.suggestedFilename()).toMatch(/^progress-2021-xinxiang-\d{8}-\d{4}\.csv$/);
    const bytes = readFileSync(await download.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.split('\r\n')[0]).toBe(
      '"单位编号","单位名称","英文名称","县（市、区）","类型","草稿","已登记","按时登记","逾期登记","成果已完善","成果逾期","工作总结已提交","工作总结提交时间","工作总结逾期","待处理标记","已豁免标记","最近更新"',
    );
    const [header, ...records] = parseCsv(text);
    expect(records).toHaveLength(1);
    const late = Object.fromEntries((header ?? []).map((h, i) => [h, records[0]?.[i]]));
    expect(late).toMatchObject({ 单位编号: LATE.orgId, 单位名称: LATE.name, '县（市、区）': '卫滨区', 已登记: '1', 按时登记: '0', 逾期登记: '1', 工作总结已提交: '否' });
    expect(late['最近更新']).toMatch(/^2021-09-25T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00$/);
  });

  it('desktop: the admin opens the late unit and waives its registration-late flag with a reason, and sees who and when', async () => {
    // Act: open the unit from the board
    await unitRows(page).first().getByRole('link', { name: LATE.name }).click();
    await page.waitForURL(`${stage.url}/console/units/${LATE.orgId}`);
    await page.getByTestId('unit-facts').waitFor();
    // Assess: who it is, its milestones and activities
    await expect(page.locator('h1').textContent()).resolves.toContain(LATE.name);
    await expect(page.getByTestId('unit-facts').textContent()).resolves.toContain('卫滨区');
    await page.getByTestId('unit-activities').getByText('卫滨区科普进校园').waitFor();
    await page.getByTestId('unit-summary-missing').waitFor();
    // An activity opens to its results, media and history.
    await page.getByTestId('unit-activities').locator('summary').first().click();
    await page.getByTestId('unit-history').waitFor();
    await expect(page.getByTestId('unit-history').textContent()).resolves.toContain('weibin-kx-e2e-check');
    await audit(page, 'unit', 'desktop');

    // Act: waive, first without a reason
    const flag = page.getByTestId('console-flags').locator('[data-code="registration-late"]');
    await flag.getByRole('button', { name: `豁免：${LATE.name} 登记逾期` }).click();
    const dialog = page.getByRole('dialog', { name: '豁免标记' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: '确认豁免' }).click();
    // Assess: the reason is asked for, on its field
    await fieldError(dialog, '#waive-reason').waitFor();
    await audit(page, 'waive-dialog', 'desktop');
    // Act: with a reason
    await dialog.getByLabel('豁免理由（5–500 字）').fill(WAIVE_REASON);
    await dialog.getByRole('button', { name: '确认豁免' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // Assess: the waived flag says why, who and when
    const waived = page.locator('[data-code="registration-late"][data-waived="true"]');
    await waived.waitFor();
    await expect(waived.getByTestId('waiver').textContent()).resolves.toContain(WAIVE_REASON);
    await expect(waived.getByTestId('waived-by').textContent()).resolves.toBe(ADMIN_SUB);
    await expect(waived.getByTestId('waived-at').textContent()).resolves.toMatch(/^2021年9月25日 /);
    // … and the API has the waiver
    const flags = await admin.get<ListPage<FlagView>>(`${C}/flags?organizationId=${LATE.orgId}&code=registration-late`);
    expect(flags.body.items).toEqual([
      expect.objectContaining({ waived: true, waivedReason: WAIVE_REASON, waivedBy: ADMIN_SUB, waivedAt: expect.stringMatching(/^2021-09-25T.*\+08:00$/) }),
    ]);
  });

  it('desktop: the admin grants another unit an extension from the flags page and sees it listed with who and when', async () => {
    // Prepare
    await nav(page, '标记与延期');
    await page.getByTestId('flags-page').waitFor();
    await page.getByTestId('console-flags').locator('li').first().waitFor();
    await audit(page, 'flags', 'desktop');

    // Act: a deadline before the milestone's own is refused on its field
    await page.getByTestId('grant-extension').click();
    const dialog = page.getByRole('dialog', { name: '批准延期' });
    await dialog.waitFor();
    await choose(page, dialog, '单位', EXTENDED.name);
    await tick(dialog, 'radio', '登记填报');
    await dialog.getByLabel('延期至（北京时间）').fill('2021-09-23T18:00');
    await dialog.getByLabel('延期理由（5–500 字）').fill(EXTENSION_REASON);
    await dialog.getByRole('button', { name: '批准延期' }).click();
    const untilError = fieldError(dialog, '#ext-until');
    await untilError.waitFor();
    await expect(untilError.textContent()).resolves.toContain('须晚于该节点原定截止时间');
    await audit(page, 'extension-dialog', 'desktop');
    // Act: a later one; what was typed is still there
    await expect(dialog.getByLabel('延期理由（5–500 字）').inputValue()).resolves.toBe(EXTENSION_REASON);
    await dialog.getByLabel('延期至（北京时间）').fill('2021-09-30T18:00');
    await dialog.getByRole('button', { name: '批准延期' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // Assess: listed with who and when
    const listed = page.getByTestId('extensions').locator(`[data-org="${EXTENDED.orgId}"]`);
    await listed.waitFor();
    await expect(listed.textContent()).resolves.toContain(EXTENSION_REASON);
    await expect(listed.textContent()).resolves.toContain('2021年9月30日 18:00');
    await expect(listed.getByTestId('granted-by').textContent()).resolves.toBe(ADMIN_SUB);
    await expect(listed.getByTestId('granted-at').textContent()).resolves.toMatch(/^2021年9月25日 /);
    // … and the API has it: the unit's registration deadline moved
    const extensions = await admin.get<ListPage<ExtensionView>>(`${C}/extensions?organizationId=${EXTENDED.orgId}`);
    expect(extensions.body.items).toEqual([
      expect.objectContaining({ milestone: 'registration', until: '2021-09-30T18:00:00+08:00', reason: EXTENSION_REASON, grantedBy: ADMIN_SUB }),
    ]);
    const status = await admin.get<{ milestones: Array<{ milestone: string; deadline: string; extended: boolean }> }>(`${C}/organizations/${EXTENDED.orgId}/status`);
    expect(status.body.milestones.find((m) => m.milestone === 'registration')).toMatchObject({ deadline: '2021-09-30T18:00:00+08:00', extended: true });
  });

  it('phone: the board, a unit, the flags and both dialogs work at 390 px', async () => {
    // Prepare
    const phone = await browserAt('mobile');
    await signInAs(phone, stage.url, ASSOCIATION, ['admin'], 'progress-board');
    await phone.getByTestId('board-table').waitFor();
    // One county (the address keeps the filters): the table scrolls sideways inside its own region, the page does not.
    await phone.goto(`${stage.url}/console?county=weibin`);
    await until(async () => ((await unitRows(phone).count()) === 10 ? true : undefined), 'one county’s units');
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await audit(phone, 'board', 'mobile');

    // Act: search, then open the unit
    await phone.getByLabel('搜索').fill('卫滨区科协');
    await until(async () => ((await unitRows(phone).count()) === 1 ? true : undefined), 'one row');
    await unitRows(phone).first().getByRole('link', { name: LATE.name }).click();
    await phone.getByTestId('unit-facts').waitFor();
    await phone.getByTestId('console-flags').first().waitFor();
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await audit(phone, 'unit', 'mobile');
    // The waive dialog of the unit's other flag, closed without waiving
    await phone.getByRole('button', { name: new RegExp(`^豁免：${LATE.name} `) }).first().click();
    const waive = phone.getByRole('dialog', { name: '豁免标记' });
    await waive.waitFor();
    await audit(phone, 'waive-dialog', 'mobile');
    await waive.getByRole('button', { name: '取消' }).click();
    await waive.waitFor({ state: 'hidden' });

    // The flags page filtered to the extended unit (its flags and its extension), and the extension dialog
    await phone.goto(`${stage.url}/console/flags?organizationId=${EXTENDED.orgId}`);
    await phone.getByTestId('extensions').locator(`[data-org="${EXTENDED.orgId}"]`).waitFor();
    await phone.getByTestId('console-flags').locator(`[data-code="organization-inactive"]`).waitFor();
    await audit(phone, 'flags', 'mobile');
    await phone.getByTestId('grant-extension').click();
    const grant = phone.getByRole('dialog', { name: '批准延期' });
    await grant.waitFor();
    // Opened from a unit's list, the dialog starts from that unit.
    await expect(grant.locator('.el-select').first().textContent()).resolves.toContain(EXTENDED.name);
    await audit(phone, 'extension-dialog', 'mobile');
    await grant.getByRole('button', { name: '取消' }).click();
    await grant.waitFor({ state: 'hidden' });
  });

  it('a reviewer reads the flags and extensions with no waive or extension button', async () => {
    // Prepare
    const reviewer = await browserAt('desktop');
    await signInAs(reviewer, stage.url, ASSOCIATION, ['reviewer'], 'progress-board');
    // Act
    await nav(reviewer, '标记与延期');
    await reviewer.getByTestId('extensions').locator(`[data-org="${EXTENDED.orgId}"]`).waitFor();
    await reviewer.getByTestId('console-flags').locator('li').first().waitFor();
    // Assess
    expect(await reviewer.getByRole('button', { name: '批准延期' }).count()).toBe(0);
    expect(await reviewer.getByRole('button', { name: /^豁免/ }).count()).toBe(0);
    await reviewer.goto(`${stage.url}/console/units/${LATE.orgId}`);
    await reviewer.getByTestId('unit-facts').waitFor();
    await reviewer.locator('[data-code="registration-late"][data-waived="true"]').waitFor();
    expect(await reviewer.getByRole('button', { name: '批准延期' }).count()).toBe(0);
    expect(await reviewer.getByRole('button', { name: /^豁免/ }).count()).toBe(0);
  });

  // Last of the journeys: once 2022 is published, the app opens it (the newest published campaign).
  it('desktop: the admin copies 2021 as 2022 on 活动季, sets its theme and publishes it; the API has it', async () => {
    // Prepare
    await nav(page, '活动季');
    await page.getByTestId('campaigns-page').waitFor();
    const campaign = (p: Page, id: string) => p.getByTestId('campaign-list').locator(`[data-campaign="${id}"]`);
    const y2021 = campaign(page, '2021-xinxiang');
    await expect(y2021.getAttribute('data-status')).resolves.toBe('published');
    await expect(y2021.textContent()).resolves.toContain('2021年9月24日 23:59（北京时间）');
    // The server's clock (25 September 2021): registration has passed, completion can still move.
    await expect(y2021.getByRole('button', { name: /^调整截止日期：/ }).count()).resolves.toBe(1);

    // Act: copy, the new id proposed
    await y2021.getByRole('button', { name: /^复制为新一年：/ }).click();
    const copy = page.getByRole('dialog', { name: '复制为新一年' });
    await copy.waitFor();
    await expect(copy.getByLabel('新活动季编号').inputValue()).resolves.toBe('2022-xinxiang');
    await audit(page, 'copy-dialog', 'desktop');
    await copy.getByRole('button', { name: '复制', exact: true }).click();
    await copy.waitFor({ state: 'hidden' });
    // Assess: the draft is listed, dates a year on
    const draft = page.locator('[data-campaign="2022-xinxiang"][data-status="draft"]');
    await draft.waitFor();
    await expect(draft.getByTestId('campaign-status').textContent()).resolves.toContain('草稿');
    await expect(draft.textContent()).resolves.toContain('2022年9月24日 23:59（北京时间）');

    // The page at 390 px with the draft: nothing wider than the phone
    const phone = await browserAt('mobile');
    await signInAs(phone, stage.url, ASSOCIATION, ['admin'], 'progress-board');
    await nav(phone, '活动季');
    await phone.locator('[data-campaign="2022-xinxiang"][data-status="draft"]').getByLabel('活动主题（中文）').waitFor();
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await audit(phone, 'campaigns', 'mobile');
    await campaign(phone, '2021-xinxiang').getByRole('button', { name: /^复制为新一年：/ }).click();
    const phoneCopy = phone.getByRole('dialog', { name: '复制为新一年' });
    await phoneCopy.waitFor();
    await audit(phone, 'copy-dialog', 'mobile');
    await phoneCopy.getByRole('button', { name: '取消' }).click();
    await phoneCopy.waitFor({ state: 'hidden' });

    // Act: the theme (If-Match from the definition's ETag), then publish after a confirmation
    await draft.getByLabel('活动主题（中文）').fill(THEME_2022.zh);
    await draft.getByLabel('活动主题（英文）').fill(THEME_2022.en);
    await draft.getByRole('button', { name: '保存主题' }).click();
    await until(async () => ((await draft.getByTestId('theme-status').textContent())?.includes('主题已保存') ? true : undefined), 'the theme saved');
    await audit(page, 'campaigns', 'desktop');
    await draft.getByRole('button', { name: /^发布：/ }).click();
    const confirm = page.getByRole('dialog', { name: '发布活动季' });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: '确认发布' }).click();
    await confirm.waitFor({ state: 'hidden' });

    // Assess: listed as published with its theme, and the API has it
    const published = page.locator('[data-campaign="2022-xinxiang"][data-status="published"]');
    await published.waitFor();
    await expect(published.textContent()).resolves.toContain(THEME_2022.zh);
    const stored = await admin.get<Record<string, unknown>>('/v1/campaigns/2022-xinxiang/definition');
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ status: 'published', copiedFrom: '2021-xinxiang', updatedBy: ADMIN_SUB, definition: { year: 2022, theme: THEME_2022 } });
  });

  it('has no serious or critical axe-core violation on any page or dialog, at either width', () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    writeFileSync(join(SCREENSHOT_DIR, 'admin-axe-findings.json'), `${JSON.stringify(findings, null, 2)}\n`);
    const expected = AUDITED.flatMap((name) => (['desktop', 'mobile'] as const).map((w) => `${name}@${w}`));
    expect([...audited].sort()).toEqual(expected.sort());
    expect(blocking(findings)).toEqual([]);
  });
});
