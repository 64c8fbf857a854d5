import type { Page } from 'playwright-core';
import { buildWorld, i247aBody, ReminderStack, TEST_PASSWORD, tokensFor, UserKey, World } from '@test/support';
import { atEveryWidth, Browser, launchBrowser, openPage, resetArtifacts, signInByKeyboard, startBrowserStack, stepWithScreenshots } from './harness';

const SUITE = 'notifications';

/**
 * Notifications end to end: the jail gives three release dates under 48 hours ahead, the real worker
 * (BullMQ on Redis) fires the short-notice alerts into the office's inbox, and the officer sees the
 * unread count in the header, reads the alerts grouped by kind, each naming its case by person and
 * booking number, in the facility's local time with its zone, opens a detainer from one, marks one
 * read and then all the rest; the inbox at 390, 768 and 1280 px.
 */
describe('web app: notifications (browser)', () => {
  let env: { stack: ReminderStack; baseUrl: string };
  let browser: Browser;
  let world: World;
  let tokens: Record<UserKey, string>;
  let officer: { page: Page; problems: string[] };
  let detainerId: string;
  const step = stepWithScreenshots(SUITE, () => ({ officer }));

  const as = (user: UserKey) => ({
    post: (url: string, body: object = {}) => env.stack.http.post(url).set('Authorization', `Bearer ${tokens[user]}`).send(body),
    get: (url: string) => env.stack.http.get(url).set('Authorization', `Bearer ${tokens[user]}`),
  });

  beforeAll(async () => {
    resetArtifacts(SUITE);
    env = await startBrowserStack();
    world = await buildWorld(env.stack.api);
    tokens = await tokensFor(env.stack.http, world);
    await env.stack.startWorker();
    const people = [['A500000001', 'Ortega', 'Samuel', 'KC-5001'], ['A500000002', 'Paredes', 'Inés', 'KC-5002'], ['A500000003', 'Quiroga', 'Tomás', 'KC-5003']] as const;
    for (const [i, [aNumber, familyName, givenName, bookingNumber]] of people.entries()) {
      const subject = { aNumber, familyName, givenName, dateOfBirth: '1979-09-09', citizenship: 'MX' };
      const issued = await as('officerSea').post('/api/v1/detainers', i247aBody(world.facilities.kingJail.id, { subject, bookingNumber }));
      expect(issued.status).toBe(201);
      if (i === 0) detainerId = issued.body.id;
      expect((await as('jailKing').post(`/api/v1/detainers/${issued.body.id}/acknowledge`, { response: 'will_comply' })).status).toBe(200);
      // 30 hours ahead: short notice, which alerts the issuing office at once.
      const releaseAt = new Date(Date.now() + (30 + i) * 3_600_000).toISOString();
      expect((await as('jailKing').post(`/api/v1/detainers/${issued.body.id}/schedule-release`, { releaseAt })).status).toBe(200);
    }
    browser = await launchBrowser();
    officer = await openPage(browser);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await env?.stack.close();
  });

  const unreadForOfficer = async () => (await as('officerSea').get('/api/v1/notifications?unread=true')).body as { unreadCount: number; items: { title: string; kind: string }[] };

  const shortNotices = (inbox: { items: { kind: string }[] }) => inbox.items.filter((n) => n.kind === 'short_notice').length;

  it('the worker delivers the three short-notice alerts to the office inbox', async () => {
    let inbox = await unreadForOfficer();
    for (let i = 0; i < 100 && shortNotices(inbox) < 3; i++) {
      await new Promise((r) => setTimeout(r, 200));
      inbox = await unreadForOfficer();
    }
    expect(shortNotices(inbox)).toBe(3);
  });

  step('the header shows the unread count; the inbox groups the alerts by kind, each naming its case by person and booking in facility time; opening one marks it read', async () => {
    const { page } = officer;
    const before = (await unreadForOfficer()).unreadCount;
    await signInByKeyboard(page, env.baseUrl, 'officer.sea', TEST_PASSWORD);
    const link = page.getByRole('link', { name: /^Notifications/ });
    // The count arrives after the start page has loaded.
    await page.waitForFunction((n) => document.querySelector('nav[aria-label="Main"] .nav-count')?.textContent === `${n} unread`, before);
    await expect(link.textContent()).resolves.toBe(`Notifications${before} unread`);
    await link.click();
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    const group = page.getByRole('region', { name: /^Short-notice releases/ });
    await expect(group.getByRole('heading', { level: 2 }).textContent()).resolves.toBe('Short-notice releases (3, 3 unread)');
    // newest first, each named by person and booking number, at the facility
    await expect(group.locator('.n-case').allTextContents()).resolves.toEqual([
      'QUIROGA, Tomás, booking KC-5003 · King County Correctional Facility', 'PAREDES, Inés, booking KC-5002 · King County Correctional Facility',
      'ORTEGA, Samuel, booking KC-5001 · King County Correctional Facility',
    ]);
    const alert = group.locator('li.unread', { hasText: 'ORTEGA, Samuel' });
    for (const time of await group.locator('time').allTextContents()) expect(time).toMatch(/\d{2}:\d{2} P[SD]T \(America\/Los_Angeles\)$/);
    await atEveryWidth(page, SUITE, '01-notifications', {
      controls: {
        markAll: page.getByRole('button', { name: 'Mark all read', exact: true }), markGroup: page.getByRole('button', { name: 'Mark all read: Short-notice releases' }),
        open: alert.getByRole('link', { name: 'Open the detainer' }), markOne: alert.getByRole('button', { name: /^Mark read:/ }),
      },
    });

    await alert.getByRole('link', { name: 'Open the detainer' }).click();
    await page.getByRole('heading', { level: 1, name: /ORTEGA, Samuel/ }).waitFor();
    expect(page.url()).toContain(`/detainers/${detainerId}`);
    // The count follows: one fewer unread.
    const expected = before - 1;
    for (let i = 0; i < 50 && (await unreadForOfficer()).unreadCount !== expected; i++) await new Promise((r) => setTimeout(r, 100));
    await page.getByRole('link', { name: 'Detainers', exact: true }).click();
    await expect(page.getByRole('link', { name: /^Notifications/ }).textContent()).resolves.toBe(expected ? `Notifications${expected} unread` : 'Notifications');
  });

  step('marks one read, then all the rest with "Mark all read"; "unread only" is then empty', async () => {
    const { page } = officer;
    await page.getByRole('link', { name: /^Notifications/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    const left = (await unreadForOfficer()).unreadCount;
    expect(left).toBeGreaterThanOrEqual(2); // two short-notice alerts, and whatever else the worker sent
    await page.locator('li.unread', { hasText: 'PAREDES, Inés' }).getByRole('button', { name: /^Mark read:/ }).click();
    await page.waitForFunction((n) => document.querySelectorAll('button[aria-label^="Mark read:"]').length === n, left - 1);
    await expect(page.locator('li.read', { hasText: 'PAREDES, Inés' }).count()).resolves.toBe(1);
    await page.getByRole('button', { name: 'Mark all read', exact: true }).click();
    await page.getByText(`${left - 1} marked read.`).waitFor();
    await page.locator('li.unread').first().waitFor({ state: 'detached' }); // the list reloads after saying so
    await expect(page.getByRole('button', { name: 'Mark all read', exact: true }).count()).resolves.toBe(0);
    await page.getByLabel('Unread only').check();
    await page.getByText('No unread notifications.').waitFor();
    await expect(page.getByRole('link', { name: /^Notifications/ }).textContent()).resolves.toBe('Notifications');
    await atEveryWidth(page, SUITE, '02-all-read', { controls: { unreadOnly: page.getByLabel('Unread only') } });
  });

  it('no page logged an error or threw', () => {
    expect(officer.problems).toEqual([]);
  });
});
