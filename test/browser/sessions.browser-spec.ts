import jwt from 'jsonwebtoken';
import type { Page } from 'playwright-core';
import { totpCodeAt } from '@app/application';
import { buildWorld, TEST_PASSWORD, World } from '@app/testing';
import { Browser, BrowserApi, launchBrowser, openPage, resetArtifacts, screenshot, signInByKeyboard, startBrowserApi } from './harness';

const SUITE = 'sessions';

/**
 * Sign-in as the security rules shape it, in Chromium against the real API: a role that must use a
 * second factor enrols before anything else; an expired access token is refreshed while the session
 * lives; a session the server ended sends the tab to sign-in (with the code) and back; signing out
 * ends the session on the server.
 */
describe('web app: sign-in, second factor and sessions (browser)', () => {
  let env: BrowserApi;
  let browser: Browser;
  let world: World;
  let tab: { page: Page; problems: string[] };
  let secret = '';

  const stored = (page: Page) => page.evaluate(() => JSON.parse(sessionStorage.getItem('dw.session') ?? 'null') as { token: string } | null);

  beforeAll(async () => {
    resetArtifacts(SUITE);
    env = await startBrowserApi({ MFA_REQUIRED_ROLES: 'supervisor' });
    world = await buildWorld(env.api.app);
    browser = await launchBrowser();
    tab = await openPage(browser);
  });
  afterAll(async () => {
    await browser?.close();
    await env?.api.close();
  });

  it('a supervisor whose role needs a second factor sets up an authenticator app before anything else', async () => {
    const { page } = tab;
    await signInByKeyboard(page, env.baseUrl, world.users.supervisorSea.username, TEST_PASSWORD);
    await page.getByRole('heading', { level: 1, name: 'Set up a second factor' }).waitFor();
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    secret = (await page.getByLabel('Key').textContent())!.replace(/\s+/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await expect(page.getByRole('link', { name: 'open it in the authenticator app' }).getAttribute('href')).resolves.toMatch(/^otpauth:\/\/totp\//);
    const qr = page.getByRole('img', { name: 'QR code of the key, for an authenticator app to scan' });
    await expect(qr.getAttribute('src')).resolves.toMatch(/^data:image\/svg\+xml/);
    await expect(qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).resolves.toBe(true);
    await screenshot(page, SUITE, '01-enrol-second-factor');
    await page.getByLabel('Code from your authenticator app').fill(totpCodeAt(secret, new Date()));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('heading', { level: 1, name: 'Compliance queues' }).waitFor();
    await page.getByRole('link', { name: 'Detainers', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Detainers' }).waitFor();
    await expect(page.getByLabel('Signed in').textContent()).resolves.toMatch(/supervisor\.sea.*Supervisor.*Seattle AOR \(SEA\)/);
  });

  it('an expired access token is refreshed without asking, while the session lives', async () => {
    const { page } = tab;
    const current = (await stored(page))!;
    const claims = jwt.decode(current.token) as { sub: string; sid: string; role: string };
    const now = Math.floor(Date.now() / 1000);
    const { secret: key, audience, issuer } = env.api.config.jwt;
    const payload: jwt.JwtPayload = { sub: claims.sub, sid: claims.sid, role: claims.role, iat: now - 1000, exp: now - 5 };
    const expired = jwt.sign(payload, key, { algorithm: 'HS256', audience, issuer });
    expect((await env.api.http.get('/api/v1/me').set('Authorization', `Bearer ${expired}`)).status).toBe(401);
    await page.evaluate((token) => {
      const s = JSON.parse(sessionStorage.getItem('dw.session')!);
      sessionStorage.setItem('dw.session', JSON.stringify({ ...s, token }));
    }, expired);
    await page.reload();
    await page.locator('.results[aria-busy="false"]').waitFor();
    await expect(page.locator('.results').getByRole('alert').count()).resolves.toBe(0);
    await expect(page.getByRole('heading', { level: 1, name: 'Detainers' }).isVisible()).resolves.toBe(true);
    const renewed = (await stored(page))!.token;
    expect(renewed).not.toBe(expired);
    expect((await env.api.http.get('/api/v1/me').set('Authorization', `Bearer ${renewed}`)).status).toBe(200);
  });

  it('a session the server ended sends the tab to sign-in, asks for the code, and returns to the same page', async () => {
    const { page } = tab;
    await page.getByLabel('Status').selectOption('issued');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/\/detainers\?status=issued$/);
    const token = (await stored(page))!.token;
    expect((await env.api.http.post('/api/v1/auth/logout').set('Authorization', `Bearer ${token}`)).status).toBe(204);

    await page.getByLabel('Status').selectOption('held');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('Your session has ended. Sign in again to continue.').waitFor();
    expect(decodeURIComponent(page.url())).toContain('/signin?next=/detainers?status=held');
    await page.getByLabel('Username').fill(world.users.supervisorSea.username);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('enter the 6-digit code from your authenticator app').waitFor();
    await screenshot(page, SUITE, '02-sign-in-asks-for-code');
    // The enrolment used this 30-second step's code; a code is never accepted twice, so take the next step's.
    await page.getByLabel('Code from your authenticator app').fill(totpCodeAt(secret, new Date(Date.now() + 30_000)));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/detainers\?status=held$/);
    await expect(page.getByLabel('Status').inputValue()).resolves.toBe('held');
  });

  it('signing out ends the session on the server too', async () => {
    const { page } = tab;
    const token = (await stored(page))!.token;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You have signed out.').waitFor();
    await expect(stored(page)).resolves.toBeNull();
    // The tab forgets the session at once and tells the server right after.
    let status = 0;
    for (let i = 0; i < 50 && status !== 401; i++) {
      status = (await env.api.http.get('/api/v1/me').set('Authorization', `Bearer ${token}`)).status;
      if (status !== 401) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(401);
  });

  it('no page logged an error or threw', () => {
    expect(tab.problems).toEqual([]);
  });
});
