import type { Page } from 'playwright-core';
import { buildWorld, i247aBody, TEST_PASSWORD, tokensFor, UserKey, World } from '@app/testing';
import {
  atEveryWidth, Browser, BrowserApi, launchBrowser, openPage, overflowsHorizontally, resetArtifacts, screenshot, signInByKeyboard, startBrowserApi, stepWithScreenshots, WIDTHS,
} from './harness';

const SUITE = 'phone-and-tablet';

/**
 * Every page at phone (390 px), tablet (768 px) and desktop (1280 px) width: nothing wider than the
 * screen, the lodge form in one column on a phone, the actions of each list on screen, lists that are
 * cards on a phone within their box; a screenshot of each page at each width. Then sign-in at a
 * shared workstation at the three widths: a shift signs in past the per-address limit (only failures
 * count), and one clerk's wrong passwords, then the wait, are said on the page.
 */
describe('web app: phone and tablet widths (browser)', () => {
  let env: BrowserApi;
  let browser: Browser;
  let world: World;
  let tokens: Record<UserKey, string>;
  let tab: { page: Page; problems: string[] };
  let detainerId = '';
  const step = stepWithScreenshots(SUITE, () => ({ tab }));
  const api = (user: UserKey, url: string, body: object = {}) => env.api.http.post(url).set('Authorization', `Bearer ${tokens[user]}`).send(body);

  beforeAll(async () => {
    resetArtifacts(SUITE);
    // Low sign-in limits, so that a shift's sign-ins on one workstation go past the per-address one (only failures count).
    env = await startBrowserApi({ LOGIN_RATE_PER_ADDRESS: '6', LOGIN_RATE_PER_USERNAME: '3' });
    world = await buildWorld(env.api.app);
    tokens = await tokensFor(env.api.http, world);
    const subject = { aNumber: 'A700000001', familyName: 'Quintanilla-Echeverría', givenName: 'María Fernanda', dateOfBirth: '1991-12-12', citizenship: 'GT' };
    const res = await api('officerSea', '/api/v1/detainers', i247aBody(world.facilities.kingJail.id, { subject, bookingNumber: 'KC-2026-000123456' }));
    expect(res.status).toBe(201);
    detainerId = res.body.id;
    expect((await api('jailKing', `/api/v1/detainers/${detainerId}/acknowledge`, { response: 'will_comply' })).status).toBe(200);
    expect((await api('jailKing', `/api/v1/detainers/${detainerId}/schedule-release`, { releaseAt: new Date(Date.now() + 30 * 3_600_000).toISOString() })).status).toBe(200);
    browser = await launchBrowser();
    tab = await openPage(browser);
  });
  afterAll(async () => {
    await browser?.close();
    await env?.api.close();
  });

  /** Opens the page, waits for its heading, then at each width: no sideways overflow, every control of `main` on screen, card lists within their box. */
  const everyWidth = async (name: string, path: string, heading: RegExp | string, extra?: (width: number) => Promise<void>) => {
    const { page } = tab;
    await page.goto(`${env.baseUrl}${path}`);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    await page.waitForLoadState('networkidle');
    await atEveryWidth(page, SUITE, name, { check: extra });
  };

  /** A fresh sign-in whatever the tab was doing before (a failed step leaves no one signed in). */
  const signInAs = async (username: string) => {
    await tab.page.goto(`${env.baseUrl}/signin`);
    await tab.page.evaluate(() => sessionStorage.clear());
    await signInByKeyboard(tab.page, env.baseUrl, username, TEST_PASSWORD);
  };

  step('sign-in page', async () => {
    await everyWidth('00-sign-in', '/signin', 'Detainer workflow');
  });

  step('officer pages; the lodge form is one column on a phone', async () => {
    await signInAs('officer.sea');
    await everyWidth('01-officer-detainers', '/detainers', 'Detainers');
    await everyWidth('02-officer-lodge', '/detainers/new', 'Lodge a detainer', async (width) => {
      const boxes = await Promise.all(['Family name', 'Given name', 'Date of birth', 'Citizenship'].map(async (l) => (await tab.page.getByLabel(l).boundingBox())!));
      const lefts = new Set(boxes.map((b) => Math.round(b.x)));
      if (width === 390) {
        expect(lefts.size).toBe(1); // stacked: one field under the other
        for (const b of boxes) expect(b.width).toBeGreaterThan(300);
      } else expect(lefts.size).toBeGreaterThan(1); // side by side where there is room
    });
    await everyWidth('03-officer-detainer', `/detainers/${detainerId}`, /QUINTANILLA-ECHEVERRÍA/);
    await everyWidth('04-officer-print', `/detainers/${detainerId}/print`, 'Immigration detainer, form I-247A');
    await everyWidth('05-officer-queues', '/queues', 'Compliance queues');
    await everyWidth('06-officer-notifications', '/notifications', 'Notifications');
    await everyWidth('07-officer-reports', '/reports', 'Weekly declined-detainer reports');
  });

  step('jail staff pages', async () => {
    await signInAs('jail.king');
    await everyWidth('10-jail-worklist', '/worklist', 'Worklist');
    await everyWidth('11-jail-detainer', `/detainers/${detainerId}`, /QUINTANILLA-ECHEVERRÍA/, async () => {
      await tab.page.getByRole('button', { name: /^More actions/ }).click();
      expect(await overflowsHorizontally(tab.page)).toBe(false);
      await tab.page.getByRole('button', { name: /^More actions/ }).click();
    });
    await everyWidth('12-jail-disputes', '/disputes', 'Disputes');
    await everyWidth('13-jail-custody-upload', '/custody-events', 'Upload custody events');
  });

  step('supervisor pages', async () => {
    await signInAs('supervisor.sea');
    await everyWidth('20-supervisor-queues', '/queues', 'Compliance queues');
    await everyWidth('21-supervisor-queue', '/queues/release_soon_no_pickup', /Release within 48 hours/);
    const weeks = await env.api.http.get('/api/v1/reports/weekly').set('Authorization', `Bearer ${tokens.supervisorSea}`);
    await everyWidth('22-supervisor-report-live', `/reports/${weeks.body.currentWeek.weekStart}?version=live`, /Weekly report/);
    await everyWidth('23-supervisor-disputes', '/disputes', 'Disputes');
  });

  step('sign-in at a shared jail workstation: a shift signs in one after another past the per-address limit; wrong passwords, then the wait, said on the page', async () => {
    const { page } = tab;
    // Seven sign-ins (and sign-outs) from one address, over a limit of 6 per address: successes do not count.
    const shifts = [['jail.king', 'jail.snohomish', 'officer.sea'], ['jail.franklin.pa', 'officer.chi'], ['supervisor.sea', 'admin']];
    for (const [i, width] of WIDTHS.entries()) {
      await page.setViewportSize({ width, height: 850 });
      for (const username of shifts[i]) {
        await signInAs(username);
        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.getByRole('button', { name: 'Sign in' }).waitFor();
      }
    }
    // Three wrong passwords for one clerk, one at each width: each refused, the form says so and keeps the username.
    const summary = page.getByRole('alert');
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 850 });
      await page.getByLabel('Username').fill('jail.cook');
      await page.getByLabel('Password').fill('not the password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(summary.textContent()).resolves.toMatch(/^Could not sign in/);
      await page.waitForLoadState('networkidle');
      expect({ width, overflows: await overflowsHorizontally(page) }).toEqual({ width, overflows: false });
      await screenshot(page, SUITE, `30-sign-in-refused-${width}`);
    }
    // The limit per username is 3 failures: the right password now waits, and the page says for how long.
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await summary.getByText(/Too many sign-in attempts; try again in \d+ s\./).waitFor();
    await expect(page.getByLabel('Username').inputValue()).resolves.toBe('jail.cook');
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 850 });
      await page.waitForTimeout(50);
      expect({ width, overflows: await overflowsHorizontally(page) }).toEqual({ width, overflows: false });
      const signIn = (await page.getByRole('button', { name: 'Sign in' }).boundingBox())!;
      expect({ width, inside: signIn.x >= 0 && signIn.x + signIn.width <= width }).toEqual({ width, inside: true });
      await screenshot(page, SUITE, `31-sign-in-rate-limited-${width}`);
    }
    // Another clerk at the same workstation is not held up by it.
    await signInAs('jail.king');
  });

  it('no page logged an error or threw', () => {
    expect(tab.problems).toEqual([]);
  });
});
