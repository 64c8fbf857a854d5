import path from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { DeliveryRepository, NotificationRepository } from '@app/persistence';
import { buildWorld, i247aBody, TEST_PASSWORD, tokensFor, UserKey, World } from '@app/testing';
import {
  ARTIFACTS, atEveryWidth, Browser, BrowserApi, EveryWidthChecks, launchBrowser, openPage, resetArtifacts, screenshot, ShiftedClock, signInByKeyboard, startBrowserApi,
  stepWithScreenshots,
} from './harness';

const SUITE = 'daily-work';
const HOUR = 3_600_000;

/**
 * A day's work in Chromium against the real API: the jail's worklist as its start page, a detainer
 * offering its next steps first (the rest under "More actions"), the print layout, notifications
 * named by person and booking and grouped by kind with "mark all read", and citizenship claims on
 * the Disputes page; each at 390, 768 and 1280 px with its actions on screen.
 */
describe('web app: daily work (browser)', () => {
  let env: BrowserApi;
  let browser: Browser;
  let world: World;
  let tokens: Record<UserKey, string>;
  let jail: { page: Page; problems: string[] };
  let supervisor: { page: Page; problems: string[] };
  let analyst: { page: Page; problems: string[] };
  const ids: Record<string, string> = {};
  const clock = new ShiftedClock();
  let lastWeek = '';

  const api = (user: UserKey, url: string, body: object = {}) => env.api.http.post(url).set('Authorization', `Bearer ${tokens[user]}`).send(body);
  const step = stepWithScreenshots(SUITE, () => ({ jail, supervisor, analyst }));
  const inHours = (h: number) => new Date(Date.now() + h * HOUR).toISOString();

  const widths = (page: Page, name: string, checks?: EveryWidthChecks) => atEveryWidth(page, SUITE, name, checks);

  beforeAll(async () => {
    resetArtifacts(SUITE);
    env = await startBrowserApi({}, clock);
    world = await buildWorld(env.api.app);
    tokens = await tokensFor(env.api.http, world);
    // A week ago: a request King acknowledged, then released without notice (a decline); that week is then published.
    clock.shiftMs = -7 * 24 * HOUR;
    const old = await api('officerSea', '/api/v1/detainers', i247aBody(world.facilities.kingJail.id, {
      subject: { aNumber: 'A600000099', familyName: 'Ibarra', givenName: 'Luz', dateOfBirth: '1975-07-07', citizenship: 'SV' },
    }));
    expect(old.status).toBe(201);
    expect((await api('jailKing', `/api/v1/detainers/${old.body.id}/acknowledge`, { response: 'will_notify_only' })).status).toBe(200);
    expect((await api('jailKing', `/api/v1/detainers/${old.body.id}/release`, { at: clock.now().toISOString(), destination: 'community' })).status).toBe(200);
    clock.shiftMs = 0;
    const weeks = await env.api.http.get('/api/v1/reports/weekly').set('Authorization', `Bearer ${tokens.supervisorSea}`);
    lastWeek = weeks.body.lastClosedWeek.weekStart;
    expect((await env.api.http.get(`/api/v1/reports/weekly/${lastWeek}?version=live`).set('Authorization', `Bearer ${tokens.supervisorSea}`)).body.totals.declined).toBe(1);
    expect((await api('supervisorSea', `/api/v1/reports/weekly/${lastWeek}/publish`)).status).toBe(201);
    let n = 0;
    const issue = async (key: string, familyName: string) => {
      n += 1;
      const subject = { aNumber: `A6000000${String(n).padStart(2, '0')}`, familyName, givenName: 'Ana', dateOfBirth: '1985-02-03', citizenship: 'MX' };
      const res = await api('officerSea', '/api/v1/detainers', i247aBody(world.facilities.kingJail.id, { subject, bookingNumber: `KC-${100 + n}` }));
      expect(res.status).toBe(201);
      ids[key] = res.body.id;
    };
    const ack = async (key: string) => expect((await api('jailKing', `/api/v1/detainers/${ids[key]}/acknowledge`, { response: 'will_comply' })).status).toBe(200);
    await issue('waitingFirst', 'Acosta');
    await issue('waitingSecond', 'Benítez');
    await issue('noDate', 'Cruz');
    await ack('noDate');
    await issue('releaseLater', 'Delgado');
    await ack('releaseLater');
    expect((await api('jailKing', `/api/v1/detainers/${ids.releaseLater}/schedule-release`, { releaseAt: inHours(40) })).status).toBe(200);
    await issue('releaseSooner', 'Estrada');
    await ack('releaseSooner');
    expect((await api('jailKing', `/api/v1/detainers/${ids.releaseSooner}/schedule-release`, { releaseAt: inHours(20) })).status).toBe(200);
    await issue('held', 'Fuentes');
    await ack('held');
    expect((await api('jailKing', `/api/v1/detainers/${ids.held}/start-hold`, { since: inHours(0) })).status).toBe(200);
    await issue('claimed', 'Guzmán');
    await ack('claimed');
    expect((await api('jailKing', `/api/v1/detainers/${ids.claimed}/claim-citizenship`, { note: 'Says he was born in El Paso; birth certificate requested.' })).status).toBe(200);
    await issue('wrongPerson', 'Herrera');
    await ack('wrongPerson');
    expect((await api('jailKing', `/api/v1/detainers/${ids.wrongPerson}/dispute-identity`, { note: 'Fingerprints at booking do not match the A-number on the request.' })).status).toBe(200);

    // Two kinds of notification in the jail's inbox (what the worker would deliver).
    for (const [key, kind, title] of [
      ['waitingFirst', 'unacknowledged_24h', 'Unacknowledged for 24 hours'], ['waitingSecond', 'unacknowledged_24h', 'Unacknowledged for 24 hours'],
      ['releaseSooner', 'release_48h', 'Release in 48 hours'],
    ] as const) {
      const [reminder] = await env.api.db.read((sql) => sql.query<{ id: string; due_at: Date }>('SELECT id, due_at FROM reminders WHERE detainer_id = $1 LIMIT 1', [ids[key]]));
      await env.api.db.transaction(async (sql) => {
        const [delivery] = await env.api.app.get(DeliveryRepository).insertMissing(sql, reminder.id, [{ channel: 'inbox', recipient: world.users.jailKing.id, address: null }], new Date(), 'sent');
        await env.api.app.get(NotificationRepository).insert(sql, {
          userId: world.users.jailKing.id, deliveryId: delivery.id, reminderId: reminder.id, detainerId: ids[key], kind, title, body: 'Details in facility time.',
          link: `${env.baseUrl}/detainers/${ids[key]}`, anchorAt: reminder.due_at, timeZone: 'America/Los_Angeles',
        }, new Date());
      });
    }

    browser = await launchBrowser();
    jail = await openPage(browser);
    supervisor = await openPage(browser);
    analyst = await openPage(browser);
  });
  afterAll(async () => {
    await browser?.close();
    await env?.api.close();
  });

  /** The header's unread count, once it has refreshed to this. */
  const unreadBecomes = (page: Page, n: number) =>
    page.waitForFunction((want) => (document.querySelector('nav[aria-label="Main"] .nav-count')?.textContent ?? '') === want, n ? `${n} unread` : '');
  const names = (page: Page, section: string) => page.locator(`#${section} tbody tr td:nth-child(2) a`).allTextContents();

  step('jail staff start on the worklist: four lists, each most due first', async () => {
    const { page } = jail;
    await page.bringToFront();
    await signInByKeyboard(page, env.baseUrl, 'jail.king', TEST_PASSWORD);
    await page.getByRole('heading', { level: 1, name: 'Worklist' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/worklist');
    await page.locator('#holdsEnding tbody tr').first().waitFor();
    await expect(names(page, 'awaitingAcknowledgment')).resolves.toEqual(['ACOSTA, Ana', 'BENÍTEZ, Ana']);
    await expect(names(page, 'awaitingReleaseDate')).resolves.toEqual(['CRUZ, Ana']);
    await expect(names(page, 'releasesSoon')).resolves.toEqual(['ESTRADA, Ana', 'DELGADO, Ana']);
    await expect(names(page, 'holdsEnding')).resolves.toEqual(['FUENTES, Ana']);
    await expect(page.locator('#releasesSoon tbody tr').first().textContent()).resolves.toMatch(/P[SD]T \(America\/Los_Angeles\).*in (19|20) h/);
    await expect(page.getByRole('navigation', { name: 'Worklist sections' }).textContent()).resolves.toContain('2 Awaiting acknowledgment');
    // Each row's next action stays on screen.
    await widths(page, '01-worklist', {
      controls: {
        acknowledge: page.getByRole('link', { name: 'Acknowledge: ACOSTA, Ana' }), giveDate: page.getByRole('link', { name: 'Give release date: CRUZ, Ana' }),
        recordRelease: page.getByRole('link', { name: 'Record release: ESTRADA, Ana' }),
      },
    });
  });

  step('a detainer offers its next steps first; the rest are under "More actions"', async () => {
    const { page } = jail;
    await page.getByRole('link', { name: 'Acknowledge: ACOSTA, Ana' }).click();
    await page.getByRole('form', { name: 'Acknowledge' }).waitFor();
    await expect(page.locator('.action-buttons button.primary-step').allTextContents()).resolves.toEqual(['Acknowledge', 'Not in our custody']);
    await expect(page.locator('.action-buttons button:visible').allTextContents()).resolves.toEqual(['Acknowledge', 'Not in our custody', 'More actions (7) ▾']);
    await expect(page.getByRole('button', { name: 'Refuse (decline in custody)' }).isVisible()).resolves.toBe(false);
    await page.getByRole('button', { name: /^More actions/ }).click();
    await expect(page.locator('#more-actions-list button').allTextContents()).resolves.toEqual([
      'Custody to ICE (honored)', 'Record release or transfer', 'Refuse (decline in custody)', 'Record a decline', 'U.S. citizenship claimed', 'Wrong person', 'Dispute this record',
    ]);
    const actions = page.locator('.action-buttons button:visible');
    await widths(page, '02-detainer-more-open', {
      controls: Object.fromEntries((await actions.allTextContents()).map((name, i) => [name, actions.nth(i)])),
    });
    // After acknowledging, the next steps move on to the release date and the hold.
    const ack = page.getByRole('form', { name: 'Acknowledge' });
    await ack.getByLabel('Will comply (notify and hold)').check();
    await ack.getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByText('Acknowledged.', { exact: true }).waitFor();
    await expect(page.locator('.action-buttons button.primary-step').allTextContents()).resolves.toEqual(['Give release date and time', 'Start hold']);
  });

  step('a deep link to an action under "More" opens it there', async () => {
    const { page } = jail;
    await page.goto(`${env.baseUrl}/detainers/${ids.waitingSecond}?action=refuse`);
    await page.getByRole('form', { name: 'Refuse (decline in custody)' }).waitFor();
    await expect(page.getByRole('button', { name: /^More actions/ }).getAttribute('aria-expanded')).resolves.toBe('true');
  });

  step('the print layout: the request, the warrant, dates in facility time with zone; no navigation or buttons on paper', async () => {
    const { page } = jail;
    await page.goto(`${env.baseUrl}/detainers/${ids.held}`);
    await page.getByRole('link', { name: 'Print layout' }).click();
    await page.getByRole('heading', { level: 1, name: 'Immigration detainer, form I-247A' }).waitFor();
    await expect(page.getByRole('navigation').count()).resolves.toBe(0);
    const text = (await page.locator('.print-sheet').textContent()) ?? '';
    expect(text).toContain('I-200 number SEA-2026-000001');
    expect(text).toContain('FUENTES, Ana');
    expect(text).toContain('KC-106');
    expect(text).toMatch(/Issued\w{3} \d{1,2} \w{3} \d{4} \d{2}:\d{2} P[SD]T \(America\/Los_Angeles\)/);
    expect(text).toMatch(/Holdfrom .* P[SD]T \(America\/Los_Angeles\) until at the latest .* P[SD]T \(America\/Los_Angeles\)/);
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('button:visible, a:visible, nav:visible').count()).resolves.toBe(0);
    await screenshot(page, SUITE, '03-print-as-printed');
    mkdirSync(path.join(ARTIFACTS, SUITE), { recursive: true });
    await page.pdf({ path: path.join(ARTIFACTS, SUITE, '03-print.pdf'), format: 'Letter' });
    await page.emulateMedia({ media: 'screen' });
    await widths(page, '03-print-screen', { controls: { warrant: page.locator('.print-sheet').getByText('SEA-2026-000001', { exact: false }).first() } });
  });

  step('notifications: grouped by kind, each case named by person and booking, "mark all read"', async () => {
    const { page } = jail;
    await page.goto(`${env.baseUrl}/notifications`);
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    await unreadBecomes(page, 3);
    await expect(page.locator('.notification-group h2').allTextContents()).resolves.toEqual([
      'Releases within 48 hours (1, 1 unread)', 'Unacknowledged after 24 hours (2, 2 unread)',
    ]);
    await expect(page.locator('.notification-group').nth(1).locator('.n-case').allTextContents()).resolves.toEqual([
      'BENÍTEZ, Ana, booking KC-102 · King County Correctional Facility', 'ACOSTA, Ana, booking KC-101 · King County Correctional Facility',
    ]);
    await expect(page.locator('ul.notifications time').first().textContent()).resolves.toMatch(/\d{2}:\d{2} P[SD]T \(America\/Los_Angeles\)$/);
    await widths(page, '04-notifications', {
      controls: {
        markAll: page.getByRole('button', { name: 'Mark all read', exact: true }), markKind: page.getByRole('button', { name: 'Mark all read: Unacknowledged after 24 hours' }),
        open: page.locator('ul.notifications li').first().getByRole('link', { name: 'Open the detainer' }),
      },
    });
    await page.getByRole('button', { name: 'Mark all read: Unacknowledged after 24 hours' }).click();
    await page.getByText('2 marked read.').waitFor();
    await unreadBecomes(page, 1);
    await page.getByRole('button', { name: 'Mark all read', exact: true }).click();
    await page.getByText('1 marked read.').waitFor();
    await unreadBecomes(page, 0);
    await expect(page.locator('li.unread').count()).resolves.toBe(0);
  });

  step('the Disputes page lists the citizenship and identity claims the queue counts, each with a way to decide it', async () => {
    const { page } = supervisor;
    await page.bringToFront();
    await signInByKeyboard(page, env.baseUrl, 'supervisor.sea', TEST_PASSWORD);
    await page.getByRole('link', { name: 'Disputes' }).click();
    await page.getByRole('heading', { level: 1, name: 'Disputes' }).waitFor();
    const claim = page.locator('li.dispute', { hasText: 'U.S. citizenship claimed' });
    await expect(claim.textContent()).resolves.toContain('GUZMÁN, Ana');
    await expect(claim.textContent()).resolves.toContain('Says he was born in El Paso');
    await expect(claim.locator('time').textContent()).resolves.toMatch(/P[SD]T \(America\/Los_Angeles\)$/);
    const identity = page.locator('li.dispute', { hasText: 'Wrong person (identity disputed)' });
    await expect(identity.textContent()).resolves.toContain('HERRERA, Ana');
    await expect(identity.textContent()).resolves.toContain('Fingerprints at booking do not match');
    await widths(page, '05-disputes', {
      controls: { decideCitizenship: claim.getByRole('link', { name: 'Decide the claim on GUZMÁN, Ana' }), decideIdentity: identity.getByRole('link', { name: 'Decide the claim on HERRERA, Ana' }) },
    });
    await claim.getByRole('link', { name: 'Decide the claim on GUZMÁN, Ana' }).click();
    await page.getByRole('form', { name: 'Decide citizenship or identity claim' }).waitFor();
    await expect(page.locator('.action-buttons button.primary-step').allTextContents()).resolves.toEqual(['Decide citizenship or identity claim']);
  });

  step('analysts follow a published decline count to its de-identified cases', async () => {
    const { page } = analyst;
    await page.bringToFront();
    await signInByKeyboard(page, env.baseUrl, 'analyst', TEST_PASSWORD);
    await page.goto(`${env.baseUrl}/reports/${lastWeek}`);
    await page.locator('.status-line .badge', { hasText: 'Version 1' }).waitFor();
    const link = page.getByRole('link', { name: '1 declined in King County, WA: the de-identified cases' });
    await link.click();
    await page.waitForURL(/#s2-US-WA-53033$/);
    const cases = page.locator('#s2-US-WA-53033');
    await expect(cases.textContent()).resolves.toMatch(/released without notice; 0–6 days/);
    const box = (await cases.boundingBox())!;
    const scrolled = await page.evaluate(() => window.scrollY);
    expect(box.y).toBeLessThan(900); // in view
    expect(scrolled).toBeGreaterThan(0);
    // De-identified: no name, and nothing links to a detainer's record.
    await expect(page.locator('main').textContent()).resolves.not.toContain('IBARRA');
    await expect(page.locator('a[href^="/detainers/"]').count()).resolves.toBe(0);
    await widths(page, '06-analyst-report', { controls: { cases: cases } });
  });

  it('no page logged an error or threw', () => {
    expect(jail.problems).toEqual([]);
    expect(supervisor.problems).toEqual([]);
    expect(analyst.problems).toEqual([]);
  });
});
