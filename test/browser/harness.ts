import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { ManualClock, ReminderStack, startReminderStack, startTestApi, TestApi } from '@test/support';

const ROOT = path.resolve(__dirname, '../..');
export const WEB_ROOT = path.join(ROOT, 'dist', 'web');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'browser');

/** The browser types times from its own clock, so the API reads the same wall clock (not a frozen test clock). */
class WallClock extends ManualClock {
  override now(): Date {
    return new Date();
  }
}

/** The wall clock moved by `shiftMs`: lays down records in an earlier week over the API, then back to now. */
export class ShiftedClock extends WallClock {
  shiftMs = 0;
  override now(): Date {
    return new Date(Date.now() + this.shiftMs);
  }
}

export interface BrowserApi {
  api: TestApi;
  baseUrl: string;
}

/** The real API, with the built web app at /, listening on a free port of its own database. */
export async function startBrowserApi(env: Record<string, string> = {}, clock: ManualClock = new WallClock()): Promise<BrowserApi> {
  if (!existsSync(path.join(WEB_ROOT, 'index.html'))) {
    throw new Error(`The web app is not built (no ${WEB_ROOT}/index.html): run \`npm run build:web\` first (npm test does).`);
  }
  const api = await startTestApi({ clock, env: { WEB_ROOT, ...env } });
  await api.app.listen(0, '127.0.0.1');
  const { port } = api.app.getHttpServer().address() as AddressInfo;
  return { api, baseUrl: `http://127.0.0.1:${port}` };
}

/** The API with the web app and a worker in-process, on a database of its own: reminders fire for real. */
export async function startBrowserStack(env: Record<string, string> = {}): Promise<{ stack: ReminderStack; baseUrl: string }> {
  if (!existsSync(path.join(WEB_ROOT, 'index.html'))) {
    throw new Error(`The web app is not built (no ${WEB_ROOT}/index.html): run \`npm run build:web\` first (npm test does).`);
  }
  const stack = await startReminderStack({ env: { WEB_ROOT, ...env } });
  await stack.api.listen(0, '127.0.0.1');
  const { port } = stack.api.getHttpServer().address() as AddressInfo;
  return { stack, baseUrl: `http://127.0.0.1:${port}` };
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * One headless Chromium with a fresh profile. The flags keep it from reaching for the network
 * (component updates, sync, QUIC), which the sandbox here refuses.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}. Install Debian's package: apt-get install -y chromium (or set CHROMIUM_PATH).`);
  }
  const profile = mkdtempSync(path.join(tmpdir(), 'dw-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    locale: 'en-US',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
    ],
  });
  context.setDefaultTimeout(10_000);
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A tab that records console errors and uncaught exceptions, so a test can insist there were none. */
export async function openPage(browser: Browser, viewport = { width: 1280, height: 900 }): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.context.newPage();
  await page.setViewportSize(viewport);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // A 4xx answer the app handles (a 400 it shows next to a field) is logged by Chromium as a failed resource; that is expected.
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  return { page, problems };
}

/** Empties a suite's artifact folder, so that what is left there is from this run only. */
export function resetArtifacts(suite: string): void {
  rmSync(path.join(ARTIFACTS, suite), { recursive: true, force: true });
}

/** Saves a full-page screenshot (or of the screen only) under test-artifacts/browser/<suite>/<name>.png. */
export async function screenshot(page: Page, suite: string, name: string, fullPage = true): Promise<string> {
  const dir = path.join(ARTIFACTS, suite);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}

/** Every visible form control has an accessible name (a label, aria-label or aria-labelledby). */
/**
 * A test step that, when it fails, screenshots every open tab (named by the step and the tab) before
 * failing, so a red browser run shows what each user was looking at.
 */
export function stepWithScreenshots(suite: string, tabs: () => Record<string, { page: Page } | undefined>) {
  return (name: string, fn: () => Promise<void>) =>
    it(name, async () => {
      try {
        await fn();
      } catch (error) {
        const slug = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
        for (const [who, tab] of Object.entries(tabs())) {
          if (tab) await screenshot(tab.page, suite, `FAILED-${slug}-${who}`).catch(() => undefined);
        }
        throw error;
      }
    });
}

export async function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input, select, textarea'))) {
      if (el.type === 'hidden' || el.offsetParent === null) continue;
      const named = (el.labels && el.labels.length > 0) || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
      if (!named) out.push(el.outerHTML.slice(0, 120));
    }
    return out;
  });
}

/** Nothing sticks out sideways at this width (wide tables scroll inside their own box). */
export async function overflowsHorizontally(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
}

/**
 * How far each list that becomes cards on a phone (`table.list.cards`) is wider than its box: such
 * lists are meant to fit at every width (only reports' wide tables scroll sideways on purpose). Empty
 * when all fit.
 */
export async function listsWiderThanTheirBox(page: Page): Promise<number[]> {
  return page.locator('main table.list.cards').evaluateAll((tables) =>
    tables.map((t) => { const wrap = t.closest('.table-wrap'); return wrap ? wrap.scrollWidth - wrap.clientWidth : 0; }).filter((px) => px > 1));
}

/** The widths every workflow is tried at: a phone, a tablet, a desktop. */
export const WIDTHS = [390, 768, 1280] as const;
export type Width = (typeof WIDTHS)[number];

/**
 * The visible controls of `main` (or of `within`) not wholly within the screen's width, outside a
 * box that scrolls sideways on purpose (a wide table): each as tag, text and its left–right edges.
 */
export async function controlsOffScreen(page: Page, width: number, within = 'main'): Promise<string[]> {
  return page.evaluate(([w, root]) => {
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>(`${root} button, ${root} a.button, ${root} input, ${root} select, ${root} textarea`))) {
      if (el.offsetParent === null || el.closest('.table-wrap')) continue;
      const r = el.getBoundingClientRect();
      if (r.left < -1 || r.right > w + 1) out.push(`${el.tagName} ${el.id || (el.textContent ?? '').trim().slice(0, 40)} ${Math.round(r.left)}–${Math.round(r.right)}`);
    }
    return out;
  }, [width, within] as const);
}

/**
 * The check boxes and radio buttons drawn away from their words: a box stretched to the field's
 * width draws its mark alone in the middle of the line and pushes the words to the right edge.
 */
export async function choicesApartFromTheirWords(page: Page): Promise<string[]> {
  return page.locator('main input[type="checkbox"], main input[type="radio"]').evaluateAll((boxes) =>
    boxes.flatMap((box) => {
      const r = box.getBoundingClientRect();
      return (box as HTMLElement).offsetParent !== null && r.width > 32 ? [`${(box.closest('label')?.textContent ?? box.id).trim().slice(0, 40)}: ${Math.round(r.width)} px wide`] : [];
    }));
}

/** Buttons and badges whose words are broken across lines (more lines than words): squeezed by the box they are in. */
export async function wordsBrokenInControls(page: Page): Promise<string[]> {
  return page.locator('main button, main a.button, main .badge').evaluateAll((els) =>
    els.flatMap((el) => {
      if ((el as HTMLElement).offsetParent === null) return [];
      const text = (el.textContent ?? '').trim();
      const tops = new Set<number>();
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const r of Array.from(range.getClientRects())) if (r.width > 0) tops.add(Math.round(r.top));
      }
      return tops.size > text.split(/\s+/).length ? [`${text.slice(0, 40)}: ${tops.size} lines`] : [];
    }));
}

export interface EveryWidthChecks {
  /** Controls a user needs here: each wholly on screen and not covered by anything (scrolled to vertically). */
  controls?: Record<string, Locator>;
  /** Anything else to assert at each width. */
  check?: (width: Width) => Promise<void>;
  /** Screenshot only the screen, where it was last scrolled to, not the whole page (a page of 50 cards on a phone is 12,000 px tall). */
  screenOnly?: boolean;
}

/**
 * The page as it is now, at 390, 768 and 1280 px: nothing sticks out sideways, no control of the page
 * and no card list is wider than the screen or its box, every check box and radio button beside its
 * words, no button or badge with a word broken across lines, the given controls are on screen and
 * uncovered, what `check` asks, and a full-page screenshot `<name>-<width>` in the suite's folder;
 * then back to 1280 px.
 */
export async function atEveryWidth(page: Page, suite: string, name: string, { controls = {}, check, screenOnly = false }: EveryWidthChecks = {}): Promise<void> {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(50);
    expect({ name, width, overflows: await overflowsHorizontally(page) }).toEqual({ name, width, overflows: false });
    expect({ name, width, off: await controlsOffScreen(page, width) }).toEqual({ name, width, off: [] });
    expect({ name, width, listOverflow: await listsWiderThanTheirBox(page) }).toEqual({ name, width, listOverflow: [] });
    expect({ name, width, choicesApart: await choicesApartFromTheirWords(page) }).toEqual({ name, width, choicesApart: [] });
    expect({ name, width, brokenWords: await wordsBrokenInControls(page) }).toEqual({ name, width, brokenWords: [] });
    for (const [control, locator] of Object.entries(controls)) {
      await locator.evaluate((el) => { window.scrollBy(0, el.getBoundingClientRect().top - window.innerHeight / 3); });
      expect({ name, width, control, ...(await placement(locator, width)) }).toEqual({ name, width, control, onScreen: true, uncovered: true });
    }
    await check?.(width);
    await screenshot(page, suite, `${name}-${width}`, !screenOnly);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Signs in through the form, by keyboard only: Tab to the fields, type, Enter. */
export async function signInByKeyboard(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByRole('heading', { name: 'Detainer workflow' }).waitFor();
  await page.keyboard.press('Tab');
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/**
 * Where a control is: wholly within the screen's width (not only inside a box that scrolls
 * sideways), and the topmost thing where a tap would land (the middle of its first line box: a link
 * that wraps has a gap in the middle of its bounding box), so nothing covers it. Scroll it into view
 * vertically first.
 */
export async function placement(control: Locator, width: number): Promise<{ onScreen: boolean; uncovered: boolean }> {
  return control.evaluate((el, w) => {
    const r = el.getBoundingClientRect();
    const first = el.getClientRects()[0] ?? r;
    const hit = document.elementFromPoint(first.left + first.width / 2, first.top + first.height / 2);
    return { onScreen: r.width > 0 && r.left >= -1 && r.right <= w + 1, uncovered: !!hit && el.contains(hit) };
  }, width);
}
