import type { Page } from 'playwright-core';
import { ReferenceDataService } from '@app/application';
import { previousWeek, weekContaining } from '@app/domain';
import { buildWorld, i247aBody, TEST_PASSWORD, tokensFor, UserKey, World } from '@app/testing';
import { atEveryWidth, Browser, BrowserApi, launchBrowser, openPage, resetArtifacts, signInByKeyboard, startBrowserApi, stepWithScreenshots, unlabelledControls } from './harness';

const SUITE = 'jurisdiction-profile';

/**
 * A jurisdiction's page: an analyst follows the published report's Section I row to King County's
 * profile (published weeks only: declared beside measured, a trend chart per measure, "no cases"
 * where nothing could be counted); a supervisor reads the live figures, where a 48-hour-notice
 * certification meets a short notice and the page says so in a sentence, with the jail's dispute.
 */
describe('web app: jurisdiction profile (browser)', () => {
  let env: BrowserApi;
  let browser: Browser;
  let world: World;
  let tokens: Record<UserKey, string>;
  let analyst: { page: Page; problems: string[] };
  let supervisor: { page: Page; problems: string[] };
  const week = previousWeek(weekContaining(new Date()));
  const api = (user: UserKey, url: string, body: object = {}) => env.api.http.post(url).set('Authorization', `Bearer ${tokens[user]}`).send(body);
  const step = stepWithScreenshots(SUITE, () => ({ analyst, supervisor }));

  beforeAll(async () => {
    resetArtifacts(SUITE);
    env = await startBrowserApi();
    world = await buildWorld(env.api.app);
    tokens = await tokensFor(env.api.http, world);
    await env.api.app.get(ReferenceDataService).createPolicy(world.jurisdictions.king.id, {
      kind: 'ordinance', citation: 'King County Code 2.15.010', summary: 'Holds only with a judicial warrant', limitsHold: true, limitsNotification: false, limitsAccess: false,
      effectiveFrom: '2020-01-01',
    });
    expect((await api('admin', `/api/v1/jurisdictions/${world.jurisdictions.king.id}/certifications`, { kind: 'release_notice_48h', certifiedOn: '2021-03-01', source: 'PSP letter of 1 March 2021' })).status).toBe(201);
    // Last week: two requests to King County, acknowledged only now (late).
    for (let i = 0; i < 2; i++) {
      const issuedAt = new Date(week.start.getTime() + (26 + i) * 3_600_000).toISOString();
      const subject = { aNumber: `A41000000${i}`, familyName: `Ortiz${'AB'[i]}`, givenName: 'Ana', dateOfBirth: '1987-05-05', citizenship: 'SV' };
      const res = await api('officerSea', '/api/v1/detainers', i247aBody(world.facilities.kingJail.id, { issuedAt, subject }));
      expect(res.status).toBe(201);
      expect((await api('jailKing', `/api/v1/detainers/${res.body.id}/acknowledge`, { response: 'will_comply' })).status).toBe(200);
    }
    expect((await api('supervisorSea', `/api/v1/reports/weekly/${week.weekStart}/publish`)).status).toBe(201);
    // This week: acknowledged at once, a release 10 hours away (short notice), disputed by the jail.
    const subject = { aNumber: 'A410000009', familyName: 'Molina', givenName: 'Rosa', dateOfBirth: '1991-01-01', citizenship: 'GT' };
    const now = (await api('officerSea', '/api/v1/detainers', i247aBody(world.facilities.kingJail.id, { subject }))).body.id as string;
    expect((await api('jailKing', `/api/v1/detainers/${now}/acknowledge`, { response: 'will_comply' })).status).toBe(200);
    expect((await api('jailKing', `/api/v1/detainers/${now}/schedule-release`, { releaseAt: new Date(Date.now() + 10 * 3_600_000).toISOString() })).status).toBe(200);
    expect((await api('jailKing', `/api/v1/detainers/${now}/disputes`, { reason: 'The release date moved twice', reasonPublic: true })).status).toBe(201);

    browser = await launchBrowser();
    analyst = await openPage(browser);
    supervisor = await openPage(browser);
  });
  afterAll(async () => {
    await browser?.close();
    await env?.api.close();
  });

  step('analyst: from the published report\'s Section I row to the jurisdiction\'s page, published weeks only', async () => {
    const { page, problems } = analyst;
    await signInByKeyboard(page, env.baseUrl, 'analyst', TEST_PASSWORD);
    await page.goto(`${env.baseUrl}/reports/${week.weekStart}`);
    await page.getByRole('heading', { level: 2, name: /^I\./ }).waitFor();
    const king = `King County, WA [${world.jurisdictions.king.code}]`;
    // Section III's row links to the same page
    const fromIII = await page.getByRole('region', { name: /^III\./ }).getByRole('link', { name: king }).getAttribute('href');
    expect(fromIII).toBe(`/jurisdictions/${world.jurisdictions.king.id}`);
    await page.getByRole('region', { name: /^I\./ }).getByRole('link', { name: king }).click();
    await page.getByRole('heading', { level: 1, name: /King County, WA/ }).waitFor();
    await page.getByText(/from published weeks only \(1 of 52 published\)/).waitFor();
    const measured = page.getByRole('region', { name: 'Measured' });
    await expectRow(measured, 'acknowledgedWithin24h', '0 of 2 (0 %)');
    await expectRow(measured, 'notifiedAtLeast48h', 'no cases');
    await expectRow(measured, 'custodyToIce', 'no cases');
    const declared = page.getByRole('region', { name: 'Declared' });
    await declared.getByText('King County Code 2.15.010').waitFor();
    await declared.getByText(/At least 48 hours’ notice of release: certified 2021-03-01/).waitFor();
    const charts = page.getByRole('region', { name: 'Trends' }).getByRole('img');
    expect(await charts.count()).toBe(8);
    expect(await charts.first().getAttribute('aria-label')).toBe(`Acknowledged within 24 hours, 52 weeks. ${week.weekStart}: 0 of 2 (0 %)`);
    // this week's short notice is not published yet: nothing disagrees on published figures
    expect(await page.getByRole('heading', { name: 'Where declared and measured disagree' }).count()).toBe(0);
    // the dispute is shown, de-identified (no link to the record)
    const disputes = page.getByRole('region', { name: 'Disputes on these records' });
    expect(await disputes.getByRole('link').count()).toBe(0);
    expect(await unlabelledControls(page)).toEqual([]);
    await atEveryWidth(page, SUITE, 'analyst-published');
    expect(problems).toEqual([]);
  });

  step('supervisor: live figures, and a plain sentence where the certification and the records disagree', async () => {
    const { page, problems } = supervisor;
    await signInByKeyboard(page, env.baseUrl, 'supervisor.sea', TEST_PASSWORD);
    await page.goto(`${env.baseUrl}/jurisdictions/${world.jurisdictions.king.id}`);
    await page.getByRole('heading', { level: 1, name: /King County, WA/ }).waitFor();
    await page.getByRole('button', { name: 'Show live figures' }).click();
    await page.getByText('live figures', { exact: true }).waitFor();
    const measured = page.getByRole('region', { name: 'Measured' });
    await expectRow(measured, 'notifiedAtLeast48h', '0 of 1 (0 %)');
    await expectRow(measured, 'acknowledgedWithin24h', '1 of 3 (33 %)');
    await page.getByRole('note').getByText("Certified at least 48 hours' notice of release (certified 2021-03-01), but 0 % of releases scheduled in these weeks (0 of 1) were notified that far ahead.").waitFor();
    // the dispute shows on the rows counted from the disputed record, and the supervisor's AOR reaches it: it links to it
    await expectFlag(measured, 'notifiedAtLeast48h', '1 disputed');
    await expectFlag(measured, 'acknowledgedWithin24h', '1 disputed');
    expect(await measured.locator('tr[data-measure="custodyToIce"] .dispute-flag').count()).toBe(0);
    await page.getByRole('region', { name: 'Disputes on these records' }).getByRole('link').first().waitFor();
    await atEveryWidth(page, SUITE, 'supervisor-live', { controls: { note: page.getByRole('note'), dispute: page.getByRole('region', { name: 'Disputes on these records' }).getByRole('link').first() } });
    expect(problems).toEqual([]);
  });
});

async function expectRow(region: ReturnType<Page['getByRole']>, measure: string, text: string): Promise<void> {
  const cell = region.locator(`tr[data-measure="${measure}"] td`);
  await cell.waitFor();
  expect((await cell.innerText()).split('\n')[0]).toBe(text);
}

async function expectFlag(region: ReturnType<Page['getByRole']>, measure: string, text: string): Promise<void> {
  await region.locator(`tr[data-measure="${measure}"] .dispute-flag`).getByText(text, { exact: true }).waitFor();
}
