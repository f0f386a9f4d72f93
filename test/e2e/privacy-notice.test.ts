/**
 * The privacy notice in the browser (issue 21 item 2), at a phone's width: after signing in, a
 * person who has not acknowledged the current notice sees it (Chinese first, then English) and
 * nothing else of the app; the keyboard reaches each text and the button; axe finds nothing
 * at all; acknowledging opens the app without touching what the browser keeps (local copies);
 * signing in again does not ask again; the bar's 我的数据 saves what is held about them as JSON.
 */
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { PRIVACY_NOTICE } from '../../shared/domain/privacy-notice';
import { auditPage, chooseOption, newContext, startStage, type Stage } from '../helpers/browser';

jest.setTimeout(90_000);

let stage: Stage;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  stage = await startStage('2021-09-20T09:00:00+08:00');
  context = await newContext(stage.browser, 'mobile');
  page = await context.newPage();
}, 120_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await stage?.stop();
});

const storage = (p: Page) => p.evaluate<string>('JSON.stringify(Object.entries(localStorage).sort())');
/** An expression on the focused element. */
const focused = (p: Page, expression: string) => p.evaluate<string | null | undefined>(`document.activeElement?.${expression}`);

describe('Privacy notice page', () => {
  it('stands between a person and the app until they acknowledge it, by keyboard, and is axe-clean at 390 px', async () => {
    // Prepare: what a form would have kept in this browser before (a local copy).
    await page.goto(`${stage.url}/signin`);
    await page.evaluate('localStorage.setItem("sciday:local-copy:test", JSON.stringify({ title: "未提交的草稿" }))');
    await page.getByRole('button', { name: '登录' }).waitFor();
    await chooseOption(page, page.getByRole('combobox', { name: '单位' }), '红旗区科协');
    await page.getByRole('button', { name: '登录' }).click();

    // Act / Assess: the notice, Chinese first, focused on its heading; the app hidden behind it.
    const notice = page.getByTestId('privacy-notice');
    await notice.waitFor();
    const kept = await storage(page);
    expect(kept).toContain('未提交的草稿');
    const texts = await notice.locator('.notice-text').allTextContents();
    expect(texts).toEqual([PRIVACY_NOTICE.text.zh, PRIVACY_NOTICE.text.en]);
    expect(await focused(page, 'id')).toBe('privacy-notice-title');
    expect(await page.getByTestId('milestones').isVisible()).toBe(false);
    expect(await auditPage(page, 'privacy-notice', 'mobile')).toEqual([]);

    // Keyboard: the Chinese text, the English text, then the button.
    await page.keyboard.press('Tab');
    expect(await focused(page, "getAttribute('lang')")).toBe('zh-CN');
    await page.keyboard.press('Tab');
    expect(await focused(page, "getAttribute('lang')")).toBe('en');
    await page.keyboard.press('Tab');
    expect(await focused(page, 'textContent?.trim()')).toBe('我已阅读并同意 · I have read it');
    await page.keyboard.press('Enter');

    await notice.waitFor({ state: 'detached' });
    await page.getByTestId('milestones').waitFor();
    expect(await storage(page)).toBe(kept);

    // The acknowledgement is the server's: a new visit does not ask again.
    await page.reload();
    await page.locator('main[data-notice="clear"]').waitFor({ state: 'attached' });
    await page.getByTestId('milestones').waitFor();
    expect(await notice.count()).toBe(0);
  });

  it('saves what SciDay holds about the person as a JSON file, from the bar, by keyboard', async () => {
    const button = page.getByTestId('my-data');
    expect((await button.textContent())?.trim()).toBe('我的数据');
    await button.focus();
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(download.suggestedFilename()).toBe('sciday-my-data-2021-09-20.json');
    const path = await download.path();
    const data = JSON.parse(readFileSync(path, 'utf8')) as { sub: string; ownItems: Array<{ version?: string }> };
    // The signed-in person's, with their acknowledgement of the notice.
    expect(data.sub).toMatch(/\S/);
    expect(data.ownItems).toEqual([expect.objectContaining({ version: PRIVACY_NOTICE.version })]);
    // Still no wider than the phone.
    expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
  });
});
