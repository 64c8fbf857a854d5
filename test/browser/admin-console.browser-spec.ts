import type { Page } from 'playwright-core';
import { RollUpMarkedWeeks } from '@app/application';
import { DEFAULT_WEEK_CONFIG, weekContaining } from '@app/domain';
import { DeliveryRepository } from '@app/persistence';
import { buildWorld, i247aBody, TEST_PASSWORD, tokenFor, World } from '@app/testing';
import {
  atEveryWidth, Browser, BrowserApi, EveryWidthChecks, launchBrowser, openPage, resetArtifacts, screenshot, signInByKeyboard, startBrowserApi,
  stepWithScreenshots, unlabelledControls,
} from './harness';

const SUITE = 'admin-console';
const JAIL_PASSWORD = 'quiet harbour lantern 42';

/**
 * The admin console in Chromium against the real API: an admin creates an area, a county, its
 * agency with an ORI, a facility and a jail user; the jail user signs in; the admin unlocks them
 * after a lockout, disables and enables them; creates and revokes an API key (after confirming the
 * password again); ends a policy and sees the published week re-rolled; opens the queue dashboard,
 * pauses a queue there and finds it in the audit log. Each screen at 390, 768 and 1280 px: nothing
 * wider than the screen, its controls (a row's actions too) on screen, a screenshot at each width.
 */
describe('web app: the admin console (browser)', () => {
  let env: BrowserApi;
  let browser: Browser;
  let world: World;
  let admin: { page: Page; problems: string[] };
  let jail: { page: Page; problems: string[] } | undefined;
  let dashboard: { page: Page } | undefined;
  const step = stepWithScreenshots(SUITE, () => ({ admin, jail, dashboard }));
  const week = weekContaining(new Date(Date.now() - 14 * 86_400_000), DEFAULT_WEEK_CONFIG).weekStart;
  let policyId = '';
  let apiKey = '';

  const widths = (page: Page, name: string, checks?: EveryWidthChecks) => atEveryWidth(page, SUITE, name, checks);
  const section = async (label: string, heading: string) => {
    if (!new URL(admin.page.url()).pathname.startsWith('/console')) {
      await admin.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    }
    await admin.page.getByRole('navigation', { name: 'Admin console' }).getByRole('link', { name: label }).click();
    await admin.page.getByRole('heading', { level: 1, name: heading }).waitFor();
  };

  beforeAll(async () => {
    resetArtifacts(SUITE);
    // webhooks to a receiver on this machine (nothing listens: the failed delivery is written by the test)
    env = await startBrowserApi({ WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true' });
    world = await buildWorld(env.api.app);
    // A policy in force, and a published week it covers: ending the policy before that week re-rolls it.
    const adminToken = await tokenFor(env.api.http, 'admin');
    const created = await env.api.http.post(`/api/v1/jurisdictions/${world.jurisdictions.king.id}/policies`).set('Authorization', `Bearer ${adminToken}`).send({
      kind: 'ordinance', citation: 'King County Code 2.15.010', summary: 'No holds without a judicial warrant', limitsHold: true,
      limitsNotification: false, limitsAccess: false, effectiveFrom: '2020-01-01',
    });
    expect(created.status).toBe(201);
    policyId = created.body.id;
    const supervisor = await tokenFor(env.api.http, world.users.supervisorSea.username);
    expect((await env.api.http.post(`/api/v1/reports/weekly/${week}/publish`).set('Authorization', `Bearer ${supervisor}`)).status).toBeLessThan(300);
    browser = await launchBrowser();
    admin = await openPage(browser);
  });
  afterAll(async () => {
    await browser?.close();
    await env?.api.close();
  });

  step('the admin opens the console from the one "Admin" entry of the navigation', async () => {
    const { page } = admin;
    await signInByKeyboard(page, env.baseUrl, 'admin', TEST_PASSWORD);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { level: 1, name: 'Admin console' }).waitFor();
    const consoleNav = page.getByRole('navigation', { name: 'Admin console' });
    await widths(page, '01-console', { controls: { people: consoleNav.getByRole('link', { name: 'People' }), audit: consoleNav.getByRole('link', { name: 'Audit log' }) } });
  });

  step('creates an area; a bad code gets the API\'s message next to the field and the form stays filled', async () => {
    const { page } = admin;
    await section('Areas', 'Areas of Responsibility');
    await page.locator('#na-code').fill('L1');
    await page.locator('#na-name').fill('Las Vegas');
    await page.getByRole('button', { name: 'Create area' }).click();
    await expect(page.locator('#na-code-error').textContent()).resolves.toMatch(/three letters/);
    await expect(page.locator('#na-name').inputValue()).resolves.toBe('Las Vegas');
    await widths(page, '02-area-refused', { controls: { error: page.locator('#na-code-error'), create: page.getByRole('button', { name: 'Create area' }) } });
    await page.locator('#na-code').fill('LVS');
    await page.getByRole('button', { name: 'Create area' }).click();
    await page.getByText('Created the area Las Vegas (LVS).').waitFor();
    await page.getByRole('cell', { name: 'LVS', exact: true }).waitFor();
    await page.getByLabel('Search areas').fill('vegas');
    await expect(page.locator('table.list tbody tr').count()).resolves.toBe(1);
    await widths(page, '03-areas', { controls: { search: page.getByLabel('Search areas'), edit: page.getByRole('button', { name: 'Edit Las Vegas (LVS)' }) } });
  });

  step('creates a county: its canonical code from state + FIPS', async () => {
    const { page } = admin;
    await section('Jurisdictions & policies', 'Jurisdictions and policies');
    await page.locator('#nj-name').fill('Clark County');
    await page.locator('#nj-kind').selectOption('county');
    await page.locator('#nj-state').fill('NV');
    await page.locator('#nj-fips').fill('32003');
    await page.getByRole('button', { name: 'Create jurisdiction' }).click();
    await page.getByText(/Created Clark County \(US-NV-32003\)/).waitFor();
    await page.getByLabel('Search by name, code, FIPS').fill('32003');
    await page.getByRole('link', { name: 'Clark County' }).waitFor();
    await widths(page, '04-jurisdictions', { controls: { search: page.getByLabel('Search by name, code, FIPS'), open: page.getByRole('link', { name: 'Clark County' }) } });
  });

  step('creates its agency with an ORI; an ORI of another state is refused next to the field', async () => {
    const { page } = admin;
    await section('Agencies', 'Agencies');
    await page.locator('#ng-ori').fill('WA0020000');
    await page.locator('#ng-name').fill('Las Vegas Metropolitan Police Department');
    await page.locator('#ng-jurisdictionId').selectOption({ label: 'Clark County, NV (US-NV-32003)' });
    await page.locator('#ng-program287g').selectOption('jail_enforcement');
    await page.locator('#ng-program287gSince').fill('2017-02-15');
    await page.getByRole('button', { name: 'Create agency' }).click();
    await page.locator('#ng-ori-error').waitFor();
    await expect(page.locator('#ng-name').inputValue()).resolves.toBe('Las Vegas Metropolitan Police Department');
    await page.locator('#ng-ori').fill('NV0020000');
    await page.getByRole('button', { name: 'Create agency' }).click();
    await page.getByText('Created Las Vegas Metropolitan Police Department (NV0020000).').waitFor();
    await page.getByRole('row', { name: /NV0020000.*Clark County, NV.*Jail enforcement model.*from 2017-02-15/ }).waitFor();
    await widths(page, '05-agencies', {
      controls: { edit: page.getByRole('button', { name: 'Edit Las Vegas Metropolitan Police Department (NV0020000)' }), create: page.getByRole('button', { name: 'Create agency' }) },
    });
  });

  step('creates a facility of the agency, in the area, with its time zone', async () => {
    const { page } = admin;
    await section('Facilities', 'Facilities');
    await page.locator('#nf-name').fill('Clark County Detention Center');
    await page.locator('#nf-agencyId').selectOption({ label: 'Las Vegas Metropolitan Police Department (NV0020000)' });
    await page.locator('#nf-areaId').selectOption({ label: 'Las Vegas (LVS)' });
    await page.locator('#nf-timeZone').selectOption('America/Los_Angeles');
    await page.getByRole('button', { name: 'Create facility' }).click();
    await page.getByText('Created Clark County Detention Center.').waitFor();
    await page.getByRole('row', { name: /Clark County Detention Center.*America\/Los_Angeles.*Las Vegas \(LVS\)/ }).waitFor();
    await widths(page, '06-facilities', {
      controls: { edit: page.getByRole('button', { name: /^Edit Clark County Detention Center/ }), create: page.getByRole('button', { name: 'Create facility' }) },
    });
  });

  step('creates a jail user: the password rules are shown as the password is typed', async () => {
    const { page } = admin;
    await section('People', 'People');
    await page.locator('#nu-username').fill('jail.clark');
    await page.locator('#nu-role').selectOption('jail_staff');
    await page.locator('#nu-agencyId').selectOption({ label: 'Las Vegas Metropolitan Police Department (NV0020000)' });
    await page.locator('#nu-password').fill('short');
    await page.locator('#nu-password-rules').getByText('A password needs at least 12 characters.').waitFor();
    await page.locator('#nu-password').fill('jail.clark-2026-rocks');
    await page.locator('#nu-password-rules').getByText(/may not contain the username/).waitFor();
    await widths(page, '07-password-rules', { controls: { rules: page.locator('#nu-password-rules'), create: page.getByRole('button', { name: 'Create user' }) } });
    await page.locator('#nu-password').fill(JAIL_PASSWORD);
    await page.locator('#nu-password-rules').getByText('This password meets the rules.').waitFor();
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByText('Created jail.clark (Jail staff). They can sign in now.').waitFor();
    await page.getByRole('row', { name: /jail\.clark.*Jail staff.*Las Vegas Metropolitan Police Department/ }).waitFor();
    await expect(unlabelledControls(page)).resolves.toEqual([]);
    await widths(page, '08-people', { controls: { person: page.getByRole('link', { name: 'jail.clark' }), apply: page.getByRole('button', { name: 'Apply filters' }) } });
  });

  step('the jail user signs in and sees their worklist', async () => {
    jail = await openPage(browser);
    await signInByKeyboard(jail.page, env.baseUrl, 'jail.clark', JAIL_PASSWORD);
    await jail.page.getByRole('heading', { level: 1, name: 'Worklist' }).waitFor();
    await expect(jail.page.getByLabel('Signed in').textContent()).resolves.toMatch(/jail\.clark.*Jail staff.*Las Vegas Metropolitan Police Department/);
    await atEveryWidth(jail.page, SUITE, '09-jail-worklist');
  });

  step('locked out after five wrong passwords, the admin unlocks them; disabling ends their session, enabling lets them back', async () => {
    for (let i = 0; i < 5; i += 1) await env.api.http.post('/api/v1/auth/token').send({ username: 'jail.clark', password: 'not the password at all' });
    const { page } = admin;
    await page.locator('#f-status').selectOption('locked');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByRole('link', { name: 'jail.clark' }).click();
    await page.getByRole('heading', { level: 1, name: 'jail.clark' }).waitFor();
    await page.getByText(/locked.*since/).waitFor();
    await widths(page, '10-person-locked', { controls: { unlock: page.getByRole('button', { name: 'Unlock' }), disable: page.getByRole('button', { name: 'Disable' }) } });
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByText('jail.clark is unlocked and can sign in again.').waitFor();
    expect((await env.api.http.post('/api/v1/auth/token').send({ username: 'jail.clark', password: JAIL_PASSWORD })).status).toBe(200);

    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Disable' }).click();
    await page.getByText('jail.clark is disabled; their sessions have ended.').waitFor();
    await jail!.page.reload();
    await jail!.page.getByRole('heading', { name: 'Detainer workflow' }).waitFor();
    await jail!.page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.getByRole('button', { name: 'Enable' }).click();
    await page.getByText('jail.clark is enabled again.').waitFor();
    await signInByKeyboard(jail!.page, env.baseUrl, 'jail.clark', JAIL_PASSWORD);
    await jail!.page.getByRole('heading', { level: 1, name: 'Worklist' }).waitFor();
  });

  step('creates an API key (shown once) that works, then, asked to confirm the password, revokes it', async () => {
    const { page } = admin;
    await section('API keys', 'API keys');
    await page.locator('#nk-agencyId').selectOption({ label: 'Las Vegas Metropolitan Police Department (NV0020000)' });
    await page.locator('#nk-label').fill('Clark County JMS');
    await page.getByRole('button', { name: 'Create key' }).click();
    apiKey = (await page.getByLabel('Key for Clark County JMS').textContent())!.trim();
    expect(apiKey.length).toBeGreaterThan(20);
    expect((await env.api.http.get('/api/v1/me').set('X-Api-Key', apiKey)).status).toBe(200);
    await widths(page, '11-api-key-shown-once', {
      controls: { key: page.getByLabel('Key for Clark County JMS'), stored: page.getByRole('button', { name: 'I have stored it' }), revoke: page.getByRole('button', { name: 'Revoke Clark County JMS' }) },
    });
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await expect(page.getByText(apiKey).count()).resolves.toBe(0);

    // The sign-in is now more than 15 minutes old: the revocation asks for the password first.
    await env.api.db.read((sql) => sql.query(`UPDATE sessions SET authenticated_at = now() - interval '16 minutes' WHERE user_id = $1`, [world.users.admin.id]));
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Revoke Clark County JMS' }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
    await dialog.waitFor();
    await dialog.getByLabel('Your password').fill('wrong password here');
    await dialog.getByRole('button', { name: 'Confirm and continue' }).click();
    await dialog.getByText(/not right/).waitFor();
    await widths(page, '12-reauthenticate', {
      controls: { password: dialog.getByLabel('Your password'), confirm: dialog.getByRole('button', { name: 'Confirm and continue' }), cancel: dialog.getByRole('button', { name: 'Cancel' }) },
    });
    await dialog.getByLabel('Your password').fill(TEST_PASSWORD);
    await dialog.getByRole('button', { name: 'Confirm and continue' }).click();
    await page.getByText('Revoked "Clark County JMS".').waitFor();
    expect((await env.api.http.get('/api/v1/me').set('X-Api-Key', apiKey)).status).toBe(401);
  });

  step('registers a webhook (secret shown once), sees its deliveries with status and error, and retries a failed one', async () => {
    const { page } = admin;
    await section('Webhooks', 'Webhooks');
    await page.locator('#nw-agencyId').selectOption({ label: `${world.agencies.king.name} (${world.agencies.king.ori})` });
    await page.locator('#nw-url').fill('http://127.0.0.1:9/king-jms');
    await page.getByRole('button', { name: 'Register webhook' }).click();
    const secret = (await page.getByLabel('Signing secret for http://127.0.0.1:9/king-jms').textContent())!.trim();
    expect(secret.length).toBeGreaterThan(20);
    await page.getByRole('button', { name: 'I have stored it' }).click();
    const hookId = (await env.api.db.read((sql) => sql.one<{ id: string }>(`SELECT id FROM webhooks WHERE url = 'http://127.0.0.1:9/king-jms'`)))!.id;
    // a reminder to the agency whose delivery to the webhook failed for good
    const officer = await tokenFor(env.api.http, world.users.officerSea.username);
    const detainer = (await env.api.http.post('/api/v1/detainers').set('Authorization', `Bearer ${officer}`).send(i247aBody(world.facilities.kingJail.id))).body as { id: string };
    await env.api.db.transaction(async (sql) => {
      const reminder = await sql.one<{ id: string }>('SELECT id FROM reminders WHERE detainer_id = $1 ORDER BY due_at LIMIT 1', [detainer.id]);
      const deliveries = env.api.app.get(DeliveryRepository);
      const [d] = await deliveries.insertMissing(sql, reminder!.id, [{ channel: 'webhook', recipient: hookId, address: 'http://127.0.0.1:9/king-jms' }], new Date());
      await deliveries.recordFailure(sql, d.id, 'connect ECONNREFUSED 127.0.0.1:9', true, new Date());
    });
    await page.getByRole('button', { name: 'Recent deliveries to http://127.0.0.1:9/king-jms' }).click();
    await page.getByRole('row', { name: /failed.*ECONNREFUSED/ }).waitFor();
    await widths(page, '12b-webhook-deliveries', {
      controls: { deliveries: page.getByRole('button', { name: 'Recent deliveries to http://127.0.0.1:9/king-jms' }), retry: page.getByRole('button', { name: /^Retry the delivery/ }) },
    });
    await page.getByRole('button', { name: /^Retry the delivery/ }).click();
    await page.getByText('Queued again: it is sent with a fresh set of attempts.').waitFor();
    await page.getByRole('row', { name: /pending/ }).waitFor();
  });

  step('ends a policy; the published week it covered is re-rolled into a new version without it', async () => {
    const { page } = admin;
    const rollUpMarkedWeeks = env.api.app.get(RollUpMarkedWeeks);
    const before = (await env.api.http.get(`/api/v1/reports/weekly/${week}`)).body as { version: number };
    await section('Jurisdictions & policies', 'Jurisdictions and policies');
    await page.getByLabel('Search by name, code, FIPS').fill('53033');
    await page.getByRole('link', { name: 'King County' }).click();
    await page.getByRole('heading', { level: 1, name: 'King County, WA' }).waitFor();
    await page.getByRole('button', { name: 'Correct or end King County Code 2.15.010' }).click();
    await page.locator('#ep-effectiveTo').fill('2019-12-31');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.locator('#ep-effectiveTo-error').waitFor();
    await page.locator('#ep-effectiveTo').fill('2024-12-31');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByText(/Saved King County Code 2\.15\.010, in force until 2024-12-31\. Published weeks re-rolled/).waitFor();
    await page.getByRole('link', { name: `week of ${week}` }).waitFor();
    await widths(page, '13-policy-ended', {
      controls: { week: page.getByRole('link', { name: `week of ${week}` }), correct: page.getByRole('button', { name: 'Correct or end King County Code 2.15.010' }) },
    });
    // and records a Public Safety Partnership certification on the same page
    await page.locator('#nc-kind').selectOption('release_notice_48h');
    await page.locator('#nc-certifiedOn').fill('2026-10-01');
    await page.locator('#nc-expiresOn').fill('2026-09-01');
    await page.locator('#nc-source').fill("Sheriff's letter to the field office");
    await page.getByRole('button', { name: 'Record certification' }).click();
    await page.locator('#nc-expiresOn-error').waitFor();
    await page.locator('#nc-expiresOn').fill('2027-09-30');
    await page.getByRole('button', { name: 'Record certification' }).click();
    await page.getByRole('row', { name: /48 hours' notice of release.*2026-10-01.*2027-09-30/ }).waitFor();
    // what the worker's re-roll job does every few minutes
    expect(await rollUpMarkedWeeks.execute()).toEqual([week]);
    await page.getByRole('link', { name: `week of ${week}` }).click();
    await page.getByText(`Version ${before.version + 1}`).first().waitFor();
    await page.getByText(`Version ${before.version + 1} published automatically.`).waitFor();
    await widths(page, '14-week-re-rolled');
    const policy = (await env.api.http.get(`/api/v1/jurisdictions/${world.jurisdictions.king.id}/policies`).set('Authorization', `Bearer ${await tokenFor(env.api.http, 'admin')}`)).body[0];
    expect(policy).toMatchObject({ id: policyId, effectiveTo: '2024-12-31' });
  });

  step('opens the queue dashboard in a new tab, pauses a queue there, and finds that in the audit log', async () => {
    const { page } = admin;
    await section('Queue dashboard', 'Queue dashboard');
    await widths(page, '15-queue-dashboard-page', { controls: { open: page.getByRole('button', { name: 'Open the queue dashboard' }) } });
    const [tab] = await Promise.all([browser.context.waitForEvent('page'), page.getByRole('button', { name: 'Open the queue dashboard' }).click()]);
    dashboard = { page: tab };
    await tab.waitForURL(/\/admin\/queues\/?$/);
    await tab.getByText('reports').first().waitFor();
    await screenshot(tab, SUITE, '16-bull-board');
    // The dashboard's own "pause" button sends this request; the cookie from the ticket is the only credential.
    const status = await tab.evaluate(async () => (await fetch('/admin/queues/api/queues/reports/pause', { method: 'PUT' })).status);
    expect(status).toBe(200);
    expect(await tab.evaluate(async () => (await fetch('/admin/queues/api/queues/reports/resume', { method: 'PUT' })).status)).toBe(200);
    await tab.close();
    dashboard = undefined;

    await section('Audit log', 'Audit log');
    await page.locator('#au-action').fill('queues.pause');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/action=queues\.pause/);
    await page.getByRole('row', { name: /admin.*queues\.pause.*queues reports.*success 200/ }).waitFor();
    // The log is a wide table: on a phone it scrolls inside its box, its first column (when) on screen.
    await widths(page, '17-audit-log', {
      controls: { apply: page.getByRole('button', { name: 'Apply filters' }), export: page.getByRole('button', { name: 'Export CSV' }), when: page.getByRole('row', { name: /queues\.pause/ }).locator('td').first() },
    });
    // that view of the log is itself in the log
    const token = await tokenFor(env.api.http, 'admin');
    const reads = await env.api.http.get('/api/v1/audit?category=audit_read&limit=10').set('Authorization', `Bearer ${token}`);
    expect(reads.body.items.map((e: { action: string }) => e.action)).toContain('GET /api/v1/audit');
    expect(admin.problems).toEqual([]);
    expect(jail?.problems ?? []).toEqual([]);
  });
});
