import { IssueDetainer } from '@app/application';
import { asPrincipal, asSuperuser, buildWorld, i247aBody, principalOf, startTestApi } from '@test/support';

/**
 * Every suite's API, when it closes, checks that each detainer's stored contributions equal a replay
 * of its events (so every detainer any suite makes is checked). The check must catch a difference.
 */
describe('the check every suite runs when its API closes', () => {
  it('fails, naming the contribution, when a stored contribution differs from the replay; passes when they agree', async () => {
    const api = await startTestApi();
    const world = await buildWorld(api.app);
    const officer = principalOf(world, 'officerSea');
    const { id } = await asPrincipal(officer, () => api.app.get(IssueDetainer).execute(officer, i247aBody(world.facilities.kingJail.id) as never, { requestId: null }));
    await asSuperuser(api.database, (c) => c.query(`UPDATE detainer_contributions SET disputed = NOT disputed WHERE detainer_id = $1 AND measure = 'issued'`, [id]));
    await expect(api.close()).rejects.toThrow(new RegExp(`stored contributions differ from a replay[\\s\\S]*issued\\|${id}`));

    const clean = await startTestApi();
    const cleanWorld = await buildWorld(clean.app);
    const cleanOfficer = principalOf(cleanWorld, 'officerSea');
    await asPrincipal(cleanOfficer, () =>
      clean.app.get(IssueDetainer).execute(cleanOfficer, i247aBody(cleanWorld.facilities.kingJail.id) as never, { requestId: null }),
    );
    await expect(clean.close()).resolves.toBeUndefined();
  });
});
