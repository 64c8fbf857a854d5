import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { buildWorld, i247aBody, TEST_PASSWORD, tokensFor, UserKey, World } from '@app/testing';
import {
  Browser, BrowserApi, launchBrowser, openPage, resetArtifacts, screenshot, signInByKeyboard, startBrowserApi, stepWithScreenshots, unlabelledControls,
} from './harness';

const SUITE = 'search-export-amend';

/**
 * Daily work in Chromium against the real API: find a person by a misspelt name without accents,
 * sort the list by a column, export it as CSV, see the other requests on the same person, and
 * correct the record (the form refuses an implausible date of birth first, as the API would).
 */
describe('web app: search, export and corrections (browser)', () => {
  let env: BrowserApi;
  let browser: Browser;
  let world: World;
  let tokens: Record<UserKey, string>;
  let officer: { page: Page; problems: string[] };
  const ids: Record<string, string> = {};

  const api = (user: UserKey, url: string, body: object) => env.api.http.post(url).set('Authorization', `Bearer ${tokens[user]}`).send(body);

  beforeAll(async () => {
    resetArtifacts(SUITE);
    env = await startBrowserApi();
    world = await buildWorld(env.api.app);
    tokens = await tokensFor(env.api.http, world);
    const garcia = { aNumber: 'A400000001', familyName: 'García Márquez', givenName: 'José Ángel', dateOfBirth: '1979-08-30', sex: 'M', citizenship: 'NI' };
    const lodge = async (key: string, subject: object, bookingNumber: string, hoursAgo: number) => {
      const res = await api('officerSea', '/api/v1/detainers', i247aBody(world.facilities.kingJail.id, {
        subject, bookingNumber, warrant: { form: 'I-200', number: `W-${key}` }, issuedAt: new Date(Date.now() - hoursAgo * 3_600_000).toISOString(),
      }));
      expect(res.status).toBe(201);
      ids[key] = res.body.id;
    };
    await lodge('garciaEarlier', garcia, 'KC-1001', 400);
    await lodge('mendoza', { aNumber: 'A400000002', familyName: 'Mendoza', givenName: 'Rosa', dateOfBirth: '1990-01-02', sex: 'F', citizenship: 'SV' }, 'KC-1002', 30);
    await lodge('garcia', garcia, 'KC-1003', 2);
    browser = await launchBrowser();
    officer = await openPage(browser);
  });

  const step = stepWithScreenshots(SUITE, () => ({ officer }));

  afterAll(async () => {
    await browser?.close();
    await env?.api.close();
  });

  step('officer: one search box finds a misspelt name typed without accents', async () => {
    const { page } = officer;
    await signInByKeyboard(page, env.baseUrl, world.users.officerSea.username, TEST_PASSWORD);
    await page.getByRole('link', { name: 'Detainers', exact: true }).click();
    await page.getByLabel('Search').fill('garsia jose');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/q=garsia/);
    await page.locator('.results[aria-busy="false"]').waitFor();
    const rows = page.locator('table.list tbody tr');
    await expect(rows.count()).resolves.toBe(2);
    await expect(rows.first().textContent()).resolves.toContain('GARCÍA MÁRQUEZ, José Ángel');
    await expect(page.locator('table.list').textContent()).resolves.not.toContain('MENDOZA');
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, SUITE, '01-search-misspelt');

    // a booking number, exactly
    await page.getByLabel('Search').fill('KC-1002');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/q=KC-1002/);
    await page.locator('.results[aria-busy="false"]').waitFor();
    await expect(rows.count()).resolves.toBe(1);
    await expect(rows.first().textContent()).resolves.toContain('MENDOZA, Rosa');
  });

  step('officer: columns sort the list, and Export downloads the same list as CSV', async () => {
    const { page } = officer;
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.locator('.results[aria-busy="false"]').waitFor();
    await page.locator('table.list thead').getByRole('button', { name: 'Subject' }).click();
    await page.waitForURL(/sort=familyName/);
    await page.locator('.results[aria-busy="false"]').waitFor();
    const names = await page.locator('table.list tbody tr td:nth-child(2) a').allTextContents();
    expect(names).toEqual(['GARCÍA MÁRQUEZ, José Ángel', 'GARCÍA MÁRQUEZ, José Ángel', 'MENDOZA, Rosa']);
    await expect(page.locator('th[aria-sort="ascending"]').textContent()).resolves.toContain('Subject');
    await page.locator('table.list thead').getByRole('button', { name: 'Issued' }).click();
    await page.waitForURL(/sort=-issuedAt/);
    await page.locator('.results[aria-busy="false"]').waitFor();
    await screenshot(page, SUITE, '02-sorted');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^detainers-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toContain('detainer_id');
    expect(lines[0]).toContain('a_number');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(ids.garcia);
    expect(csv).toContain('A400000002');
    await page.getByText(/Exported detainers-/).waitFor();
  });

  step('officer: the detainer shows the other requests on this person', async () => {
    const { page } = officer;
    await page.goto(`${env.baseUrl}/detainers/${ids.garcia}`);
    await page.getByRole('heading', { name: 'Other requests on this person (1)' }).waitFor();
    await page.locator('.other-requests a').click();
    await page.waitForURL(new RegExp(ids.garciaEarlier!));
    await page.getByRole('heading', { name: 'Other requests on this person (1)' }).waitFor();
    await screenshot(page, SUITE, '03-other-requests');
  });

  step('officer: corrects the record; an implausible date of birth is refused first', async () => {
    const { page } = officer;
    await page.goto(`${env.baseUrl}/detainers/${ids.garcia}`);
    await page.getByRole('button', { name: 'Correct the record' }).click();
    const form = page.locator('form[aria-labelledby="amend-form-title"]');
    await form.getByLabel('Date of birth').fill('2090-08-30');
    await form.getByLabel('Citizenship').fill('Nigeria');
    await form.getByText('Nigeria (NG)').waitFor();
    await form.getByLabel('Reason for the correction').fill('Citizenship mistyped as Nicaragua; the passport is Nigerian');
    await form.getByRole('button', { name: 'Save correction' }).click();
    await expect(page.locator('#amend-subject\\.dateOfBirth').getAttribute('aria-invalid')).resolves.toBe('true');
    await screenshot(page, SUITE, '04-amend-validation');

    await form.getByLabel('Date of birth').fill('1979-08-31');
    await form.getByRole('button', { name: 'Save correction' }).click();
    await page.getByText('Record corrected. The timeline shows what changed.').waitFor();
    const timeline = await page.locator('.timeline').textContent();
    expect(timeline).toContain('Record corrected');
    expect(timeline).toContain('Date of birth 1979-08-30 → 1979-08-31; citizenship NI → NG');
    expect(timeline).toContain('Reason: Citizenship mistyped as Nicaragua');
    await screenshot(page, SUITE, '05-amended');
    expect(officer.problems).toEqual([]);
  });
});
