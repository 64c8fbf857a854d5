import type { Page } from 'playwright-core';
import { buildWorld, i247aBody, TEST_PASSWORD, tokenFor, World } from '@app/testing';
import { Browser, BrowserApi, launchBrowser, openPage, resetArtifacts, screenshot, signInByKeyboard, startBrowserApi, stepWithScreenshots } from './harness';

const SUITE = 'reference-edits';

/**
 * The console's edit forms in Chromium against the real API: an admin corrects an agency's ORI (an
 * ORI of another state is refused next to the field, the form stays filled) and renames a facility
 * (moving one detainers were lodged with to another AOR is refused next to the field).
 */
describe('web app: editing reference data in the admin console (browser)', () => {
  let env: BrowserApi;
  let browser: Browser;
  let world: World;
  let admin: { page: Page; problems: string[] };
  const step = stepWithScreenshots(SUITE, () => ({ admin }));
  const section = async (label: string, heading: string) => {
    if (!new URL(admin.page.url()).pathname.startsWith('/console')) {
      await admin.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    }
    await admin.page.getByRole('navigation', { name: 'Admin console' }).getByRole('link', { name: label }).click();
    await admin.page.getByRole('heading', { level: 1, name: heading }).waitFor();
  };
  const asAdmin = async <T>(path: string) => {
    const token = await tokenFor(env.api.http, 'admin');
    return (await env.api.http.get(path).set('Authorization', `Bearer ${token}`).expect(200)).body as T;
  };

  beforeAll(async () => {
    resetArtifacts(SUITE);
    env = await startBrowserApi();
    world = await buildWorld(env.api.app);
    // a detainer lodged with the King County jail: its AOR stays
    const officer = await tokenFor(env.api.http, world.users.officerSea.username);
    expect((await env.api.http.post('/api/v1/detainers').set('Authorization', `Bearer ${officer}`).send(i247aBody(world.facilities.kingJail.id))).status).toBe(201);
    browser = await launchBrowser();
    admin = await openPage(browser);
    await signInByKeyboard(admin.page, env.baseUrl, 'admin', TEST_PASSWORD);
  });
  afterAll(async () => {
    await browser?.close();
    await env?.api.close();
  });

  step("corrects an agency's ORI; one of another state is refused next to the field and the form stays filled", async () => {
    const { page } = admin;
    await section('Agencies', 'Agencies');
    await page.getByRole('button', { name: `Edit ${world.agencies.snohomish.name} (${world.agencies.snohomish.ori})` }).click();
    await expect(page.locator('#eg-ori').inputValue()).resolves.toBe('WA0310000');
    await page.locator('#eg-ori').fill('IL0310000');
    await page.locator('#eg-name').fill('Snohomish County Sheriff\'s Office');
    await page.getByRole('button', { name: 'Save agency' }).click();
    await page.locator('#eg-ori-error').waitFor();
    await expect(page.locator('#eg-ori-error').textContent()).resolves.toMatch(/WA/);
    await expect(page.locator('#eg-name').inputValue()).resolves.toBe('Snohomish County Sheriff\'s Office');
    await screenshot(page, SUITE, '01-agency-ori-refused');
    await page.locator('#eg-ori').fill('WA0310100');
    await page.getByRole('button', { name: 'Save agency' }).click();
    await page.getByText("Saved Snohomish County Sheriff's Office (WA0310100).").waitFor();
    await page.getByRole('cell', { name: 'WA0310100', exact: true }).waitFor();
    await screenshot(page, SUITE, '02-agency-saved');
    expect(await asAdmin<{ ori: string; name: string }>(`/api/v1/agencies/${world.agencies.snohomish.id}`)).toMatchObject({ ori: 'WA0310100', name: "Snohomish County Sheriff's Office" });
  });

  step("renames a facility; moving one detainers were lodged with to another AOR is refused next to the field", async () => {
    const { page } = admin;
    await section('Facilities', 'Facilities');
    await page.getByRole('button', { name: `Edit ${world.facilities.kingJail.name}, WA` }).click();
    await page.locator('#ef-name').fill('King County Jail, Seattle');
    await page.locator('#ef-areaId').selectOption({ label: `${world.areas.CHI.name} (CHI)` });
    await page.getByRole('button', { name: 'Save facility' }).click();
    await page.locator('#ef-areaId-error').waitFor();
    await expect(page.locator('#ef-areaId-error').textContent()).resolves.toMatch(/lodged/);
    await expect(page.locator('#ef-name').inputValue()).resolves.toBe('King County Jail, Seattle');
    await screenshot(page, SUITE, '03-facility-move-refused');
    await page.locator('#ef-areaId').selectOption({ label: `${world.areas.SEA.name} (SEA)` });
    await page.getByRole('button', { name: 'Save facility' }).click();
    await page.getByText('Saved King County Jail, Seattle.').waitFor();
    await page.getByRole('cell', { name: 'King County Jail, Seattle', exact: true }).waitFor();
    await screenshot(page, SUITE, '04-facility-saved');
    expect(await asAdmin<{ name: string; areaId: string }>(`/api/v1/facilities/${world.facilities.kingJail.id}`)).toMatchObject({ name: 'King County Jail, Seattle', areaId: world.areas.SEA.id });
  });
});
