import { DeliveryRepository } from '@app/persistence';
import { HOUR, MINUTE, QueueWorld } from './queues.helpers';

/**
 * Queue membership at its boundaries, ordering, filters and acting from a queue, over HTTP against
 * the real database. The clock is the API's injected one; membership is computed as of it.
 */
describe('compliance queues: membership (e2e)', () => {
  let w: QueueWorld;

  beforeAll(async () => {
    w = await QueueWorld.start();
  });
  afterAll(() => w.close());

  const minutes = (m: number) => m * MINUTE;
  const acknowledged = async (facilityId = w.world.facilities.kingJail.id) => {
    const d = await w.issue(facilityId);
    w.clock.advance(minutes(10));
    await w.act('jailKing', d.id, 'acknowledge', { response: 'will_comply' });
    return d;
  };

  describe('unacknowledged (over 24 hours)', () => {
    it('enters at 24 h after issue, not at 23 h 59 m; shows the due time in the facility zone; leaves on acknowledgment', async () => {
      w.clock.set('2026-11-02T15:00:00Z');
      const d = await w.issue(w.world.facilities.kingJail.id);

      w.clock.set('2026-11-03T14:59:00Z'); // 23 h 59 m
      expect(await w.ids('supervisorSea', 'unacknowledged')).not.toContain(d.id);
      w.clock.set('2026-11-03T15:00:00Z'); // exactly 24 h: due now
      expect(await w.ids('supervisorSea', 'unacknowledged')).toContain(d.id);
      w.clock.set('2026-11-03T15:01:00Z'); // 24 h 01 m
      const items = await w.all('supervisorSea', 'unacknowledged');
      const item = items.find((i) => i.detainerId === d.id);
      expect(item).toMatchObject({
        queue: 'unacknowledged',
        status: 'issued',
        type: 'I-247A',
        version: 1,
        dueAt: '2026-11-03T15:00:00.000Z',
        localTime: '2026-11-03T07:00:00-08:00',
        timeZone: 'America/Los_Angeles',
        facility: { id: w.world.facilities.kingJail.id, timeZone: 'America/Los_Angeles' },
        area: { code: 'SEA' },
        issuingArea: { code: 'SEA' },
        lodgedAt: '2026-11-02T15:00:00.000Z',
        claim: null,
      });
      expect(item?.actions.map((a) => a.name)).toEqual(['claim', 'assign', 'plan_pickup', 'cancel']);

      await w.act('jailKing', d.id, 'acknowledge', { response: 'will_comply' });
      expect(await w.ids('supervisorSea', 'unacknowledged')).not.toContain(d.id);
    });

    it('a transfer restarts the clock at the receiving agency', async () => {
      w.clock.set('2026-11-10T15:00:00Z');
      const d = await acknowledged();
      w.clock.set('2026-11-12T15:00:00Z');
      await w.act('jailKing', d.id, 'release', { at: w.at(0), destination: 'other_agency', toFacilityId: w.world.facilities.snohomishJail.id });
      w.clock.set('2026-11-13T14:59:00Z');
      expect(await w.ids('supervisorSea', 'unacknowledged')).not.toContain(d.id);
      w.clock.set('2026-11-13T15:01:00Z');
      const item = (await w.all('supervisorSea', 'unacknowledged')).find((i) => i.detainerId === d.id);
      expect(item).toMatchObject({ dueAt: '2026-11-13T15:00:00.000Z', facility: { id: w.world.facilities.snohomishJail.id }, lodging: 2 });
    });

    it('a misdirected or cancelled detainer is not waiting for anyone', async () => {
      w.clock.set('2026-11-20T15:00:00Z');
      const misdirected = await w.issue(w.world.facilities.kingJail.id);
      const cancelled = await w.issue(w.world.facilities.kingJail.id);
      await w.act('jailKing', misdirected.id, 'not-in-custody', {});
      await w.act('officerSea', cancelled.id, 'cancel', { reason: 'lifted' });
      w.clock.set('2026-11-22T15:00:00Z');
      const ids = await w.ids('supervisorSea', 'unacknowledged');
      expect(ids).not.toContain(misdirected.id);
      expect(ids).not.toContain(cancelled.id);
    });
  });

  describe('release within 48 hours, no pickup planned; short notice', () => {
    it('47 h 59 m in, 48 h 01 m out until the clock catches up; a planned pickup takes it out', async () => {
      w.clock.set('2026-12-01T15:00:00Z');
      const near = await acknowledged();
      const far = await acknowledged();
      await w.act('jailKing', near.id, 'schedule-release', { releaseAt: new Date(w.clock.now().getTime() + 47 * HOUR + minutes(59)).toISOString() });
      await w.act('jailKing', far.id, 'schedule-release', { releaseAt: new Date(w.clock.now().getTime() + 48 * HOUR + minutes(1)).toISOString() });

      let ids = await w.ids('supervisorSea', 'release_soon_no_pickup');
      expect(ids).toContain(near.id);
      expect(ids).not.toContain(far.id);
      // short notice is about the notice given: 47:59 ahead is short, 48:01 is not, whatever the clock says later
      ids = await w.ids('supervisorSea', 'short_notice');
      expect(ids).toContain(near.id);
      expect(ids).not.toContain(far.id);

      w.clock.advance(minutes(2));
      expect(await w.ids('supervisorSea', 'release_soon_no_pickup')).toEqual(expect.arrayContaining([near.id, far.id]));
      expect(await w.ids('supervisorSea', 'short_notice')).not.toContain(far.id);

      // acting from the queue: follow the item's own plan_pickup action
      const item = (await w.all('officerSea', 'release_soon_no_pickup')).find((i) => i.detainerId === near.id)!;
      const planPickup = item.actions.find((a) => a.name === 'plan_pickup')!;
      expect(planPickup.path).toBe(`/api/v1/detainers/${near.id}/plan-pickup`);
      const res = await w.post('officerSea', planPickup.path, { at: w.at(47), expectedVersion: item.version });
      expect(res.status).toBe(200);
      expect(await w.ids('supervisorSea', 'release_soon_no_pickup')).not.toContain(near.id);
      expect(await w.ids('supervisorSea', 'short_notice')).not.toContain(near.id);
    });

    it('a reschedule beyond 48 hours takes the item out; a past release not yet recorded stays in, first', async () => {
      w.clock.set('2026-12-10T15:00:00Z');
      const moved = await acknowledged();
      const overdue = await acknowledged();
      const facility = w.world.facilities.kingJail.id;
      await w.act('jailKing', moved.id, 'schedule-release', { releaseAt: w.at(10) });
      await w.act('jailKing', overdue.id, 'schedule-release', { releaseAt: w.at(1) });
      expect(await w.ids('supervisorSea', 'release_soon_no_pickup', { facilityId: facility })).toEqual(expect.arrayContaining([moved.id, overdue.id]));
      await w.act('jailKing', moved.id, 'schedule-release', { releaseAt: w.at(72) });
      w.clock.advanceHours(3);
      const ids = await w.ids('supervisorSea', 'release_soon_no_pickup', { facilityId: facility });
      expect(ids).not.toContain(moved.id);
      expect(ids).toContain(overdue.id);
    });
  });

  describe('hold expiring within 12 hours', () => {
    it('11 h 59 m left is in, 12 h 01 m is out; a transfer to federal custody takes it out', async () => {
      w.clock.set('2027-01-05T15:00:00Z');
      const d = await acknowledged();
      const held = await w.act('jailKing', d.id, 'start-hold', { since: w.at(0) });
      expect(held.holdExpiresAt).toBe('2027-01-07T15:10:00.000Z');

      w.clock.set('2027-01-07T03:09:00Z'); // 12 h 01 m left
      expect(await w.ids('supervisorSea', 'hold_expiring')).not.toContain(d.id);
      w.clock.set('2027-01-07T03:11:00Z'); // 11 h 59 m left
      const item = (await w.all('supervisorSea', 'hold_expiring')).find((i) => i.detainerId === d.id);
      expect(item).toMatchObject({ dueAt: '2027-01-07T15:10:00.000Z', localTime: '2027-01-07T07:10:00-08:00', status: 'held' });
      expect(item?.actions.map((a) => a.name)).toEqual(['claim', 'assign', 'plan_pickup', 'transfer_to_ice']);

      // an expired hold with nothing recorded stays in the queue
      w.clock.set('2027-01-07T16:00:00Z');
      expect(await w.ids('supervisorSea', 'hold_expiring')).toContain(d.id);
      await w.act('officerSea', d.id, 'transfer-to-ice', { at: w.at(0) });
      expect(await w.ids('supervisorSea', 'hold_expiring')).not.toContain(d.id);
    });
  });

  describe('declines without an outcome', () => {
    it('a decline whose custody ended is in until an outcome is recorded; a refusal in custody and a missed pickup are not', async () => {
      w.clock.set('2027-02-01T15:00:00Z');
      const facility = await w.addFacility('King County Regional Justice Center');
      const declined = await w.issue(facility.id);
      const refusedInCustody = await w.issue(facility.id);
      const missedPickup = await w.issue(facility.id);
      w.clock.advanceHours(1);
      await w.act('jailKing', declined.id, 'acknowledge', { response: 'will_not_comply', reason: 'county policy' });
      await w.act('jailKing', refusedInCustody.id, 'refuse', { at: w.at(0), reason: 'county policy' });
      await w.act('jailKing', missedPickup.id, 'acknowledge', { response: 'will_comply' });
      await w.act('jailKing', missedPickup.id, 'schedule-release', { releaseAt: w.at(72) });
      w.clock.advanceHours(72);
      const releasedAt = w.clock.now().toISOString();
      await w.act('jailKing', declined.id, 'release', { at: releasedAt, destination: 'community' });
      // notified and held to the deadline, nobody came: a missed pickup, not a decline
      await w.act('jailKing', missedPickup.id, 'start-hold', { since: w.at(0) });
      w.clock.advanceHours(48);
      const missed = await w.act('jailKing', missedPickup.id, 'release', { at: w.at(0), destination: 'community' });
      expect(missed).toMatchObject({ declined: false, missedPickup: true });

      const items = await w.all('supervisorSea', 'decline_no_outcome', { facilityId: facility.id });
      expect(items.map((i) => i.detainerId)).toEqual([declined.id]);
      const item = items[0];
      expect(item).toMatchObject({ status: 'released', declineKind: 'refused', dueAt: releasedAt, timeZone: 'America/Los_Angeles' });
      expect(item.actions.map((a) => a.name)).toEqual(['claim', 'assign', 'record_outcome']);

      const outcome = item.actions.find((a) => a.name === 'record_outcome')!;
      expect((await w.post('officerSea', outcome.path, { kind: 'at_large', at: w.at(0) })).status).toBe(200);
      expect(await w.ids('supervisorSea', 'decline_no_outcome', { facilityId: facility.id })).toEqual([]);
    });

    it('honored releases never enter', async () => {
      w.clock.set('2027-02-10T15:00:00Z');
      const d = await acknowledged();
      await w.act('jailKing', d.id, 'transfer-to-ice', { at: w.at(0) });
      expect(await w.ids('supervisorSea', 'decline_no_outcome')).not.toContain(d.id);
    });
  });

  describe('disputes awaiting decision', () => {
    it('a citizenship claim is in from the moment it is made until a supervisor decides it', async () => {
      w.clock.set('2027-03-01T15:00:00Z');
      const d = await acknowledged();
      w.clock.advanceHours(1);
      const claimedAt = w.clock.now().toISOString();
      await w.act('jailKing', d.id, 'claim-citizenship', { note: 'birth certificate from El Paso' });
      const item = (await w.all('supervisorSea', 'disputes')).find((i) => i.detainerId === d.id);
      expect(item).toMatchObject({ status: 'disputed', identityClaim: 'citizenship', dueAt: claimedAt });
      expect(item?.actions.map((a) => a.name)).toEqual(['claim', 'assign', 'decide_identity_claim', 'cancel']);
      // an officer sees it too but the decision is a supervisor's
      const asOfficer = (await w.all('officerSea', 'disputes')).find((i) => i.detainerId === d.id);
      expect(asOfficer?.actions.map((a) => a.name)).toEqual(['claim', 'cancel']);

      const decide = item!.actions.find((a) => a.name === 'decide_identity_claim')!;
      expect((await w.post('supervisorSea', decide.path, { decision: 'rejected', note: 'no record of birth' })).status).toBe(200);
      expect(await w.ids('supervisorSea', 'disputes')).not.toContain(d.id);
    });
  });

  describe('disputes of records (an agency contests a record about it)', () => {
    it('an open record dispute is an item until a supervisor resolves it, with one resolve action per dispute', async () => {
      w.clock.set('2027-03-10T15:00:00Z');
      const facility = await w.addFacility('King County Dispute Annex');
      const d = await w.issue(facility.id);
      w.clock.advanceHours(1);
      await w.act('jailKing', d.id, 'acknowledge', { response: 'will_not_comply', reason: 'county policy' });
      await w.act('jailKing', d.id, 'release', { at: w.at(0), destination: 'community' });
      w.clock.advanceHours(2);
      const openedAt = w.clock.now().toISOString();
      const opened = await w.post('jailKing', `/api/v1/detainers/${d.id}/disputes`, { reason: 'We notified the office by phone; they declined to come.' });
      expect(opened.status).toBe(201);

      const items = await w.all('supervisorSea', 'disputes', { facilityId: facility.id });
      expect(items.map((i) => i.detainerId)).toEqual([d.id]);
      expect(items[0]).toMatchObject({
        status: 'released',
        dueAt: openedAt,
        localTime: '2027-03-10T10:00:00-08:00',
        disputes: [{ id: opened.body.id, lodging: 1, agency: { id: w.world.agencies.king.id }, reason: expect.stringContaining('phone'), openedAt, timeZone: 'America/Los_Angeles' }],
      });
      const actions = items[0].actions;
      expect(actions.map((a) => a.name)).toEqual(['claim', 'assign', 'resolve_dispute']);
      expect(actions[2]).toEqual({ name: 'resolve_dispute', method: 'POST', path: `/api/v1/disputes/${opened.body.id}/resolve`, disputeId: opened.body.id });
      // officers see it, but deciding is a supervisor's
      expect((await w.all('officerSea', 'disputes', { facilityId: facility.id }))[0]?.actions.map((a) => a.name)).toEqual(['claim']);
      // other AORs do not see it at all
      expect(await w.ids('supervisorChi', 'disputes')).not.toContain(d.id);

      const claimed = await w.post('supervisorSea', `/api/v1/queues/disputes/items/${d.id}/claim`);
      expect(claimed.status).toBe(200);
      expect(claimed.body.item).toMatchObject({ detainerId: d.id, claim: { holder: { username: 'supervisor.sea' } } });
      expect((await w.post('supervisorChi', `/api/v1/queues/disputes/items/${d.id}/claim`)).status).toBe(404);

      const resolved = await w.post('supervisorSea', actions[2].path, { decision: 'rejected', note: 'No record of a call.' });
      expect(resolved.status).toBe(200);
      expect(await w.ids('supervisorSea', 'disputes', { facilityId: facility.id })).toEqual([]);
    });

    it('a detainer with a claim and a record dispute open is one item, due at the earliest of them', async () => {
      w.clock.set('2027-03-20T15:00:00Z');
      const facility = await w.addFacility('King County Second Dispute Annex');
      const d = await w.issue(facility.id);
      w.clock.advanceHours(1);
      await w.act('jailKing', d.id, 'acknowledge', { response: 'will_comply' });
      const disputedAt = w.clock.now().toISOString();
      const opened = await w.post('jailKing', `/api/v1/detainers/${d.id}/disputes`, { reason: 'The booking number is not ours.' });
      expect(opened.status).toBe(201);
      w.clock.advanceHours(1);
      await w.act('jailKing', d.id, 'claim-citizenship', { note: 'U.S. passport shown' });

      const items = await w.all('supervisorSea', 'disputes', { facilityId: facility.id });
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ detainerId: d.id, status: 'disputed', identityClaim: 'citizenship', dueAt: disputedAt });
      expect(items[0].actions.map((a) => a.name)).toEqual(['claim', 'assign', 'decide_identity_claim', 'cancel', 'resolve_dispute']);
      const summary = await w.get('supervisorSea', `/api/v1/queues?facilityId=${facility.id}`);
      expect(summary.body.find((q: { name: string }) => q.name === 'disputes')).toMatchObject({ count: 1, oldestDueAt: disputedAt });

      // the record dispute is decided; the claim still awaits a decision: still in, due since the claim
      await w.post('supervisorSea', `/api/v1/disputes/${opened.body.id}/resolve`, { decision: 'rejected', note: 'It is.' });
      const [left] = await w.all('supervisorSea', 'disputes', { facilityId: facility.id });
      expect(left).toMatchObject({ dueAt: new Date(Date.parse(disputedAt) + HOUR).toISOString(), disputes: [] });
      expect(left.actions.map((a) => a.name)).toEqual(['claim', 'assign', 'decide_identity_claim', 'cancel']);
    });
  });

  describe('failed deliveries', () => {
    it('a reminder delivery that failed for good is an item of the issuing AOR until it is retried', async () => {
      w.clock.set('2027-03-25T15:00:00Z');
      const facility = await w.addFacility('King County Delivery Annex');
      const d = await w.issue(facility.id);
      // the outbox wrote this detainer's reminders; one of its e-mails fails after its last attempt
      w.clock.advanceHours(24);
      const failedAt = w.clock.now();
      const deliveryId = await w.api.db.transaction(async (sql) => {
        const reminder = await sql.one<{ id: string }>('SELECT id FROM reminders WHERE detainer_id = $1 ORDER BY due_at LIMIT 1', [d.id]);
        expect(reminder).not.toBeNull();
        const deliveries = w.api.app.get(DeliveryRepository);
        const [delivery] = await deliveries.insertMissing(sql, reminder!.id, [{ channel: 'email', recipient: w.world.users.supervisorSea.id, address: 'sea@example.test' }], failedAt);
        await deliveries.recordFailure(sql, delivery.id, 'SMTP 550 mailbox unavailable', true, failedAt);
        return delivery.id;
      });

      const items = await w.all('supervisorSea', 'failed_deliveries', { facilityId: facility.id });
      expect(items.map((i) => i.detainerId)).toEqual([d.id]);
      expect(items[0]).toMatchObject({
        dueAt: failedAt.toISOString(),
        timeZone: 'America/Los_Angeles',
        deliveries: [{ id: deliveryId, channel: 'email', address: 'sea@example.test', lastError: 'SMTP 550 mailbox unavailable', failedAt: failedAt.toISOString() }],
      });
      const retry = items[0].actions.find((a) => a.name === 'retry_delivery');
      expect(retry).toEqual({ name: 'retry_delivery', method: 'POST', path: `/api/v1/deliveries/${deliveryId}/retry`, deliveryId });
      expect(await w.ids('supervisorChi', 'failed_deliveries')).not.toContain(d.id);
      expect((await w.post('supervisorChi', retry!.path)).status).toBe(404);
      expect((await w.post('officerSea', retry!.path)).status).toBe(403);

      const res = await w.post('supervisorSea', retry!.path);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: deliveryId, status: 'pending', attempts: 0, failedAt: null });
      expect(await w.ids('supervisorSea', 'failed_deliveries', { facilityId: facility.id })).toEqual([]);
      // already retried: nothing to retry
      expect((await w.post('supervisorSea', retry!.path)).status).toBe(404);
    });
  });

  describe('ordering and filters', () => {
    it('earliest due first, ties broken by detainer id; filters by facility, agency, jurisdiction and type', async () => {
      w.clock.set('2027-04-01T15:00:00Z');
      const facility = await w.addFacility('King County Work Release');
      const a = await w.issue(facility.id);
      const b = await w.issue(facility.id);
      w.clock.advanceHours(2);
      const c = await w.issue(facility.id);
      const other = await w.issue(w.world.facilities.snohomishJail.id);
      // a legacy I-247D lodged in 2016 and never acknowledged: overdue for years, so first
      const legacy = await w.issue(facility.id, { type: 'I-247D', issuedAt: '2016-06-01T12:00:00Z', warrant: undefined });
      w.clock.set('2027-04-03T15:00:00Z');

      const items = await w.all('supervisorSea', 'unacknowledged', { facilityId: facility.id });
      const [first, ...sameTime] = [a.id, b.id].sort();
      expect(items.map((i) => i.detainerId)).toEqual([legacy.id, first, ...sameTime, c.id]);
      const dues = items.map((i) => i.dueAt);
      expect([...dues].sort()).toEqual(dues);
      expect(items[0]).toMatchObject({ type: 'I-247D', dueAt: '2016-06-02T12:00:00.000Z', localTime: '2016-06-02T05:00:00-07:00' });

      expect(await w.ids('supervisorSea', 'unacknowledged', { facilityId: facility.id, type: 'I-247D' })).toEqual([legacy.id]);
      const byAgency = await w.ids('supervisorSea', 'unacknowledged', { agencyId: w.world.agencies.snohomish.id });
      expect(byAgency).toContain(other.id);
      expect(byAgency).not.toContain(a.id);
      const byJurisdiction = await w.ids('supervisorSea', 'unacknowledged', { jurisdictionId: w.world.jurisdictions.king.id });
      expect(byJurisdiction).toEqual(expect.arrayContaining([a.id, b.id, c.id, legacy.id]));
      expect(byJurisdiction).not.toContain(other.id);

      // the summary: counts and oldest due time per queue, with the same filters
      const summary = await w.get('supervisorSea', `/api/v1/queues?facilityId=${facility.id}`);
      expect(summary.status).toBe(200);
      expect(summary.body.find((q: { name: string }) => q.name === 'unacknowledged')).toMatchObject({
        count: 4,
        oldestDueAt: '2016-06-02T12:00:00.000Z',
        localTime: '2016-06-02T05:00:00-07:00',
        timeZone: 'America/Los_Angeles',
      });
      expect(summary.body.find((q: { name: string }) => q.name === 'hold_expiring')).toMatchObject({ count: 0, oldestDueAt: null });
      expect(summary.body.map((q: { name: string }) => q.name)).toEqual([
        'unacknowledged', 'release_soon_no_pickup', 'hold_expiring', 'short_notice', 'decline_no_outcome', 'disputes', 'failed_deliveries', 'booked_elsewhere',
      ]);
    });

    it('rejects bad filters, cursors and page sizes; unknown queues are 404', async () => {
      expect((await w.get('supervisorSea', '/api/v1/queues/unacknowledged?facilityId=nope')).status).toBe(400);
      expect((await w.get('supervisorSea', '/api/v1/queues/unacknowledged?type=I-999')).status).toBe(400);
      expect((await w.get('supervisorSea', '/api/v1/queues/unacknowledged?limit=501')).status).toBe(400);
      expect((await w.get('supervisorSea', '/api/v1/queues/unacknowledged?cursor=garbage')).status).toBe(400);
      const page = await w.get('supervisorSea', '/api/v1/queues/unacknowledged?limit=1');
      expect(page.body.nextCursor).toEqual(expect.any(String));
      const misused = await w.get('supervisorSea', `/api/v1/queues/hold_expiring?cursor=${page.body.nextCursor}`);
      expect(misused.status).toBe(400);
      expect(misused.body.details).toEqual([{ field: 'cursor', message: expect.stringContaining('another queue') }]);
      const unknown = await w.get('supervisorSea', '/api/v1/queues/everything');
      expect(unknown.status).toBe(404);
      expect(unknown.body.message).toContain('unacknowledged');
    });
  });
});
