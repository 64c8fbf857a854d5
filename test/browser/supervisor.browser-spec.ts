import type { Locator, Page } from 'playwright-core';
import { previousWeek, weekContaining } from '@app/domain';
import { buildWorld, i247aBody, TEST_PASSWORD, tokensFor, UserKey, World } from '@app/testing';
import {
  atEveryWidth, Browser, BrowserApi, launchBrowser, openPage, resetArtifacts, screenshot, signInByKeyboard, startBrowserApi, stepWithScreenshots, unlabelledControls, Width,
} from './harness';

const SUITE = 'supervisor';

/**
 * The supervisor's main paths in Chromium against the real API: the compliance queues (claim an
 * item, act on it, watch it leave the queue); last week's report with its charts,
 * drill-down to the cases, the reconciliation that blocks publication, publishing version 1 and a
 * corrected version 2 with what changed; a jail's dispute of a record, decided by the supervisor;
 * and the published report as an analyst reads it (issued counts lead to de-identified cases). Each
 * screen at 390, 768 and 1280 px: nothing wider than the screen, its controls on screen.
 */
describe('web app: supervisor (browser)', () => {
  let env: BrowserApi;
  let browser: Browser;
  let world: World;
  let tokens: Record<UserKey, string>;
  let supervisor: { page: Page; problems: string[] };
  let jail: { page: Page; problems: string[] };
  let analyst: { page: Page; problems: string[] };
  const week = previousWeek(weekContaining(new Date()));
  const ids: string[] = [];
  let soon = '';

  const api = (user: UserKey, url: string, body: object = {}) => env.api.http.post(url).set('Authorization', `Bearer ${tokens[user]}`).send(body);

  const step = stepWithScreenshots(SUITE, () => ({ supervisor, jail, analyst }));
  /** At each width: nothing sticks out sideways, these controls are on screen and uncovered, what `check` asks, and a screenshot; then back to 1280 px. */
  const widths = (page: Page, name: string, controls: Record<string, Locator> = {}, check?: (width: Width) => Promise<void>) => atEveryWidth(page, SUITE, name, { controls, check });

  beforeAll(async () => {
    resetArtifacts(SUITE);
    env = await startBrowserApi();
    world = await buildWorld(env.api.app);
    tokens = await tokensFor(env.api.http, world);
    // Last week: three detainers issued to King County; the jail acknowledged two of them.
    for (let i = 0; i < 3; i++) {
      const issuedAt = new Date(week.start.getTime() + (26 + i) * 3_600_000).toISOString();
      const subject = { aNumber: `A40000000${i}`, familyName: `Reyes${'ABC'[i]}`, givenName: 'Pablo', dateOfBirth: '1988-04-04', citizenship: 'SV' };
      const res = await api('officerSea', '/api/v1/detainers', i247aBody(world.facilities.kingJail.id, { issuedAt, subject }));
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    for (const id of ids.slice(0, 2)) expect((await api('jailKing', `/api/v1/detainers/${id}/acknowledge`, { response: 'will_comply' })).status).toBe(200);
    // This week: a release 30 hours away with no pickup planned.
    const subject = { aNumber: 'A400000009', familyName: 'Navarro', givenName: 'Elena', dateOfBirth: '1990-10-10', citizenship: 'GT' };
    soon = (await api('officerSea', '/api/v1/detainers', i247aBody(world.facilities.kingJail.id, { subject }))).body.id;
    expect((await api('jailKing', `/api/v1/detainers/${soon}/acknowledge`, { response: 'will_comply' })).status).toBe(200);
    expect((await api('jailKing', `/api/v1/detainers/${soon}/schedule-release`, { releaseAt: new Date(Date.now() + 30 * 3_600_000).toISOString() })).status).toBe(200);

    browser = await launchBrowser();
    supervisor = await openPage(browser);
    jail = await openPage(browser);
    analyst = await openPage(browser);
  });
  afterAll(async () => {
    await browser?.close();
    await env?.api.close();
  });

  step('supervisor: the compliance queues with counts; claim an item, act on it, and it leaves the queue', async () => {
    const { page } = supervisor;
    await page.bringToFront();
    await signInByKeyboard(page, env.baseUrl, 'supervisor.sea', TEST_PASSWORD);
    await expect(page.getByLabel('Signed in').textContent()).resolves.toMatch(/supervisor\.sea.*Supervisor.*Seattle AOR \(SEA\)/);
    await page.getByRole('heading', { level: 1, name: 'Compliance queues' }).waitFor();
    const queue = (title: string) => page.locator('table.queues tbody tr', { hasText: title });
    await expect(queue('Release within 48 hours, no pickup planned').locator('td.num').textContent()).resolves.toBe('1');
    await expect(queue('Short-notice releases').locator('td.num').textContent()).resolves.toBe('1');
    // Issued last week and never acknowledged.
    await expect(queue('Unacknowledged over 24 hours').locator('td.num').textContent()).resolves.toBe('1');
    await screenshot(page, SUITE, '00-queues');

    await queue('Release within 48 hours, no pickup planned').getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: 'Release within 48 hours, no pickup planned' }).waitFor();
    const item = page.locator('table.queue-items tbody tr', { hasText: 'NAVARRO, Elena' });
    await expect(item.locator('td').nth(4).textContent()).resolves.toBe('No one');
    await item.getByRole('button', { name: 'Claim the case of NAVARRO, Elena' }).click();
    await page.getByText('You are now working the case of NAVARRO, Elena.').waitFor();
    await expect(item.locator('td').nth(4).textContent()).resolves.toMatch(/^You/);
    await screenshot(page, SUITE, '00b-queue-claimed');
    await item.getByRole('link', { name: 'Act on the case of NAVARRO, Elena' }).click();
    await page.getByRole('heading', { level: 1, name: /NAVARRO, Elena/ }).waitFor();
    await expect(page.locator('.timeline').textContent()).resolves.toMatch(/Queue item claimedQueue: Release soon no pickup \(you\)/);
    await page.getByRole('button', { name: 'Plan pickup' }).click();
    const pickup = page.getByRole('form', { name: 'Plan pickup' });
    await pickup.getByRole('button', { name: 'Plan pickup' }).click();
    await page.getByText('Pickup planned.').waitFor();
    await page.getByRole('link', { name: 'Queues' }).click();
    await expect(queue('Release within 48 hours, no pickup planned').locator('td.num').textContent()).resolves.toBe('0');
    await expect(queue('Short-notice releases').locator('td.num').textContent()).resolves.toBe('0');
  });

  step('supervisor: last week\'s live figures with charts, and the cases behind a count', async () => {
    const { page } = supervisor;
    await page.bringToFront();
    await page.getByRole('link', { name: 'Weekly reports' }).click();
    // Not rolled up by the worker yet: reached through the "last week" link.
    await page.getByRole('link', { name: /^Last week, / }).click();
    await page.waitForURL(new RegExp(`/reports/${week.weekStart}\\?version=live$`));
    await page.getByText('Live figures, not published').waitFor();
    await expect(page.locator('.totals').textContent()).resolves.toMatch(/Issued\s*3/);
    await expect(page.locator('figure.chart svg[role="img"]').count()).resolves.toBeGreaterThanOrEqual(3);
    await page.getByRole('button', { name: '3 issued in King County, WA: show the cases' }).click();
    const drill = page.getByRole('region', { name: /Cases: Issued: King County, WA/ });
    await drill.locator('tbody tr').first().waitFor();
    await expect(drill.locator('tbody tr').count()).resolves.toBe(3);
    await widths(page, '01-report-live-drill-down', { version: page.getByLabel('Version', { exact: true }) });
    await drill.getByRole('link').first().click();
    await page.getByRole('heading', { level: 1, name: /REYES/ }).waitFor();
    await page.goBack();
    await page.getByText('Live figures, not published').waitFor();
  });

  step('supervisor: an unacknowledged surplus blocks publication until confirmed; then version 1 is published', async () => {
    const { page } = supervisor;
    await page.bringToFront();
    await expect(page.locator('#publish-title + *').textContent()).resolves.toContain('Not publishable yet');
    const confirm = page.getByRole('form', { name: /Confirm King County/ });
    await expect(confirm.textContent()).resolves.toMatch(/3 issued, 2 acknowledged, 1 not acknowledged/);
    await confirm.getByRole('button', { name: /Confirm WA0170000/ }).click();
    await expect(confirm.locator('.field-error').textContent()).resolves.toContain('Say what the agency confirmed');
    await confirm.getByLabel('What the agency confirmed').fill('Jail confirmed by phone it received all three; the third is being booked.');
    await confirm.getByRole('button', { name: /Confirm WA0170000/ }).click();
    await page.getByText('The week has closed and nothing blocks publication').waitFor();
    await expect(page.locator('#publish-title ~ .hint').first().textContent()).resolves.toContain('A version is the week’s figures frozen as published: it never changes.');
    // Publishing asks first, and saying "not now" publishes nothing.
    await page.getByRole('button', { name: 'Publish…' }).click();
    const ask = page.getByRole('alertdialog', { name: 'Publish version 1?' });
    await expect(ask.textContent()).resolves.toContain('cannot be withdrawn or edited');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Publish version 1');
    await widths(page, '02a-publish-confirm', { publish: ask.getByRole('button', { name: 'Publish version 1' }), notNow: ask.getByRole('button', { name: 'Not now' }) });
    await ask.getByRole('button', { name: 'Not now' }).click();
    await expect(ask.count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Publish…' }).click();
    await page.getByRole('button', { name: 'Publish version 1' }).click();
    await page.getByText('Published version 1.').waitFor();
    await page.waitForURL(/version=1$/);
    await page.waitForFunction(() => (document.getElementById('report-version') as HTMLSelectElement | null)?.value === '1');
    await screenshot(page, SUITE, '02-report-version-1');
  });

  step('supervisor: a correction after publication becomes version 2, which says what changed and why', async () => {
    const { page } = supervisor;
    await page.bringToFront();
    expect((await api('officerSea', `/api/v1/detainers/${ids[2]}/cancel`, { reason: 'issued_in_error', note: 'Duplicate of an earlier request' })).status).toBe(200);
    // Reading the live figures rolls the week up again; with nothing blocking, the correction is published as version 2.
    await page.getByLabel('Version').selectOption('live');
    await page.getByText('Live figures, not published').waitFor();
    await expect(page.locator('.totals').textContent()).resolves.toMatch(/Issued\s*2/);
    await page.getByRole('button', { name: 'Publish…' }).click();
    await page.getByRole('button', { name: 'Publish version 3' }).click();
    await page.getByText('Nothing changed since version 2: no new version was published.').waitFor();
    await page.getByLabel('Version').selectOption('2');
    // The page says the service published it, and why; what changed is in words near the top.
    await page.getByText('Version 2 published automatically: a detainer was cancelled (issued in error).').waitFor();
    const changes = page.getByRole('region', { name: 'What changed in version 2' });
    await changes.locator('ul.change-list li').first().waitFor();
    const words = await changes.locator('ul.change-list li').allTextContents();
    expect(words).toContain('Nationwide: Issued 3 → 2');
    expect(words).toContain('Nationwide: Excluded: issued in error 0 → 1');
    expect(words.join(' ')).not.toMatch(/[a-z][A-Z]|_/); // no internal keys (camelCase, snake_case)
    const changesTop = (await changes.boundingBox())!.y;
    expect(changesTop).toBeLessThan((await page.locator('.totals').boundingBox())!.y);
    await expect(page.locator('figure.chart', { hasText: "Declines by the detainer's age" }).locator('.chart-label').allTextContents()).resolves.toEqual(['0–6 days', '7–29 days', '30–364 days', '365+ days']);
    expect(await unlabelledControls(page)).toEqual([]);
    // The page reflows at each width; the jurisdiction table, wider than a phone, scrolls inside its own box, with a shadow on the side that has more.
    const wide = page.getByRole('region', { name: 'Figures per jurisdiction (scrolls sideways)' });
    await widths(page, '03-report-version-2-changes', { version: page.getByLabel('Version', { exact: true }), changes: changes.locator('ul.change-list li').first() }, async (width) => {
      const box = await wide.evaluate((el) => ({ scrolls: el.scrollWidth > el.clientWidth + 1, shadow: getComputedStyle(el).backgroundImage.includes('radial-gradient'), focusable: el.tabIndex === 0 }));
      expect({ width, ...box }).toEqual({ width, scrolls: width === 390 ? true : box.scrolls, shadow: true, focusable: true });
    });
  });

  step('jail staff dispute a record about their agency; the supervisor decides it', async () => {
    await jail.page.bringToFront();
    await signInByKeyboard(jail.page, env.baseUrl, 'jail.king', TEST_PASSWORD);
    await jail.page.goto(`${env.baseUrl}/detainers/${ids[0]}`);
    await jail.page.getByRole('button', { name: /^More actions/ }).click();
    await jail.page.getByRole('button', { name: 'Dispute this record' }).click();
    const form = jail.page.getByRole('form', { name: 'Dispute this record' });
    await form.getByRole('button', { name: 'Record the dispute' }).click();
    await expect(form.locator('.field-error').textContent()).resolves.toContain("agency's side");
    await form.getByLabel('What is wrong with this record').fill('We never received this request: no fax or message arrived.');
    await form.getByRole('button', { name: 'Record the dispute' }).click();
    await jail.page.getByText('Dispute recorded').waitFor();
    await expect(jail.page.getByRole('button', { name: 'Dispute this record' }).count()).resolves.toBe(0);
    await widths(jail.page, '04-jail-dispute-recorded');

    const { page } = supervisor;
    await page.bringToFront();
    await page.getByRole('link', { name: 'Disputes' }).click();
    const item = page.locator('li.dispute', { hasText: 'We never received this request' });
    await item.waitFor();
    const decide = item.getByRole('form');
    await decide.getByLabel('Upheld: correct the record').check();
    await decide.getByRole('button', { name: 'Decide' }).click();
    await expect(decide.locator('.error-summary').textContent()).resolves.toContain('Choose how the record is corrected');
    await decide.getByLabel('Rejected: the record stands').check();
    await decide.getByRole('textbox', { name: /^Reasons/ }).fill('The fax log shows delivery and an acknowledgment by the jail.');
    await decide.getByLabel('Publish this text with the weekly report').check();
    await decide.getByRole('button', { name: 'Decide' }).click();
    await page.getByRole('combobox', { name: 'Show' }).selectOption('rejected');
    await page.locator('li.dispute', { hasText: 'The fax log shows delivery' }).waitFor();
    await widths(page, '05-dispute-decided', { show: page.getByRole('combobox', { name: 'Show' }) });
  });

  step('analyst: reads the published report and follows its issued count to the de-identified cases', async () => {
    const { page } = analyst;
    await page.bringToFront();
    await signInByKeyboard(page, env.baseUrl, 'analyst', TEST_PASSWORD);
    await page.getByRole('heading', { level: 1, name: 'Weekly declined-detainer reports' }).waitFor();
    await page.locator('table.weeks tbody tr').first().getByRole('link', { name: 'Latest' }).click();
    await page.locator('.status-line .badge', { hasText: 'Version 2' }).waitFor();
    await expect(page.locator('.totals').textContent()).resolves.toMatch(/Issued\s*2/);
    await expect(page.getByRole('option', { name: 'Live figures' }).count()).resolves.toBe(0);
    await widths(page, '06-analyst-report');
    // Issued and honored counts lead to their cases, de-identified: case references, no names, no links to records.
    await expect(page.getByRole('button', { name: /missed pickups.*show the cases/i }).count()).resolves.toBe(0);
    await page.getByRole('button', { name: /^2 issued in King County, WA: show the cases$/ }).click();
    const drill = page.locator('section.drill');
    await drill.getByRole('heading', { name: /Cases: Issued: King County, WA/ }).waitFor();
    await drill.locator('tbody tr').nth(1).waitFor();
    await expect(drill.locator('tbody tr').count()).resolves.toBe(2);
    await expect(drill.locator('tbody').textContent()).resolves.toMatch(/c-[0-9a-f]{12}/);
    await expect(drill.locator('a').count()).resolves.toBe(0);
    await expect(page.locator('a[href^="/detainers/"]').count()).resolves.toBe(0);
    const text = (await page.locator('main').textContent())!;
    for (const name of ['ReyesA', 'ReyesB', 'Navarro', 'REYES', 'NAVARRO', 'A40000000']) expect(text).not.toContain(name);
    await widths(page, '07-analyst-issued-cases');
  });

  it('no page logged an error or threw', () => {
    expect(supervisor.problems).toEqual([]);
    expect(jail.problems).toEqual([]);
    expect(analyst.problems).toEqual([]);
  });
});
