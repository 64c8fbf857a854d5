import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { buildWorld, i247aBody, TEST_PASSWORD, tokensFor, UserKey, World } from '@app/testing';
import {
  atEveryWidth, Browser, BrowserApi, launchBrowser, listsWiderThanTheirBox, openPage, overflowsHorizontally, placement, resetArtifacts, screenshot, signInByKeyboard, startBrowserApi,
  stepWithScreenshots, unlabelledControls, WIDTHS,
} from './harness';

const SUITE = 'search-export-amend';

/**
 * Daily work in Chromium against the real API: find a person by a misspelt name without accents,
 * sort the list (column headers; a select on a phone, where the list is cards), export it as CSV in
 * the list's order, and see the other requests on the same person, each at phone, tablet and desktop
 * width with the page and the list fitting the width and the list's actions on screen; then correct
 * the record (the form refuses an implausible date of birth first, as the API would), the correction
 * of the person showing on the person's other request too, and the charges corrected (code, level,
 * status, one added, one removed) and, by the jail, the booking number; the lodge form refusing
 * implausible input and an identity mismatch; all at the three widths.
 */
describe('web app: search, export and corrections (browser)', () => {
  let env: BrowserApi;
  let browser: Browser;
  let world: World;
  let tokens: Record<UserKey, string>;
  let officer: { page: Page; problems: string[] };
  let jail: { page: Page; problems: string[] } | undefined;
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

  const step = stepWithScreenshots(SUITE, () => ({ officer, jail }));

  afterAll(async () => {
    await browser?.close();
    await env?.api.close();
  });

  /** The list's rows as they are now: subject name and detainer id. */
  const rowsNow = async (page: Page) => {
    await page.locator('.results[aria-busy="false"]').waitFor();
    return page.locator('table.detainer-list tbody tr td[data-label="Subject"] a')
      .evaluateAll((links) => links.map((a) => [a.textContent ?? '', (a as HTMLAnchorElement).pathname.split('/').pop()] as [string, string | undefined]));
  };
  /** What `read` gives once it is `expected` (the list reloads after a sort or a search), or the last seen after 5 s. */
  const becomes = async <T>(read: () => Promise<T>, expected: T): Promise<T> => {
    let seen = await read();
    for (let i = 0; i < 50 && JSON.stringify(seen) !== JSON.stringify(expected); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      seen = await read();
    }
    return seen;
  };
  const rowsBecome = (page: Page, expected: [string, string | undefined][]) => becomes(() => rowsNow(page), expected);
  /**
   * Nothing sticks out sideways, the list (if shown) needs no sideways scrolling in its box to show a
   * column, and each of these controls is wholly on screen and not covered by anything, scrolling the
   * page only up or down to it (never a box sideways, which would hide what it is a header of).
   */
  const fitsWithControls = async (page: Page, width: number, controls: Record<string, Locator>) => {
    expect({ width, overflows: await overflowsHorizontally(page) }).toEqual({ width, overflows: false });
    expect({ width, listOverflow: await listsWiderThanTheirBox(page) }).toEqual({ width, listOverflow: [] });
    for (const [name, control] of Object.entries(controls)) {
      await control.evaluate((el) => window.scrollBy(0, el.getBoundingClientRect().top - window.innerHeight / 3));
      expect({ width, name, ...(await placement(control, width)) }).toEqual({ width, name, onScreen: true, uncovered: true });
    }
  };
  /** At each width: nothing sticks out sideways, every control of the page (the form's too) within the screen, and a screenshot. */
  const widths = (page: Page, name: string, controls: Record<string, Locator> = {}) => atEveryWidth(page, SUITE, name, { controls });
  const GARCIA = 'GARCÍA MÁRQUEZ, José Ángel';
  const row = (key: 'garcia' | 'garciaEarlier' | 'mendoza'): [string, string | undefined] => [key === 'mendoza' ? 'MENDOZA, Rosa' : GARCIA, ids[key]];

  for (const width of WIDTHS) {
    step(`officer at ${width} px: one search box finds a misspelt name typed without accents, and a booking number`, async () => {
      const { page } = officer;
      await page.setViewportSize({ width, height: 900 });
      if (width === WIDTHS[0]) await signInByKeyboard(page, env.baseUrl, world.users.officerSea.username, TEST_PASSWORD);
      await page.goto(`${env.baseUrl}/detainers`);
      await page.getByRole('heading', { level: 1, name: 'Detainers' }).waitFor();
      const search = page.getByLabel('Search');
      // the facility filter names each facility with its agency, ORI and state, never a bare name
      // (the options arrive with the reference data, after the heading)
      await page.getByLabel('Facility').locator('option:not([value=""])').first().waitFor({ state: 'attached' });
      const facilities = await page.getByLabel('Facility').locator('option:not([value=""])').allTextContents();
      expect(facilities.length).toBeGreaterThan(0);
      for (const label of facilities) expect(label).toMatch(/^.+ — .+ \([A-Z]{2}[0-9A-Z]{7}, [A-Z]{2}\) — \w+\/\w+$/);
      await fitsWithControls(page, width, {
        search, apply: page.getByRole('button', { name: 'Apply filters' }), clear: page.getByRole('button', { name: 'Clear' }),
        export: page.getByRole('button', { name: 'Export CSV' }),
      });
      await search.fill('garsia jose');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.waitForURL(/q=garsia/);
      expect(await rowsBecome(page, [row('garcia'), row('garciaEarlier')])).toEqual([row('garcia'), row('garciaEarlier')]);
      await expect(page.locator('table.detainer-list').textContent()).resolves.not.toContain('MENDOZA');
      expect(await unlabelledControls(page)).toEqual([]);
      await fitsWithControls(page, width, { firstResult: page.locator('table.detainer-list tbody tr td[data-label="Subject"] a').first() });
      await screenshot(page, SUITE, `01-search-misspelt-${width}`);

      // a booking number, exactly
      await search.fill('KC-1002');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.waitForURL(/q=KC-1002/);
      expect(await rowsBecome(page, [row('mendoza')])).toEqual([row('mendoza')]);
    });

    step(`officer at ${width} px: the list sorts (column headers, or a select on a phone), and Export downloads the same list as CSV`, async () => {
      const { page } = officer;
      await page.getByRole('button', { name: 'Clear' }).click();
      await page.waitForURL(/\/detainers$/);
      const newestFirst = [row('garcia'), row('mendoza'), row('garciaEarlier')];
      expect(await rowsBecome(page, newestFirst)).toEqual(newestFirst);
      const headers = page.locator('table.detainer-list thead');
      const select = page.getByLabel('Sort', { exact: true });
      const onPhone = width < 600;
      // On a phone the list is cards: the headers are hidden and a select sorts; wider, the headers sort and the select is hidden.
      await expect(select.isVisible()).resolves.toBe(onPhone);
      const sortControls: Record<string, Locator> = onPhone
        ? { select }
        : Object.fromEntries(['Issued', 'Subject', 'Status', 'Release'].map((name) => [name, headers.getByRole('button', { name })]));
      await fitsWithControls(page, width, sortControls);
      const sortBy = async (headerName: string, sort: string) => {
        if (onPhone) await select.selectOption(sort);
        else await headers.getByRole('button', { name: headerName }).click();
        await page.waitForURL(new RegExp(`sort=${sort}`));
      };
      await sortBy('Subject', 'familyName');
      const names = async () => (await rowsNow(page)).map(([name]) => name);
      expect(await becomes(names, [GARCIA, GARCIA, 'MENDOZA, Rosa'])).toEqual([GARCIA, GARCIA, 'MENDOZA, Rosa']);
      if (onPhone) await expect(select.inputValue()).resolves.toBe('familyName');
      else await expect(page.locator('th[aria-sort="ascending"]').textContent()).resolves.toContain('Subject');
      // Issued: newest first, then (a second click) oldest first
      await sortBy('Issued', '-issuedAt');
      expect(await rowsBecome(page, newestFirst)).toEqual(newestFirst);
      await sortBy('Issued', 'issuedAt');
      const oldestFirst = [row('garciaEarlier'), row('mendoza'), row('garcia')];
      expect(await rowsBecome(page, oldestFirst)).toEqual(oldestFirst);
      if (!onPhone) await expect(page.locator('th[aria-sort="ascending"]').textContent()).resolves.toContain('Issued');
      await fitsWithControls(page, width, { ...sortControls, export: page.getByRole('button', { name: 'Export CSV' }) });
      await screenshot(page, SUITE, `02-sorted-${width}`);

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^detainers-\d{4}-\d{2}-\d{2}\.csv$/);
      const csv = readFileSync((await download.path()), 'utf8');
      const lines = csv.trim().split('\r\n');
      expect(lines[0]).toContain('detainer_id');
      expect(lines[0]).toContain('a_number');
      expect(lines).toHaveLength(4);
      // the same list in the same order: oldest issued first
      expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(oldestFirst.map(([, id]) => id));
      expect(csv).toContain('A400000002');
      await page.getByText(/Exported detainers-/).waitFor();
      expect({ width, overflows: await overflowsHorizontally(page) }).toEqual({ width, overflows: false });
    });

    step(`officer at ${width} px: the detainer shows the other requests on this person`, async () => {
      const { page } = officer;
      await page.goto(`${env.baseUrl}/detainers/${ids.garcia}`);
      await page.getByRole('heading', { name: 'Other requests on this person (1)' }).waitFor();
      const other = page.locator('.other-requests a');
      await fitsWithControls(page, width, { other });
      await screenshot(page, SUITE, `03-other-requests-${width}`);
      await other.click();
      await page.waitForURL(new RegExp(ids.garciaEarlier));
      await page.getByRole('heading', { name: 'Other requests on this person (1)' }).waitFor();
      await fitsWithControls(page, width, { other });
    });
  }

  step('officer: corrects the record; an implausible date of birth is refused first', async () => {
    const { page } = officer;
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${env.baseUrl}/detainers/${ids.garcia}`);
    await page.getByRole('button', { name: 'Correct the record' }).click();
    const form = page.locator('form[aria-labelledby="amend-form-title"]');
    await form.getByLabel('Date of birth').fill('2090-08-30');
    await form.getByLabel('Citizenship').fill('Nigeria');
    await form.getByText('Nigeria (NG)').waitFor();
    await form.getByLabel('Reason for the correction').fill('Citizenship mistyped as Nicaragua; the passport is Nigerian');
    await form.getByRole('button', { name: 'Save correction' }).click();
    await expect(page.locator('#amend-subject\\.dateOfBirth').getAttribute('aria-invalid')).resolves.toBe('true');
    await widths(page, '04-amend-validation', { save: form.getByRole('button', { name: 'Save correction' }) });

    await form.getByLabel('Date of birth').fill('1979-08-31');
    await form.getByRole('button', { name: 'Save correction' }).click();
    await page.getByText('Record corrected. The timeline shows what changed.').waitFor();
    const timeline = await page.locator('.timeline').textContent();
    expect(timeline).toContain('Record corrected');
    expect(timeline).toContain('Date of birth 1979-08-30 → 1979-08-31; citizenship NI → NG');
    expect(timeline).toContain('Reason: Citizenship mistyped as Nicaragua');
    await widths(page, '05-amended');
    expect(officer.problems).toEqual([]);
  });

  step('officer: the person\'s other request shows the correction too, and links to where it was made', async () => {
    const { page } = officer;
    await page.goto(`${env.baseUrl}/detainers/${ids.garciaEarlier}`);
    const entry = page.locator('.timeline li', { hasText: 'Person corrected on another request' });
    await entry.waitFor();
    await expect(entry.textContent()).resolves.toContain('Date of birth 1979-08-30 → 1979-08-31; citizenship NI → NG. Reason: Citizenship mistyped as Nicaragua');
    await expect(page.locator('main').textContent()).resolves.toContain('born 1979-08-31, citizen of NG');
    await widths(page, '06-corrected-on-another-request');
    await entry.getByRole('link', { name: 'another request' }).click();
    await page.waitForURL(new RegExp(`/detainers/${ids.garcia}$`));
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
    await widths(page, '07-charges-form', { save: form.getByRole('button', { name: 'Save correction' }) });
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
    await widths(page, '08-charges-corrected');
    expect(officer.problems).toEqual([]);
  });
  step('officer: lodging refuses implausible input at the form, and an A-number on file for another person naming the fields, never the values; at 390, 768 and 1280 px', async () => {
    const { page } = officer;
    await page.goto(`${env.baseUrl}/detainers/new`);
    await page.getByRole('heading', { level: 1, name: 'Lodge a detainer' }).waitFor();
    const form = page.getByRole('form', { name: 'Lodge a detainer' });
    // García's A-number (on file, born 1979-08-31 since the correction), typed with another family name
    await page.getByLabel('A-number').fill('A400000001');
    await page.getByLabel('Family name').fill('   ');
    await page.getByLabel('Given name').fill('José Ángel');
    await page.getByLabel('Date of birth').fill('2090-08-31');
    await page.getByLabel('Citizenship').fill('Nigeria');
    await form.getByText('Nigeria (NG)').waitFor();
    await page.getByLabel('Facility').selectOption({ label: 'King County Correctional Facility — King County Department of Adult and Juvenile Detention (WA0170000, WA) — America/Los_Angeles' });
    await page.getByLabel('Warrant number').fill('W-lodge');
    await page.getByLabel('Biometric match with federal records').check();
    await page.getByRole('textbox', { name: 'Description of charge 1' }).fill('Burglary, second degree');
    await page.getByLabel('NCIC code').fill('22021');
    await page.getByRole('button', { name: 'Lodge detainer' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('The detainer was not lodged');
    for (const id of ['lodge-subject-familyName', 'lodge-subject-dateOfBirth', 'lodge-charges-0-ncicCode']) {
      await expect(page.locator(`#${id}`).getAttribute('aria-invalid')).resolves.toBe('true');
    }
    await expect(page.locator('#lodge-charges-0-ncicCode-error').textContent()).resolves.toContain('never cut to fit');
    await widths(page, '09-lodge-implausible', { lodge: page.getByRole('button', { name: 'Lodge detainer' }) });

    const before = await env.api.http.get('/api/v1/detainers?q=A400000001').set('Authorization', `Bearer ${tokens.officerSea}`);
    await page.getByLabel('Family name').fill('García López');
    await page.getByLabel('Date of birth').fill('1979-08-31');
    await page.getByLabel('NCIC code').fill('2202');
    await page.getByRole('button', { name: 'Lodge detainer' }).click();
    // in words next to the field and in the summary, never the name on file
    const mismatch = page.locator('#lodge-subject-familyName-error');
    await mismatch.waitFor();
    await expect(mismatch.textContent()).resolves.toContain('The family name differs from that of the person on file with this identifier (not shown)');
    await expect(page.locator('#lodge-subject-familyName').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.getByRole('alert').textContent()).resolves.toContain('The family name differs');
    expect(await form.textContent()).not.toMatch(/M[ÁA]RQUEZ/i);
    await expect(page.locator('#lodge-subject-dateOfBirth').getAttribute('aria-invalid')).resolves.not.toBe('true');
    await widths(page, '10-lodge-identity-mismatch', { mismatch, lodge: page.getByRole('button', { name: 'Lodge detainer' }) });
    // nothing written, and the form still says what the officer typed
    const after = await env.api.http.get('/api/v1/detainers?q=A400000001').set('Authorization', `Bearer ${tokens.officerSea}`);
    expect(after.body.items.map((d: { id: string }) => d.id)).toEqual(before.body.items.map((d: { id: string }) => d.id));
    await expect(page.getByLabel('Family name').inputValue()).resolves.toBe('García López');
    expect(new URL(page.url()).pathname).toBe('/detainers/new');
    expect(officer.problems).toEqual([]);
  });
  step('jail staff: correct the booking number only (the holding agency\'s part of the record), at 390, 768 and 1280 px', async () => {
    jail = await openPage(browser);
    const { page } = jail;
    await signInByKeyboard(page, env.baseUrl, 'jail.king', TEST_PASSWORD);
    await page.goto(`${env.baseUrl}/detainers/${ids.mendoza}`);
    await page.getByRole('button', { name: 'Correct the record' }).click();
    const form = page.locator('form[aria-labelledby="amend-form-title"]');
    // identity and charges are the issuing area's: the jail's form has the booking number and the reason only
    await expect(form.locator('input, select, textarea').evaluateAll((els) => els.map((e) => e.id))).resolves.toEqual(['amend-bookingNumber', 'amend-reason']);
    await form.getByLabel('Booking number').fill('KC-1002-B');
    await form.getByLabel('Reason for the correction').fill('Rebooked under a new number after the transfer back');
    await widths(page, '11-jail-booking-form', { save: form.getByRole('button', { name: 'Save correction' }) });
    await form.getByRole('button', { name: 'Save correction' }).click();
    await page.getByText('Record corrected. The timeline shows what changed.').waitFor();
    await expect(page.locator('.timeline').textContent()).resolves.toMatch(/booking number KC-1002 → KC-1002-B/i);
    await expect(page.locator('dl.summary').textContent()).resolves.toContain('KC-1002-B');
    await widths(page, '12-jail-booking-corrected');
    expect(jail.problems).toEqual([]);
  });
});
