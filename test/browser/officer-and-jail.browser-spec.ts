import type { Page } from 'playwright-core';
import { buildWorld, i247aBody, TEST_PASSWORD, tokensFor, UserKey, World } from '@app/testing';
import { formatInZone, localDate, resolveWallTime, toLocalInputValue } from '../../apps/web/src/lib/time';
import {
  atEveryWidth, Browser, BrowserApi, launchBrowser, openPage, resetArtifacts, screenshot, signInByKeyboard, startBrowserApi, stepWithScreenshots, unlabelledControls,
} from './harness';

const SUITE = 'officer-and-jail';
const LA = 'America/Los_Angeles';

/**
 * The officer's and the jail's main paths, end to end in Chromium against the real API: lodge a
 * detainer (with validation), find it, and follow it through the jail's worklist, acknowledgment,
 * release date (in facility time, across a DST repeat), hold and transfer; a refusal; the officer's
 * pickup, stale-version conflict, outcome and cancellation. Each screen and form at 390, 768 and
 * 1280 px: nothing wider than the screen, its controls on screen, a screenshot at each width.
 */
describe('web app: officer and jail staff (browser)', () => {
  let env: BrowserApi;
  let browser: Browser;
  let world: World;
  let tokens: Record<UserKey, string>;
  let officer: { page: Page; problems: string[] };
  let jail: { page: Page; problems: string[] };
  let lodgedId: string;
  const earlier: Record<'waiting' | 'scheduled' | 'released', string> = { waiting: '', scheduled: '', released: '' };

  const api = (user: UserKey, method: 'get' | 'post', url: string, body?: object) => {
    const req = env.api.http[method](url).set('Authorization', `Bearer ${tokens[user]}`);
    return method === 'post' ? req.send(body ?? {}) : req;
  };
  const person = (aNumber: string, familyName: string, givenName: string) => ({ aNumber, familyName, givenName, dateOfBirth: '1984-06-09', sex: 'M', citizenship: 'HN' });

  beforeAll(async () => {
    resetArtifacts(SUITE);
    env = await startBrowserApi();
    world = await buildWorld(env.api.app);
    tokens = await tokensFor(env.api.http, world);
    // Earlier requests, laid down over the API: one waiting at King, one with a release date, one released.
    const issue = async (subject: object) => (await api('officerSea', 'post', '/api/v1/detainers', i247aBody(world.facilities.kingJail.id, { subject }))).body.id as string;
    earlier.waiting = await issue(person('A300000001', 'Morales', 'Luis'));
    earlier.scheduled = await issue(person('A300000002', 'Castillo', 'Rafael'));
    expect((await api('jailKing', 'post', `/api/v1/detainers/${earlier.scheduled}/acknowledge`, { response: 'will_comply' })).status).toBe(200);
    expect((await api('jailKing', 'post', `/api/v1/detainers/${earlier.scheduled}/schedule-release`, { releaseAt: new Date(Date.now() + 5 * 86_400_000).toISOString() })).status).toBe(200);
    earlier.released = await issue(person('A300000003', 'Vargas', 'Diego'));
    expect((await api('jailKing', 'post', `/api/v1/detainers/${earlier.released}/acknowledge`, { response: 'will_notify_only' })).status).toBe(200);
    expect((await api('jailKing', 'post', `/api/v1/detainers/${earlier.released}/release`, { at: new Date().toISOString(), destination: 'community' })).status).toBe(200);

    browser = await launchBrowser();
    officer = await openPage(browser);
    jail = await openPage(browser);
  });

  /** A failing step leaves screenshots of both tabs beside the others. */
  const step = stepWithScreenshots(SUITE, () => ({ officer, jail }));
  const widths = (page: Page, name: string, checks?: Parameters<typeof atEveryWidth>[3]) => atEveryWidth(page, SUITE, name, checks);

  afterAll(async () => {
    await browser?.close();
    await env?.api.close();
  });

  step('signs the officer in; every screen names who, role and area', async () => {
    const { page } = officer;
    await page.bringToFront();
    await signInByKeyboard(page, env.baseUrl, 'officer.sea', TEST_PASSWORD);
    const who = page.getByLabel('Signed in');
    await expect(who.textContent()).resolves.toMatch(/officer\.sea.*Officer.*Seattle AOR \(SEA\)/);
    await page.getByRole('heading', { level: 1, name: 'Detainers' }).waitFor();
    await page.locator('.results[aria-busy="false"]').waitFor();
    await widths(page, '01-officer-detainers', { controls: { lodge: page.getByRole('link', { name: 'Lodge a detainer' }), apply: page.getByRole('button', { name: 'Apply filters' }) } });
  });

  step('officer: lodging shows problems next to the fields, ours and the API\'s, then lodges and links the subject on file', async () => {
    const { page } = officer;
    await page.bringToFront();
    await page.getByRole('link', { name: 'Lodge a detainer' }).click();
    await page.getByRole('heading', { level: 1, name: 'Lodge a detainer' }).waitFor();
    expect(await unlabelledControls(page)).toEqual([]);

    await page.getByRole('button', { name: 'Lodge detainer' }).click();
    const summary = page.getByRole('alert');
    await expect(summary.textContent()).resolves.toContain('The detainer was not lodged');
    await expect(page.locator('#lodge-subject-familyName-error').textContent()).resolves.toContain('Enter the family name');
    await expect(page.locator('#lodge-facilityId-error').textContent()).resolves.toContain('Choose the facility');
    await expect(page.locator('#lodge-probableCause-error').textContent()).resolves.toContain('at least one basis');
    await expect(page.locator('#lodge-warrant-number-error').textContent()).resolves.toContain('administrative warrant');
    expect(await page.getByLabel('Family name').getAttribute('aria-invalid')).toBe('true');
    await widths(page, '02-lodge-validation', {
      controls: { summaryLink: summary.getByRole('link').first(), familyNameError: page.locator('#lodge-subject-familyName-error'), lodge: page.getByRole('button', { name: 'Lodge detainer' }) },
    });

    // Look up an A-number on file: the form shows the person and links to them.
    await page.getByLabel('A-number').fill('A300000001');
    await page.getByRole('button', { name: 'Look up A-number' }).click();
    await expect(page.locator('#lodge-linked-subject').textContent()).resolves.toMatch(/On file: MORALES, Luis.*born 1984-06-09.*1 earlier detainer/);
    // A new person instead: clear, look up an unknown number, enter the details.
    await page.getByRole('button', { name: 'Not this person: clear the A-number' }).click();
    await page.getByLabel('A-number').fill('A300000099');
    await page.getByRole('button', { name: 'Look up A-number' }).click();
    await page.getByText('No one with A-number A300000099').waitFor();
    await page.getByLabel('Family name').fill('Hernández');
    await page.getByLabel('Given name').fill('José');
    await page.getByLabel('Date of birth').fill('1990-01-31');
    await page.getByLabel('Citizenship').fill('mx');
    await page.getByLabel('Facility').selectOption({ label: `King County Correctional Facility — King County Department of Adult and Juvenile Detention (WA0170000, WA) — ${LA}` });
    await page.getByLabel('Booking number').fill('KC-77123');
    await page.getByLabel('Warrant number').fill('SEA-2026-004411');
    await page.getByLabel('Biometric match with federal records').check();
    await page.getByRole('textbox', { name: 'Description of charge 1' }).fill('Assault, third degree');
    await page.getByLabel('NCIC code').fill('1313');

    // A legacy form dated today: only the API knows its period, and says so next to the form field.
    await page.getByRole('combobox', { name: 'Form', exact: true }).selectOption('I-247D');
    await page.getByLabel(/^Issued/).fill(toLocalInputValue(new Date(), LA));
    await page.getByRole('button', { name: 'Lodge detainer' }).click();
    await expect(page.locator('#lodge-type-error').textContent()).resolves.toMatch(/I-247D/);
    await widths(page, '03-lodge-api-validation', { controls: { typeError: page.locator('#lodge-type-error'), facility: page.locator('#lodge-facilityId') } });

    await page.getByRole('combobox', { name: 'Form', exact: true }).selectOption('I-247A');
    await page.getByLabel(/^Issued/).fill('');
    await page.getByRole('button', { name: 'Lodge detainer' }).click();
    await page.getByText('Detainer lodged with King County Correctional Facility.').waitFor();
    lodgedId = page.url().split('/').pop()!;
    await page.getByRole('heading', { level: 1, name: /HERNÁNDEZ, José/ }).waitFor();
    await expect(page.locator('.timeline').textContent()).resolves.toContain('Detainer lodged');
    await expect(page.locator('dl.summary').textContent()).resolves.toContain(LA);
    await widths(page, '04-officer-detainer-lodged', { controls: { more: page.getByRole('button', { name: /^More actions/ }), print: page.getByRole('link', { name: 'Print layout' }) } });
  });

  step('officer: the area\'s detainers, filtered', async () => {
    const { page } = officer;
    await page.bringToFront();
    await page.getByRole('link', { name: 'Detainers', exact: true }).click();
    await page.getByLabel('Status').selectOption('issued');
    await page.getByLabel('Facility').selectOption({ label: `King County Correctional Facility — King County Department of Adult and Juvenile Detention (WA0170000, WA) — ${LA}` });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/status=issued/);
    await page.locator('.results[aria-busy="false"]').waitFor();
    const rows = page.locator('table.list tbody tr');
    await expect(rows.count()).resolves.toBe(2);
    await expect(page.locator('table.list').textContent()).resolves.toMatch(/HERNÁNDEZ, José[\s\S]*MORALES, Luis/);
    await page.getByLabel('Subject A-number').fill('A300000003');
    await page.getByLabel('Status').selectOption('');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/aNumber=A300000003/);
    await page.locator('.results[aria-busy="false"]').waitFor();
    await expect(page.locator('table.list tbody tr').count()).resolves.toBe(1);
    await expect(page.locator('table.list').textContent()).resolves.toContain('VARGAS, Diego');
    expect(await unlabelledControls(page)).toEqual([]);
    await widths(page, '05-officer-list-filtered', {
      controls: { row: page.locator('table.list tbody tr td:nth-child(2) a').first(), apply: page.getByRole('button', { name: 'Apply filters' }), export: page.getByRole('button', { name: 'Export CSV' }) },
    });
  });

  step('jail staff: the worklist lists what awaits acknowledgment, oldest first, for their agency', async () => {
    const { page } = jail;
    await page.bringToFront();
    await signInByKeyboard(page, env.baseUrl, 'jail.king', TEST_PASSWORD);
    await page.getByRole('heading', { level: 1, name: 'Worklist' }).waitFor();
    await expect(page.getByLabel('Signed in').textContent()).resolves.toMatch(/jail\.king.*Jail staff.*King County Department of Adult and Juvenile Detention \(WA0170000\)/);
    await page.locator('#awaitingAcknowledgment tbody tr').first().waitFor();
    await expect(page.locator('#awaitingAcknowledgment-title').textContent()).resolves.toBe('Awaiting acknowledgment (2)');
    const names = await page.locator('#awaitingAcknowledgment tbody tr td:nth-child(2) a').allTextContents();
    expect(names).toEqual(['MORALES, Luis', 'HERNÁNDEZ, José']);
    await widths(page, '06-jail-worklist', { controls: { acknowledge: page.getByRole('link', { name: 'Acknowledge: HERNÁNDEZ, José' }) } });
  });

  step('jail staff: acknowledge, then give and change the release date in facility time (a DST-repeated hour asks which one)', async () => {
    const { page } = jail;
    await page.bringToFront();
    await page.getByRole('link', { name: 'Acknowledge: HERNÁNDEZ, José' }).click();
    const ack = page.getByRole('form', { name: 'Acknowledge' });
    await ack.waitFor();
    expect(await unlabelledControls(page)).toEqual([]);
    await widths(page, '06b-jail-acknowledge-form', {
      controls: { comply: ack.getByLabel('Will comply (notify and hold)'), notComply: ack.getByLabel('Will not comply'), submit: ack.getByRole('button', { name: 'Acknowledge' }) },
    });
    await ack.getByLabel('Will comply (notify and hold)').check();
    await ack.getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByText('Acknowledged.', { exact: true }).waitFor();
    await expect(page.locator('.timeline').textContent()).resolves.toContain('Will comply (notify and hold)');

    await page.getByRole('button', { name: 'Give release date and time' }).click();
    const release = page.getByRole('form', { name: 'Give release date and time' });
    // 01:30 on 7 Nov 2027 happens twice in Los Angeles: the form asks which.
    await release.getByLabel(/^Release date and time/).fill('2027-11-07T01:30');
    await release.getByRole('button', { name: 'Give release date' }).click();
    await expect(release.locator('#schedule_release-releaseAt-error').textContent()).resolves.toContain('occurs twice');
    await widths(page, '07a-jail-release-date-twice', {
      controls: { first: release.getByLabel('The first: PDT (UTC-07:00)'), second: release.getByLabel('The second: PST (UTC-08:00)'), submit: release.getByRole('button', { name: 'Give release date' }) },
    });
    await release.getByLabel('The second: PST (UTC-08:00)').check();
    await release.getByRole('button', { name: 'Give release date' }).click();
    await page.getByText('Release date and time saved.').waitFor();
    await expect(page.locator('dl.summary').textContent()).resolves.toContain('Sun 7 Nov 2027 01:30 PST (America/Los_Angeles)');

    // Change it: three days from now at 09:00 local.
    const day = localDate(new Date(Date.now() + 3 * 86_400_000), LA);
    const wanted = resolveWallTime(`${day}T09:00`, LA);
    if (wanted.kind !== 'unique') throw new Error(`09:00 on ${day} should exist once in ${LA}`);
    await page.getByRole('button', { name: 'Give release date and time' }).click();
    const change = page.getByRole('form', { name: 'Give release date and time' });
    await expect(change.getByLabel(/^Release date and time/).inputValue()).resolves.toBe('2027-11-07T01:30');
    await change.getByLabel(/^Release date and time/).fill(`${day}T09:00`);
    await expect(change.locator('.zone').textContent()).resolves.toContain(`${LA}: ${wanted.abbreviation}`);
    await widths(page, '07-jail-change-release', {
      controls: { when: change.getByLabel(/^Release date and time/), zone: change.locator('.zone'), submit: change.getByRole('button', { name: 'Change release date' }) },
    });
    await change.getByRole('button', { name: 'Change release date' }).click();
    await page.getByText('Release date and time saved.').waitFor();
    await expect(page.locator('dl.summary').textContent()).resolves.toContain(formatInZone(wanted.instant, LA, { withZone: true }));
  });

  step('jail staff: start the hold, then record the transfer to another agency\'s facility', async () => {
    const { page } = jail;
    await page.bringToFront();
    await page.getByRole('button', { name: 'Start hold' }).click();
    const hold = page.getByRole('form', { name: 'Start hold' });
    await hold.getByRole('button', { name: 'Start hold' }).click();
    await page.getByText('Hold started.').waitFor();
    await expect(page.locator('dl.summary').textContent()).resolves.toMatch(/Hold\s*from .* until at the latest/);

    await page.getByRole('button', { name: 'Record release or transfer' }).click();
    const release = page.getByRole('form', { name: 'Record release or transfer' });
    await release.getByLabel("Another agency's facility (transfer)").check();
    await release.getByLabel('Receiving facility').selectOption({ label: `Snohomish County Jail — Snohomish County Sheriff (WA0310000) — ${LA}` });
    await widths(page, '07b-jail-transfer-form', { controls: { receiving: release.getByLabel('Receiving facility'), submit: release.getByRole('button', { name: 'Record release' }) } });
    await release.getByRole('button', { name: 'Record release' }).click();
    await page.getByText('Release recorded.').waitFor();
    // The person is now Snohomish's: King keeps its part of the history and may dispute it, but may no longer act on it.
    await expect(page.locator('.action-buttons button.primary-step').count()).resolves.toBe(0);
    await expect(page.locator('#more-actions-list button').allTextContents()).resolves.toEqual(['Dispute this record']);
    await expect(page.locator('.timeline').textContent()).resolves.toMatch(/Hold started[\s\S]*Released on/);
    await widths(page, '08-jail-transferred', { controls: { more: page.getByRole('button', { name: /^More actions/ }) } });
    const atSnohomish = await api('jailSnohomish', 'get', `/api/v1/detainers/${lodgedId}`);
    expect(atSnohomish.body).toMatchObject({ status: 'issued', facility: { name: 'Snohomish County Jail' } });
  });

  step('jail staff: decline a request in custody (will not comply, then refuse)', async () => {
    const { page } = jail;
    await page.bringToFront();
    await page.getByRole('link', { name: 'Worklist' }).click();
    await page.locator('#awaitingAcknowledgment tbody tr').first().waitFor();
    await expect(page.locator('#awaitingAcknowledgment-title').textContent()).resolves.toBe('Awaiting acknowledgment (1)');
    await page.getByRole('link', { name: 'Acknowledge: MORALES, Luis' }).click();
    const ack = page.getByRole('form', { name: 'Acknowledge' });
    // By keyboard: the opened form has focus; Tab to the responses, arrows to choose, Tab to the reason.
    await ack.waitFor();
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Acknowledge');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(ack.getByLabel('Will not comply').isChecked()).resolves.toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.type('County policy: no civil immigration holds without a judicial warrant.');
    await expect(ack.getByLabel('Reason').inputValue()).resolves.toContain('County policy');
    await ack.getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByText('Acknowledged.', { exact: true }).waitFor();
    // A refusal is an exception to the normal course: it is under "More actions".
    await page.getByRole('button', { name: /^More actions/ }).click();
    await page.getByRole('button', { name: 'Refuse (decline in custody)' }).click();
    const refuse = page.getByRole('form', { name: 'Refuse (decline in custody)' });
    await refuse.getByRole('button', { name: 'Record refusal' }).click();
    await expect(refuse.locator('#refuse-reason-error').textContent()).resolves.toContain('Enter the reason');
    await widths(page, '09a-jail-refuse-form', {
      controls: { error: refuse.locator('#refuse-reason-error'), reason: refuse.getByLabel('Reason'), submit: refuse.getByRole('button', { name: 'Record refusal' }) },
    });
    await refuse.getByLabel('Reason').fill('Will not hold on a civil detainer.');
    await refuse.getByRole('button', { name: 'Record refusal' }).click();
    await page.getByText('Refusal recorded (a decline).').waitFor();
    await expect(page.locator('.status-line').textContent()).resolves.toMatch(/Refused in custody.*Declined/);
    await screenshot(page, SUITE, '09-jail-refused'); // the same page as the refusal form's, at the three widths above
  });

  step('officer: a stale page is refused with a clear message; plan pickup, cancel, record outcome; the timeline follows the transfer', async () => {
    const { page } = officer;
    await page.bringToFront();
    await page.goto(`${env.baseUrl}/detainers/${earlier.scheduled}`);
    await page.getByRole('heading', { level: 1, name: /CASTILLO, Rafael/ }).waitFor();
    // Meanwhile the jail moves the release date: the officer's page is one version behind.
    expect((await api('jailKing', 'post', `/api/v1/detainers/${earlier.scheduled}/schedule-release`, { releaseAt: new Date(Date.now() + 6 * 86_400_000).toISOString() })).status).toBe(200);
    await page.getByRole('button', { name: 'Plan pickup' }).click();
    const pickup = page.getByRole('form', { name: 'Plan pickup' });
    await pickup.getByRole('button', { name: 'Plan pickup' }).click();
    await expect(pickup.getByRole('alert').textContent()).resolves.toMatch(/changed since you read it[\s\S]*Reload/);
    await widths(page, '10-officer-stale-version', { controls: { message: pickup.getByRole('alert') } });
    await page.reload();
    await page.getByRole('button', { name: 'Plan pickup' }).click();
    const fresh = page.getByRole('form', { name: 'Plan pickup' });
    await fresh.getByRole('button', { name: 'Plan pickup' }).click();
    await page.getByText('Pickup planned.').waitFor();
    await expect(page.locator('dl.summary').textContent()).resolves.toContain('Pickup planned');

    await page.getByRole('button', { name: /^More actions/ }).click();
    await page.getByRole('button', { name: 'Cancel detainer' }).click();
    const cancel = page.getByRole('form', { name: 'Cancel detainer' });
    await cancel.getByRole('combobox', { name: 'Reason' }).selectOption('lifted');
    await widths(page, '10b-officer-cancel-form', { controls: { reason: cancel.getByRole('combobox', { name: 'Reason' }), submit: cancel.getByRole('button', { name: 'Cancel detainer' }) } });
    await cancel.getByRole('button', { name: 'Cancel detainer' }).click();
    await page.getByText('Detainer cancelled.').waitFor();
    await expect(page.locator('.status-line').textContent()).resolves.toContain('Cancelled');

    await page.goto(`${env.baseUrl}/detainers/${earlier.released}`);
    await page.getByRole('button', { name: 'Record outcome' }).click();
    const outcome = page.getByRole('form', { name: 'Record outcome' });
    await outcome.getByRole('combobox', { name: 'Outcome' }).selectOption('ice_arrest');
    await widths(page, '10c-officer-outcome-form', { controls: { outcome: outcome.getByRole('combobox', { name: 'Outcome' }), submit: outcome.getByRole('button', { name: 'Record outcome' }) } });
    await outcome.getByRole('button', { name: 'Record outcome' }).click();
    await page.getByText('Outcome recorded.').waitFor();
    await expect(page.locator('dl.summary').textContent()).resolves.toMatch(/Outcome\s*ICE arrest/);

    await page.goto(`${env.baseUrl}/detainers/${lodgedId}`);
    await page.getByRole('heading', { level: 3, name: 'Lodgings' }).waitFor();
    const timeline = await page.locator('.timeline').textContent();
    expect(timeline).toMatch(/Detainer lodged[\s\S]*Acknowledged[\s\S]*Release date given[\s\S]*Release date given[\s\S]*Hold started[\s\S]*Released on .* to Snohomish County Jail \(Snohomish County Sheriff\)[\s\S]*Lodged with the receiving agency/);
    await expect(page.locator('.status-line').textContent()).resolves.toContain('Issued, awaiting acknowledgment');
    await widths(page, '11-officer-timeline-after-transfer', { controls: { lastEntry: page.locator('.timeline li').last() } });
  });

  step('officer: a long list loads 50 at a time; a page that fails to load says so and loads when tried again', async () => {
    for (let n = 0; n < 55; n += 1) {
      const subject = person(`A3100000${String(n).padStart(2, '0')}`, 'Paged', `Person ${n}`);
      expect((await api('officerSea', 'post', '/api/v1/detainers', i247aBody(world.facilities.snohomishJail.id, { subject }))).status).toBe(201);
    }
    const all = await api('officerSea', 'get', '/api/v1/detainers?limit=200');
    const expected = (all.body.items as { id: string }[]).map((d) => d.id);
    expect(expected.length).toBeGreaterThan(55);
    expect(expected.length).toBeLessThanOrEqual(100);

    // A tab of its own: the failed page below is logged by Chromium, on purpose.
    const pager = await openPage(browser);
    const { page } = pager;
    await signInByKeyboard(page, env.baseUrl, 'officer.sea', TEST_PASSWORD);
    await page.getByRole('link', { name: 'Detainers', exact: true }).click();
    await page.locator('.results[aria-busy="false"]').waitFor();
    const rows = page.locator('table.list tbody tr');
    await expect(rows.count()).resolves.toBe(50);

    let failed = 0;
    await page.route(/\/api\/v1\/detainers\?.*cursor=/, async (route) => {
      if (failed++ > 0) return route.continue();
      return route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ statusCode: 503, error: 'Service Unavailable', message: 'The service is busy; try again in a moment.' }) });
    });
    await page.getByRole('button', { name: 'Load more detainers' }).click();
    const alert = page.locator('.load-more [role="alert"]');
    await expect(alert.textContent()).resolves.toContain('The service is busy; try again in a moment.');
    await expect(rows.count()).resolves.toBe(50);
    await widths(page, '12-officer-load-more-failed', { controls: { tryAgain: alert.getByRole('button', { name: 'Try again' }) }, screenOnly: true });

    await alert.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('button', { name: 'Load more detainers' }).waitFor({ state: 'detached' });
    await expect(page.locator('.load-more').count()).resolves.toBe(0);
    const shown = await rows.locator('td:nth-child(2) a').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).pathname.split('/').pop()));
    expect(shown).toEqual(expected);
    expect(pager.problems).toEqual([expect.stringMatching(/Failed to load resource: the server responded with a status of 503/)]);
    await page.close();
  });

  it('no page logged an error or threw', () => {
    expect(officer.problems).toEqual([]);
    expect(jail.problems).toEqual([]);
  });
});
