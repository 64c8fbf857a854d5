import type { Page } from 'playwright-core';
import { buildWorld, i247aBody, TEST_PASSWORD, tokensFor, UserKey, World } from '@app/testing';
import { Browser, BrowserApi, launchBrowser, openPage, overflowsHorizontally, resetArtifacts, screenshot, signInByKeyboard, startBrowserApi, stepWithScreenshots } from './harness';

const SUITE = 'detainer-list-phone';
const ALPHABETICAL = ['BERMÚDEZ, Luis Alberto', 'MWANGI, Grace', 'ZAPATA-VILLALOBOS, Ana'];
const OLDEST_FIRST = ['ZAPATA-VILLALOBOS, Ana', 'BERMÚDEZ, Luis Alberto', 'MWANGI, Grace'];

/**
 * The detainer list on a phone (390 px): one card per detainer, nothing wider than the screen, the
 * list's actions on screen, and sorting through a select (the column headers are hidden); at 1280 px
 * the table with its sortable headers, and no select.
 */
describe('web app: the detainer list at 390 px (browser)', () => {
  let env: BrowserApi;
  let browser: Browser;
  let world: World;
  let tokens: Record<UserKey, string>;
  let tab: { page: Page; problems: string[] };
  const step = stepWithScreenshots(SUITE, () => ({ tab }));
  const api = (user: UserKey, url: string, body: object = {}) => env.api.http.post(url).set('Authorization', `Bearer ${tokens[user]}`).send(body);
  const people = [
    { aNumber: 'A710000001', familyName: 'Zapata-Villalobos', givenName: 'Ana', dateOfBirth: '1990-01-01', citizenship: 'MX' },
    { aNumber: 'A710000002', familyName: 'Bermúdez', givenName: 'Luis Alberto', dateOfBirth: '1985-05-05', citizenship: 'HN' },
    { aNumber: 'A710000003', familyName: 'Mwangi', givenName: 'Grace', dateOfBirth: '1979-09-09', citizenship: 'KE' },
  ];

  beforeAll(async () => {
    resetArtifacts(SUITE);
    env = await startBrowserApi();
    world = await buildWorld(env.api.app);
    tokens = await tokensFor(env.api.http, world);
    for (const [i, subject] of people.entries()) {
      const res = await api('officerSea', '/api/v1/detainers', i247aBody(world.facilities.kingJail.id, { subject, bookingNumber: `KC-2026-00000${i}` }));
      expect(res.status).toBe(201);
    }
    browser = await launchBrowser();
    tab = await openPage(browser, { width: 390, height: 850 });
  });
  afterAll(async () => {
    await browser?.close();
    await env?.api.close();
  });

  const cards = () => tab.page.locator('table.detainer-list tbody tr');
  const names = () => tab.page.locator('table.detainer-list tbody tr td[data-label="Subject"] a').allTextContents();
  /** The list's names once they are `expected` (the list reloads after a sort), or the last seen after 5 s. */
  const namesBecome = async (expected: string[]) => {
    let seen: string[] = [];
    for (let i = 0; i < 50; i++) {
      seen = await names();
      if (JSON.stringify(seen) === JSON.stringify(expected)) break;
      await tab.page.waitForTimeout(100);
    }
    return seen;
  };

  step('at 390 px: one card per detainer, within the screen, actions on screen, sorted with a select', async () => {
    const { page } = tab;
    await signInByKeyboard(page, env.baseUrl, 'officer.sea', TEST_PASSWORD);
    await page.goto(`${env.baseUrl}/detainers`);
    await page.getByRole('heading', { level: 1, name: 'Detainers' }).waitFor();
    await cards().nth(2).waitFor();
    await page.waitForLoadState('networkidle');
    expect(await overflowsHorizontally(page)).toBe(false);
    // cards: each row a block as wide as the list at most, the fields stacked with their labels
    const boxes = await cards().evaluateAll((rows) => rows.map((r) => ({ display: getComputedStyle(r).display, left: r.getBoundingClientRect().left, right: r.getBoundingClientRect().right })));
    expect(boxes).toHaveLength(3);
    for (const b of boxes) {
      expect(b.display).toBe('block');
      expect(b.left).toBeGreaterThanOrEqual(0);
      expect(b.right).toBeLessThanOrEqual(390);
    }
    await expect(page.locator('table.detainer-list thead').boundingBox().then((b) => b?.width ?? 0)).resolves.toBeLessThanOrEqual(1);
    const labels = await cards().first().locator('td').evaluateAll((tds) => tds.map((td) => getComputedStyle(td, '::before').content));
    expect(labels).toEqual(['"Issued"', '"Subject"', '"Form"', '"Held at"', '"Status"', '"Release"']);
    // the list's actions are on screen
    for (const name of ['Apply filters', 'Clear', 'Export CSV']) {
      const b = (await page.getByRole('button', { name, exact: true }).boundingBox())!;
      expect({ name, inside: b.x >= 0 && b.x + b.width <= 390 }).toEqual({ name, inside: true });
    }
    const sort = page.getByLabel('Sort', { exact: true });
    const sortBox = (await sort.boundingBox())!;
    expect(sortBox.x + sortBox.width).toBeLessThanOrEqual(390);
    await screenshot(page, SUITE, '01-cards-390');

    await sort.selectOption('familyName');
    await page.waitForURL(/sort=familyName/);
    expect(await namesBecome(ALPHABETICAL)).toEqual(ALPHABETICAL);
    await expect(sort.inputValue()).resolves.toBe('familyName');
    await sort.selectOption('issuedAt');
    await page.waitForURL(/sort=issuedAt/);
    expect(await namesBecome(OLDEST_FIRST)).toEqual(OLDEST_FIRST);
    expect(await overflowsHorizontally(page)).toBe(false);
    await screenshot(page, SUITE, '02-sorted-390');
    // a card opens its detainer
    await cards().first().getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: /ZAPATA-VILLALOBOS/ }).waitFor();
  });

  step('at 1280 px: the table with sortable column headers, no sort select', async () => {
    const { page } = tab;
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${env.baseUrl}/detainers`);
    await cards().nth(2).waitFor();
    await expect(page.getByLabel('Sort', { exact: true }).isVisible()).resolves.toBe(false);
    await expect(cards().first().evaluate((r) => getComputedStyle(r).display)).resolves.toBe('table-row');
    await page.locator('table.detainer-list thead').getByRole('button', { name: 'Subject' }).click();
    await page.waitForURL(/sort=familyName/);
    expect(await namesBecome(ALPHABETICAL)).toEqual(ALPHABETICAL);
    await screenshot(page, SUITE, '03-table-1280');
  });

  it('no page logged an error or threw', () => {
    expect(tab.problems).toEqual([]);
  });
});
