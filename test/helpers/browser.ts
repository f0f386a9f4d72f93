/**
 * Browser end-to-end tests (test/e2e): Debian's Chromium driven by playwright-core (no browser
 * download), against a private local runtime per test file on a fresh data dir and a free port,
 * with axe-core checks and full-page screenshots under `.e2e-screenshots/`.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { RuntimeInfo } from '../../infra/local/runtime';
import { client, tokenFor, type Client } from './api';
import { spawnRuntime } from './global-setup';
import { spawnRuntimeKeepingUnits, stopRuntime } from './private-runtime';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** The two widths every page is tried at: a desktop and a phone (390 × 844, an iPhone 12–15). */
export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  mobile: { width: 390, height: 844 },
} as const;
export type Width = keyof typeof VIEWPORTS;

export const CAMPAIGN_ID = '2021-xinxiang';
export const SCREENSHOT_DIR = join(process.cwd(), '.e2e-screenshots');

/** Fails, saying how to install it, when there is no Chromium (the suite fails; it never skips). */
function assertChromium(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: the browser tests (jest project e2e) need it. ` +
        'Install it with `sudo apt-get install chromium` (and fonts-noto-cjk for readable Chinese screenshots; .ci/run installs both), ' +
        'or set CHROMIUM_PATH to a Chromium binary.',
    );
  }
}

/** Debian's Chromium, headless, as playwright-core drives it. */
export function launchChromium(): Promise<Browser> {
  assertChromium();
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export interface Stage {
  readonly url: string;
  readonly browser: Browser;
  /** Closes the browser and stops the runtime as Ctrl-C does, removing its data dir. */
  stop(): Promise<void>;
}

/**
 * A private runtime (fresh data dir, free port) whose simulated clock starts at `clock`, and a browser; both start at once.
 * `units`: keep only the seed campaign's first so many units (for journeys that move the clock: each milestone and
 * reminder fans out one job per unit).
 */
export async function startStage(clock: string, options: { readonly units?: number } = {}): Promise<Stage> {
  assertChromium();
  const dataDir = mkdtempSync(join(tmpdir(), 'sciday-e2e-'));
  const env = { SCIDAY_CLOCK: clock };
  const [browser, runtime] = await Promise.allSettled([
    launchChromium(),
    options.units === undefined ? spawnRuntime(dataDir, env) : spawnRuntimeKeepingUnits(options.units, dataDir, env),
  ]);
  if (browser.status === 'rejected' || runtime.status === 'rejected') {
    if (browser.status === 'fulfilled') await browser.value.close();
    if (runtime.status === 'fulfilled') await stopRuntime(runtime.value, dataDir);
    else rmSync(dataDir, { recursive: true, force: true });
    throw browser.status === 'rejected' ? browser.reason : (runtime as PromiseRejectedResult).reason;
  }
  const info = JSON.parse(readFileSync(join(dataDir, 'runtime.json'), 'utf8')) as RuntimeInfo;
  return {
    url: info.url,
    browser: browser.value,
    async stop() {
      await browser.value.close().catch(() => undefined);
      await stopRuntime(runtime.value, dataDir);
    },
  };
}

/** A fresh browser profile (own local storage) at `width`; axe needs a page from a context. */
export function newContext(browser: Browser, width: Width): Promise<BrowserContext> {
  return browser.newContext({
    viewport: VIEWPORTS[width],
    ...(width === 'mobile' ? { isMobile: true, hasTouch: true } : {}),
    locale: 'zh-CN',
  });
}

/**
 * Chooses the option `name` of a single Element Plus select opened by clicking `opener` (its box,
 * as a person's click lands). Under load a click can land while the list is still moving in and
 * select nothing: the list then stays open with the option unselected, and the click is made again
 * (at most three times). The list is let go before returning, so the next click lands where it was.
 */
export async function chooseOption(page: Page, opener: Locator, name: string): Promise<void> {
  const item = page.getByRole('option', { name, exact: true });
  for (let attempt = 1; ; attempt += 1) {
    if (!(await item.isVisible())) await opener.click();
    await item.click();
    try {
      await item.waitFor({ state: 'hidden', timeout: 5_000 });
      return;
    } catch (error) {
      if ((await item.getAttribute('aria-selected').catch(() => null)) === 'true') {
        await page.keyboard.press('Escape');
        await item.waitFor({ state: 'hidden' });
        return;
      }
      if (attempt === 3) throw error;
    }
  }
}

/**
 * Opens `/`, is sent to the local sign-in (marked 本机演示), signs in as `unitName`'s organizer
 * (the default role) and waits for the home page. `onSignInPage` runs on the sign-in page first.
 */
export async function signIn(page: Page, url: string, unitName: string, onSignInPage?: (page: Page) => Promise<void>): Promise<void> {
  await page.goto(`${url}/`);
  await page.waitForURL(/\/signin/);
  await page.getByText('本机演示', { exact: false }).first().waitFor();
  await page.getByRole('button', { name: '登录' }).waitFor();
  await onSignInPage?.(page);
  await chooseOption(page, page.getByRole('combobox', { name: '单位' }), unitName);
  await page.getByRole('button', { name: '登录' }).click();
  await passPrivacyNotice(page, 'milestones');
}

/**
 * Waits for `landing` (a test id) after a sign-in, acknowledging the privacy notice first when
 * the app asks for it (a person's first sign-in, or a new version: issue 21).
 */
export async function passPrivacyNotice(page: Page, landing: string): Promise<void> {
  const notice = page.getByTestId('privacy-notice');
  await page.locator('main[data-notice="shown"], main[data-notice="clear"]').waitFor({ state: 'attached' });
  if (await notice.isVisible()) {
    await page.getByRole('button', { name: /我已阅读并同意/ }).click();
    await notice.waitFor({ state: 'detached' });
  }
  await page.getByTestId(landing).waitFor();
}

/** The sign-in page's names of the roles (its checkboxes' labels). */
export const ROLE_LABELS = { organizer: '填报员（本单位）', reviewer: '评审', admin: '管理员（市科协）', analyst: '数据分析' } as const;

/**
 * Signs in on the local sign-in page as `unitName` with exactly `roles` (the organizer box is
 * ticked by default and is cleared unless asked for), then waits for `landing` (a test id) on
 * the user's start page: the console's board for admins and reviewers, exports for analysts.
 */
export async function signInAs(
  page: Page,
  url: string,
  unitName: string,
  roles: ReadonlyArray<keyof typeof ROLE_LABELS>,
  landing: string,
): Promise<void> {
  await page.goto(`${url}/`);
  await page.waitForURL(/\/signin/);
  await page.getByRole('button', { name: '登录' }).waitFor();
  await chooseOption(page, page.getByRole('combobox', { name: '单位' }), unitName);
  for (const [role, label] of Object.entries(ROLE_LABELS)) {
    const box = page.getByRole('checkbox', { name: label });
    // Element Plus hides the input itself under its label: a click lands on the label, as a person's does.
    if ((await box.isChecked()) !== roles.includes(role as keyof typeof ROLE_LABELS)) await page.locator('label', { has: box }).click();
  }
  await page.getByRole('button', { name: '登录' }).click();
  await passPrivacyNotice(page, landing);
}

/** Moves the runtime's simulated clock forward; resolves with the schedules that fired (their work is done by then). */
export async function moveClock(url: string, now: string): Promise<Array<{ scheduleId: string; ok: boolean }>> {
  const res = await fetch(`${url}/local/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ now }) });
  if (res.status !== 200) throw new Error(`POST /local/clock: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { fired: Array<{ scheduleId: string; ok: boolean }> }).fired;
}

/** An API client acting as `orgId`'s organizer (to check what the browser saved). */
export async function organizerApi(url: string, orgId: string): Promise<Client> {
  return client(url, await tokenFor(url, { sub: `${orgId}-e2e-check`, orgId, roles: ['organizer'] }));
}

/** The campaign as the form reads it (names of units, joint actions, themes, counties). */
export interface CampaignView {
  readonly organizations: Array<{ organizationId: string; name: string; county: string }>;
  readonly jointActions: Array<{ id: string; name: { zh: string; en: string } }>;
  readonly contentThemes: Array<{ id: string; name: { zh: string; en: string } }>;
  readonly counties: Array<{ id: string; name: { zh: string; en: string } }>;
}

export async function campaignView(url: string): Promise<CampaignView> {
  const res = await client(url).get<CampaignView>(`/v1/campaigns/${CAMPAIGN_ID}`);
  if (res.status !== 200) throw new Error(`GET campaign: ${res.status} ${res.text}`);
  return res.body;
}

/** Polls `probe` until it returns something other than undefined (API state behind the page). */
export async function until<T>(probe: () => Promise<T | undefined>, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface AxeFinding {
  readonly page: string;
  readonly width: Width;
  readonly id: string;
  readonly impact: string;
  readonly help: string;
  readonly targets: string[];
}

/**
 * axe-core over the page as it is, then a full-page screenshot `<name>-<px>.png`. The
 * screenshot is taken with the viewport as tall as the document, so sticky bars sit where
 * they end, not across the middle of a stitched image. Resolves with every violation found.
 */
export async function auditPage(page: Page, name: string, width: Width): Promise<AxeFinding[]> {
  // axe reads colours as painted: a label still fading or zooming in (opacity < 1) would be
  // measured against what shows through it. Let running CSS transitions and animations finish.
  // (Endless ones, a spinner's, never finish: they are left running.)
  await page.evaluate(
    'Promise.all(document.getAnimations().filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity).map((a) => a.finished.catch(() => undefined)))',
  );
  const results = await new AxeBuilder({ page }).analyze();
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const viewport = VIEWPORTS[width];
  const height = await page.evaluate<number>('Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)');
  await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, height) });
  try {
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${viewport.width}.png`), fullPage: true, animations: 'disabled' });
  } finally {
    await page.setViewportSize(viewport);
  }
  return results.violations.map((v) => ({
    page: name,
    width,
    id: v.id,
    impact: v.impact ?? 'unknown',
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(' ')),
  }));
}

/** Only what blocks people: axe's `serious` and `critical`. */
export const blocking = (findings: readonly AxeFinding[]): AxeFinding[] => findings.filter((f) => f.impact === 'serious' || f.impact === 'critical');
