import type { Page } from 'playwright-core';
import { buildWorld, i247aBody, ReminderStack, TEST_PASSWORD, tokensFor, UserKey, World } from '@test/support';
import { Browser, launchBrowser, openPage, resetArtifacts, screenshot, signInByKeyboard, startBrowserStack } from './harness';

const SUITE = 'notifications';

/**
 * Notifications end to end: the jail gives a release date under 48 hours ahead, the real worker
 * (BullMQ on Redis) fires the short-notice alert into the office's inbox, and the officer sees the
 * unread count in the header, reads the alert in the facility's local time and opens the detainer.
 */
describe('web app: notifications (browser)', () => {
  let env: { stack: ReminderStack; baseUrl: string };
  let browser: Browser;
  let world: World;
  let tokens: Record<UserKey, string>;
  let officer: { page: Page; problems: string[] };
  let detainerId: string;

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
    const subject = { aNumber: 'A500000001', familyName: 'Ortega', givenName: 'Samuel', dateOfBirth: '1979-09-09', citizenship: 'MX' };
    const issued = await as('officerSea').post('/api/v1/detainers', i247aBody(world.facilities.kingJail.id, { subject }));
    expect(issued.status).toBe(201);
    detainerId = issued.body.id;
    expect((await as('jailKing').post(`/api/v1/detainers/${detainerId}/acknowledge`, { response: 'will_comply' })).status).toBe(200);
    // 30 hours ahead: short notice, which alerts the issuing office at once.
    const releaseAt = new Date(Date.now() + 30 * 3_600_000).toISOString();
    expect((await as('jailKing').post(`/api/v1/detainers/${detainerId}/schedule-release`, { releaseAt })).status).toBe(200);
    browser = await launchBrowser();
    officer = await openPage(browser);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await env?.stack.close();
  });

  const unreadForOfficer = async () => (await as('officerSea').get('/api/v1/notifications?unread=true')).body as { unreadCount: number; items: { title: string; kind: string }[] };

  it('the worker delivers the short-notice alert to the office inbox', async () => {
    let inbox = await unreadForOfficer();
    for (let i = 0; i < 100 && !inbox.items.some((n) => n.kind === 'short_notice'); i++) {
      await new Promise((r) => setTimeout(r, 200));
      inbox = await unreadForOfficer();
    }
    expect(inbox.items.map((n) => n.kind)).toContain('short_notice');
  });

  it('the header shows the unread count; the inbox shows each alert in facility time; opening one marks it read', async () => {
    const { page } = officer;
    const before = (await unreadForOfficer()).unreadCount;
    await signInByKeyboard(page, env.baseUrl, 'officer.sea', TEST_PASSWORD);
    const link = page.getByRole('link', { name: /^Notifications/ });
    // The count arrives after the start page has loaded.
    await page.waitForFunction((n) => document.querySelector('nav[aria-label="Main"] .nav-count')?.textContent === `${n} unread`, before);
    await expect(link.textContent()).resolves.toBe(`Notifications${before} unread`);
    await link.click();
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    const alert = page.locator('ul.notifications li.unread', { hasText: 'Short-notice release' }).first();
    await alert.waitFor();
    await expect(alert.locator('time').textContent()).resolves.toMatch(/\d{2}:\d{2} P[SD]T \(America\/Los_Angeles\)$/);
    await screenshot(page, SUITE, '01-notifications');

    await alert.getByRole('link', { name: 'Open the detainer' }).click();
    await page.getByRole('heading', { level: 1, name: /ORTEGA, Samuel/ }).waitFor();
    expect(page.url()).toContain(`/detainers/${detainerId}`);
    // The count follows: one fewer unread.
    const expected = before - 1;
    for (let i = 0; i < 50 && (await unreadForOfficer()).unreadCount !== expected; i++) await new Promise((r) => setTimeout(r, 100));
    await page.getByRole('link', { name: 'Detainers', exact: true }).click();
    await expect(page.getByRole('link', { name: /^Notifications/ }).textContent()).resolves.toBe(expected ? `Notifications${expected} unread` : 'Notifications');
  });

  it('marks the rest read, and "unread only" is then empty', async () => {
    const { page } = officer;
    await page.getByRole('link', { name: /^Notifications/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    for (let left = (await unreadForOfficer()).unreadCount; left > 0; left--) {
      await page.getByRole('button', { name: /^Mark read:/ }).first().click();
      await page.waitForFunction((n) => document.querySelectorAll('button[aria-label^="Mark read:"]').length === n, left - 1);
    }
    await page.getByLabel('Unread only').check();
    await page.getByText('No unread notifications.').waitFor();
    await expect(page.getByRole('link', { name: /^Notifications/ }).textContent()).resolves.toBe('Notifications');
    await screenshot(page, SUITE, '02-all-read');
  });

  it('no page logged an error or threw', () => {
    expect(officer.problems).toEqual([]);
  });
});
