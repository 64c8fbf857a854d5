import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { buildWorld, i247aBody, TEST_PASSWORD, tokensFor, UserKey, World } from '@app/testing';
import { Browser, BrowserApi, launchBrowser, openPage, resetArtifacts, screenshot, signInByKeyboard, startBrowserApi } from './harness';

const SUITE = 'custody-upload';
const HEADER = 'eventId,kind,at,bookingNumber,facilityId,destination,toFacilityId,releaseAt,aNumber,fbiNumber,stateId';

/**
 * Jail staff without an integration upload their custody events as CSV: the page previews what would
 * happen to each row (nothing written), then applies them; a bad file names the row and column.
 */
describe('web app: custody event upload (browser)', () => {
  let env: BrowserApi;
  let browser: Browser;
  let world: World;
  let tokens: Record<UserKey, string>;
  let tab: { page: Page; problems: string[] };
  let detainerId: string;
  const dir = mkdtempSync(path.join(tmpdir(), 'custody-upload-'));
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const as = (user: UserKey) => ({
    post: (url: string, body: object = {}) => env.api.http.post(url).set('Authorization', `Bearer ${tokens[user]}`).send(body),
    get: (url: string) => env.api.http.get(url).set('Authorization', `Bearer ${tokens[user]}`),
  });

  beforeAll(async () => {
    resetArtifacts(SUITE);
    env = await startBrowserApi();
    world = await buildWorld(env.api.app);
    tokens = await tokensFor(env.api.http, world);
    const issued = await as('officerSea').post('/api/v1/detainers', i247aBody(world.facilities.kingJail.id, { bookingNumber: 'KC-77' }));
    expect(issued.status).toBe(201);
    detainerId = issued.body.id;
    expect((await as('jailKing').post(`/api/v1/detainers/${detainerId}/acknowledge`, { response: 'will_comply' })).status).toBe(200);
    browser = await launchBrowser();
    tab = await openPage(browser);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await env?.api.close();
  });

  it('previews each row without writing, then applies; a resent file changes nothing', async () => {
    const { page } = tab;
    await signInByKeyboard(page, env.baseUrl, world.users.jailKing.username, TEST_PASSWORD);
    await page.getByRole('link', { name: 'Upload custody events' }).click();
    await page.getByRole('heading', { level: 1, name: 'Upload custody events' }).waitFor();

    const releaseAt = new Date(Date.now() + 96 * 3_600_000).toISOString();
    const now = new Date().toISOString();
    await page.getByLabel('CSV file').setInputFiles(file('events.csv', `${HEADER}\njms-1,release_scheduled,${now},KC-77,,,,${releaseAt},,,\njms-2,released,${now},KC-NOPE,,,,,,,\n`));
    await page.getByRole('button', { name: 'Preview' }).click();
    const table = page.locator('table.custody-results');
    await table.waitFor();
    await expect(page.getByRole('status').filter({ hasText: 'Preview' }).textContent()).resolves.toContain('nothing has been written yet');
    await expect(table.locator('tbody tr').nth(0).textContent()).resolves.toContain('Will be applied');
    await expect(table.locator('tbody tr').nth(1).textContent()).resolves.toContain('No open request');
    await screenshot(page, SUITE, '01-preview');
    expect((await as('jailKing').get(`/api/v1/detainers/${detainerId}`)).body.status).toBe('acknowledged');

    await page.getByRole('button', { name: 'Apply 2 events' }).click();
    await page.getByRole('status').filter({ hasText: 'Applied.' }).waitFor();
    await expect(table.locator('tbody tr').nth(0).textContent()).resolves.toContain('Applied');
    await screenshot(page, SUITE, '02-applied');
    expect((await as('jailKing').get(`/api/v1/detainers/${detainerId}`)).body).toMatchObject({ status: 'release_scheduled', releaseAt });

    // the same file again: already received, nothing changes
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByRole('status').filter({ hasText: 'Preview' }).waitFor();
    await expect(table.locator('tbody').textContent()).resolves.toMatch(/Already received.*Already received/);
    await page.getByRole('button', { name: 'Apply 2 events' }).click();
    await page.getByRole('status').filter({ hasText: 'Applied.' }).waitFor();
    await expect(table.locator('tbody').textContent()).resolves.toMatch(/Already received.*Already received/);
    expect((await as('jailKing').get(`/api/v1/detainers/${detainerId}`)).body.version).toBe(3);

    await table.locator('tbody tr').nth(0).getByRole('link', { name: 'Open the detainer' }).click();
    await page.waitForURL(`**/detainers/${detainerId}`);
    expect(tab.problems).toEqual([]);
  });

  it('a bad file names the row and the column, and nothing is applied', async () => {
    const { page } = tab;
    await page.getByRole('link', { name: 'Upload custody events' }).click();
    await page.getByRole('heading', { level: 1, name: 'Upload custody events' }).waitFor();
    await page.getByLabel('CSV file').setInputFiles(file('bad.csv', `${HEADER}\njms-9,escaped,${new Date().toISOString()},KC-77,,,,,,,\n`));
    await page.getByRole('button', { name: 'Preview' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain('rows[1].kind');
    await expect(page.getByRole('button', { name: /^Apply/ }).count()).resolves.toBe(0);
    await screenshot(page, SUITE, '03-bad-file');
  });
});
