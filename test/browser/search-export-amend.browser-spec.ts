import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { buildWorld, i247aBody, TEST_PASSWORD, tokensFor, UserKey, World } from '@app/testing';
import {
  Browser, BrowserApi, launchBrowser, openPage, overflowsHorizontally, resetArtifacts, screenshot, signInByKeyboard, startBrowserApi, stepWithScreenshots,
  unlabelledControls,
} from './harness';

const SUITE = 'search-export-amend';
const WIDTHS = [390, 768, 1280] as const;

/**
 * Daily work in Chromium against the real API: find a person by a misspelt name without accents,
 * sort the list by a column, export it as CSV, see the other requests on the same person, and
 * correct the record (the form refuses an implausible date of birth first, as the API would), the
 * correction of the person showing on the person's other request too, and the charges corrected (code,
 * level, status, one added, one removed) at phone, tablet and desktop width.
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

  step('officer: the person\'s other request shows the correction too, and links to where it was made', async () => {
    const { page } = officer;
    await page.goto(`${env.baseUrl}/detainers/${ids.garciaEarlier}`);
    const entry = page.locator('.timeline li', { hasText: 'Person corrected on another request' });
    await entry.waitFor();
    await expect(entry.textContent()).resolves.toContain('Date of birth 1979-08-30 → 1979-08-31; citizenship NI → NG. Reason: Citizenship mistyped as Nicaragua');
    await expect(page.locator('main').textContent()).resolves.toContain('born 1979-08-31, citizen of NG');
    await screenshot(page, SUITE, '06-corrected-on-another-request');
    await entry.getByRole('link', { name: 'another request' }).click();
    await page.waitForURL(new RegExp(`/detainers/${ids.garcia!}$`));
    await page.getByRole('heading', { name: 'Other requests on this person (1)' }).waitFor();
  });

  step('officer: corrects the charges (code, level, status, one added, one removed) at 390, 768 and 1280 px', async () => {
    const { page } = officer;
    await page.goto(`${env.baseUrl}/detainers/${ids.mendoza}`);
    await page.getByRole('button', { name: 'Correct the record' }).click();
    const form = page.locator('form[aria-labelledby="amend-form-title"]');
    await form.getByLabel('Level of charge 1').selectOption('misdemeanor');
    await form.getByLabel('Status of charge 1').selectOption('convicted');
    await form.getByLabel('NCIC code of charge 1').fill('22021');
    await form.getByRole('button', { name: 'Add a charge' }).click();
    await form.getByLabel('Description of charge 2').fill('Driving with a suspended licence');
    await form.getByLabel('Level of charge 2').selectOption('misdemeanor');
    await form.getByLabel('Reason for the correction').fill('Court record: pleaded to the lesser charge; licence charge left off');
    await form.getByRole('button', { name: 'Save correction' }).click();
    // five characters are refused here, as the API would, never cut to fit
    await expect(page.locator('#amend-charges\\[0\\]\\.ncicCode').getAttribute('aria-invalid')).resolves.toBe('true');
    await form.getByLabel('NCIC code of charge 1').fill('2299');
    expect(await unlabelledControls(page)).toEqual([]);
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await page.waitForTimeout(50);
      expect({ width, overflows: await overflowsHorizontally(page) }).toEqual({ width, overflows: false });
      const off = await form.evaluate((el, w) => Array.from(el.querySelectorAll<HTMLElement>('button, input, select, textarea'))
        .filter((c) => c.offsetParent !== null)
        .flatMap((c) => { const r = c.getBoundingClientRect(); return r.left < -1 || r.right > w + 1 ? [`${c.id || c.textContent} ${Math.round(r.left)}–${Math.round(r.right)}`] : []; }), width);
      expect({ width, off }).toEqual({ width, off: [] });
      await screenshot(page, SUITE, `07-charges-form-${width}`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await form.getByRole('button', { name: 'Save correction' }).click();
    await page.getByText('Record corrected. The timeline shows what changed.').waitFor();
    const timeline = await page.locator('.timeline').textContent();
    expect(timeline).toContain('Charges Burglary, second degree (2202, felony, pending) → Burglary, second degree (2299, misdemeanor, convicted); Driving with a suspended licence (misdemeanor, pending)');

    // removing one: the form lists what is on file now
    await page.getByRole('button', { name: 'Correct the record' }).click();
    await expect(form.getByLabel('Level of charge 1').inputValue()).resolves.toBe('misdemeanor');
    await form.getByRole('button', { name: 'Remove charge 2' }).click();
    await expect(form.getByLabel('Description of charge 2').count()).resolves.toBe(0);
    await form.getByLabel('Reason for the correction').fill('The licence charge was dismissed');
    await form.getByRole('button', { name: 'Save correction' }).click();
    await page.locator('.timeline li', { hasText: 'Reason: The licence charge was dismissed' }).waitFor();
    const res = await env.api.http.get(`/api/v1/detainers/${ids.mendoza}`).set('Authorization', `Bearer ${tokens.officerSea}`);
    expect(res.body.charges).toEqual([{ description: 'Burglary, second degree', ncicCode: '2299', level: 'misdemeanor', status: 'convicted' }]);
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await page.waitForTimeout(50);
      expect({ width, overflows: await overflowsHorizontally(page) }).toEqual({ width, overflows: false });
      await screenshot(page, SUITE, `08-charges-corrected-${width}`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(officer.problems).toEqual([]);
  });
});
