import { MINUTE, QueueItemJson, QueueWorld } from './queues.helpers';

/** Keyset paging while items change between pages, and who sees which queue items. */
describe('compliance queues: paging and scope (e2e)', () => {
  let w: QueueWorld;

  beforeAll(async () => {
    w = await QueueWorld.start();
  });
  afterAll(() => w.close());

  const page = async (user: string, queue: string, query: Record<string, string>) => {
    const res = await w.get(user, `/api/v1/queues/${queue}?${new URLSearchParams(query).toString()}`);
    expect(res.status).toBe(200);
    return res.body as { items: QueueItemJson[]; nextCursor: string | null };
  };

  describe('paging', () => {
    it('no duplicates and no gaps while items leave, enter and change between pages', async () => {
      const facility = await w.addFacility('King County Paging Annex');
      const f = facility.id;
      // 14 detainers: three groups issued at the same instant (ties across page boundaries), the rest apart
      w.clock.set('2027-05-01T10:00:00Z');
      const issued: string[] = [];
      for (let i = 0; i < 14; i += 1) {
        if (i % 5 !== 0) w.clock.advance(7 * MINUTE);
        issued.push((await w.issue(f)).id);
      }
      // two more, an hour later: not overdue yet when the walk starts
      w.clock.set('2027-05-01T13:00:00Z');
      const late = [(await w.issue(f)).id, (await w.issue(f)).id];

      w.clock.set('2027-05-02T12:30:00Z');
      const expectedAtStart = await w.ids('supervisorSea', 'unacknowledged', { facilityId: f });
      expect(expectedAtStart.sort()).toEqual([...issued].sort());

      const seen: QueueItemJson[] = [];
      let p = await page('supervisorSea', 'unacknowledged', { facilityId: f, limit: '4' });
      seen.push(...p.items);
      const firstPage = p.items.map((i) => i.detainerId);
      const notYetSeen = expectedAtStart.filter((id) => !firstPage.includes(id));

      // between pages: one seen item and one unseen item are acknowledged (they leave), one unseen item
      // is claimed (it changes), a new detainer is issued (overdue only tomorrow) and time passes so
      // that the two late ones become overdue (they enter, due after everything else)
      await w.act('jailKing', firstPage[1], 'acknowledge', { response: 'will_comply' });
      const leaves = notYetSeen[3];
      await w.act('jailKing', leaves, 'acknowledge', { response: 'will_comply' });
      const claimed = notYetSeen[5];
      expect((await w.post('supervisorSea', `/api/v1/queues/unacknowledged/items/${claimed}/claim`)).status).toBe(200);
      const fresh = (await w.issue(f)).id;
      w.clock.set('2027-05-02T13:30:00Z');

      while (p.nextCursor) {
        p = await page('supervisorSea', 'unacknowledged', { facilityId: f, limit: '4', cursor: p.nextCursor });
        seen.push(...p.items);
        // keep changing things while the walk goes on
        const next = p.items[p.items.length - 1];
        if (next) await w.act('jailKing', next.detainerId, 'acknowledge', { response: 'will_comply' }).catch(() => undefined);
      }

      const ids = seen.map((i) => i.detainerId);
      expect(new Set(ids).size).toBe(ids.length); // no duplicates
      const mustAppear = [...expectedAtStart.filter((id) => id !== leaves), ...late];
      expect([...ids].sort()).toEqual([...mustAppear].sort()); // no gaps, entrants included, the leaver not
      expect(ids).not.toContain(fresh);
      expect(ids.slice(-2).sort()).toEqual([...late].sort()); // entrants sort after everything seen before
      const keys = seen.map((i) => `${i.dueAt}|${i.detainerId}`);
      expect([...keys].sort()).toEqual(keys); // one ascending order across pages
      expect(seen.find((i) => i.detainerId === claimed)?.claim?.holder.username).toBe('supervisor.sea');
    });

    it('the last page has no cursor; limit 1 walks every item once', async () => {
      const facility = await w.addFacility('King County Single File');
      w.clock.set('2027-06-01T10:00:00Z');
      const ids = [(await w.issue(facility.id)).id, (await w.issue(facility.id)).id, (await w.issue(facility.id)).id];
      w.clock.set('2027-06-03T10:00:00Z');
      const walked: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const p = await page('supervisorSea', 'unacknowledged', { facilityId: facility.id, limit: '1', ...(cursor ? { cursor } : {}) });
        walked.push(...p.items.map((i) => i.detainerId));
        cursor = p.nextCursor;
        pages += 1;
      } while (cursor);
      expect(pages).toBe(3);
      expect(walked).toEqual([...ids].sort());
    });
  });

  describe('scope', () => {
    it("a supervisor sees only their AOR's items; other AORs' supervisors see none of them; jail staff and analysts have no queues", async () => {
      w.clock.set('2027-07-01T10:00:00Z');
      const sea = await w.issue(w.world.facilities.kingJail.id);
      const chi = await w.issue(w.world.facilities.cookJail.id, { warrant: { form: 'I-200', number: 'CHI-1' } }, 'officerChi');
      w.clock.set('2027-07-02T11:00:00Z');

      const seaIds = await w.ids('supervisorSea', 'unacknowledged');
      const chiIds = await w.ids('supervisorChi', 'unacknowledged');
      expect(seaIds).toContain(sea.id);
      expect(seaIds).not.toContain(chi.id);
      expect(chiIds).toContain(chi.id);
      expect(chiIds).not.toContain(sea.id);
      expect(await w.ids('officerPhi', 'unacknowledged')).toEqual([]);
      const admin = await w.ids('admin', 'unacknowledged');
      expect(admin).toEqual(expect.arrayContaining([sea.id, chi.id]));

      // counts agree with the lists, per caller
      for (const user of ['supervisorSea', 'supervisorChi', 'officerPhi', 'admin']) {
        const summary = await w.get(user, '/api/v1/queues');
        expect(summary.status).toBe(200);
        const unack = summary.body.find((q: { name: string }) => q.name === 'unacknowledged');
        expect(unack.count).toBe((await w.ids(user, 'unacknowledged')).length);
      }

      for (const user of ['jailKing', 'analyst']) {
        expect((await w.get(user, '/api/v1/queues')).status).toBe(403);
        expect((await w.get(user, '/api/v1/queues/unacknowledged')).status).toBe(403);
      }
      expect((await w.api.http.get('/api/v1/queues')).status).toBe(401);
    });

    it('a detainer moved to another AOR is in both AORs’ queues: the issuing office and the one holding the person', async () => {
      w.clock.set('2027-08-01T10:00:00Z');
      const d = await w.issue(w.world.facilities.kingJail.id);
      await w.act('jailKing', d.id, 'acknowledge', { response: 'will_comply' });
      await w.act('jailKing', d.id, 'release', { at: w.at(0), destination: 'other_agency', toFacilityId: w.world.facilities.cookJail.id });
      w.clock.set('2027-08-02T11:00:00Z');

      const asSea = (await w.all('supervisorSea', 'unacknowledged')).find((i) => i.detainerId === d.id);
      const asChi = (await w.all('supervisorChi', 'unacknowledged')).find((i) => i.detainerId === d.id);
      for (const item of [asSea, asChi]) {
        expect(item).toMatchObject({
          area: { code: 'CHI' },
          issuingArea: { code: 'SEA' },
          facility: { id: w.world.facilities.cookJail.id },
          timeZone: 'America/Chicago',
          dueAt: '2027-08-02T10:00:00.000Z',
          localTime: '2027-08-02T05:00:00-05:00',
        });
      }
      expect(await w.ids('officerPhi', 'unacknowledged')).not.toContain(d.id);
      // filtered by the AOR's own facility or the other's, both sides answer
      expect(await w.ids('supervisorSea', 'unacknowledged', { facilityId: w.world.facilities.cookJail.id })).toContain(d.id);
      expect(await w.ids('supervisorChi', 'unacknowledged', { type: 'I-247A', agencyId: w.world.agencies.cook.id })).toContain(d.id);

      // Chicago's jail refuses and releases: a decline without outcome, in both AORs' queue
      await w.act('jailCook', d.id, 'acknowledge', { response: 'will_not_comply', reason: 'ordinance' });
      await w.act('jailCook', d.id, 'release', { at: w.at(0), destination: 'community' });
      for (const user of ['supervisorSea', 'supervisorChi', 'admin']) {
        expect(await w.ids(user, 'decline_no_outcome')).toContain(d.id);
      }
      expect(await w.ids('officerPhi', 'decline_no_outcome')).not.toContain(d.id);
      // a supervisor of either AOR can claim it
      expect((await w.post('supervisorChi', `/api/v1/queues/decline_no_outcome/items/${d.id}/claim`)).status).toBe(200);
      const held = (await w.all('supervisorSea', 'decline_no_outcome')).find((i) => i.detainerId === d.id);
      expect(held?.claim?.holder.username).toBe('supervisor.chi');
    });
  });
});
