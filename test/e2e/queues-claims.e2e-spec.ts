import { Actor, claimHolding, EventSource, QUEUE_NAMES, QueueClaimEvent, QueueName, replay, replayClaims } from '@app/domain';
import { decodeEvent, EventRow, projectionOf } from '@app/persistence';
import { QueueItemJson, QueueWorld } from './queues.helpers';

/** Claims, assignments and their races, over HTTP against the real database. */
describe('compliance queues: claims (e2e)', () => {
  let w: QueueWorld;
  let extra: Record<'supervisorSea2' | 'supervisorSea3' | 'officerSea2' | 'officerSea3', { id: string; username: string }>;

  beforeAll(async () => {
    w = await QueueWorld.start();
    const sea = { areaId: w.world.areas.SEA.id };
    extra = {
      supervisorSea2: await w.addUser('supervisor.sea.2', 'supervisor', sea),
      supervisorSea3: await w.addUser('supervisor.sea.3', 'supervisor', sea),
      officerSea2: await w.addUser('officer.sea.2', 'officer', sea),
      officerSea3: await w.addUser('officer.sea.3', 'officer', sea),
    };
  });
  afterAll(() => w.close());

  const itemPath = (id: string, queue = 'unacknowledged') => `/api/v1/queues/${queue}/items/${id}`;
  /** A detainer at King County, unacknowledged for 25 hours. */
  const overdue = async () => {
    w.clock.set('2026-11-02T15:00:00Z');
    const d = await w.issue(w.world.facilities.kingJail.id);
    w.clock.set('2026-11-03T16:00:00Z');
    return d;
  };
  const itemOf = async (id: string, user = 'supervisorSea', queue = 'unacknowledged'): Promise<QueueItemJson | undefined> =>
    (await w.all(user, queue)).find((i) => i.detainerId === id);
  const events = (id: string) =>
    w.api.db.read((sql) => sql.query<EventRow>('SELECT * FROM detainer_events WHERE detainer_id = $1 ORDER BY seq', [id]));
  /** The detainer's claim history, as the decider's events. */
  const claimHistory = async (id: string): Promise<QueueClaimEvent[]> => {
    const rows = await w.api.db.read((sql) =>
      sql.query<{
        queue: QueueName; kind: 'claimed' | 'released'; holder_id: string; previous_holder_id: string | null; lodging_seq: number; detainer_version: number;
        recorded_at: Date; actor_kind: Actor['kind']; actor_id: string | null; actor_role: Actor['role']; actor_agency_id: string | null; actor_area_id: string | null; source: EventSource;
      }>('SELECT * FROM queue_claim_events WHERE detainer_id = $1 ORDER BY id', [id]),
    );
    return rows.map((r) => ({
      queue: r.queue, lodging: r.lodging_seq, version: r.detainer_version, recordedAt: r.recorded_at, source: r.source,
      actor: { kind: r.actor_kind, id: r.actor_id, role: r.actor_role, agencyId: r.actor_agency_id, areaId: r.actor_area_id },
      ...(r.kind === 'claimed' ? { kind: 'claimed' as const, holderId: r.holder_id, ...(r.previous_holder_id && { previousHolderId: r.previous_holder_id }) } : { kind: 'released' as const, holderId: r.holder_id }),
    }));
  };
  /** The current claims (a view of the history). */
  const claimRows = (id: string) =>
    w.api.db.read((sql) => sql.query<{ queue: string; holder_id: string; lodging_seq: number }>('SELECT queue, holder_id, lodging_seq FROM queue_claims WHERE detainer_id = $1', [id]));

  /**
   * The stored projection (detainer row, lodgings) equals a replay of the stored events, which hold no
   * claim; the current claims equal a replay of the claim history.
   */
  const expectProjectionMatchesEvents = async (id: string) => {
    const stored = await events(id);
    expect(stored.map((e) => e.kind)).not.toContain('queue_item_claimed');
    const state = replay(stored.map(decodeEvent));
    const expected = projectionOf(state);
    const row = await w.api.db.read((sql) => sql.one<Record<string, unknown>>('SELECT version, status FROM detainers WHERE id = $1', [id]));
    expect(row).toEqual({ version: expected.detainer.version, status: expected.detainer.status });
    const current = state.lodgings[state.lodgings.length - 1];
    const claims = replayClaims(await claimHistory(id));
    const fromEvents = QUEUE_NAMES.flatMap((q) => {
      const c = claimHolding(claims[q], current.seq);
      return c ? [{ queue: q, holder_id: c.holderId, lodging_seq: current.seq }] : [];
    });
    const held = (await claimRows(id)).filter((r) => r.lodging_seq === current.seq);
    expect(held.sort((a, b) => a.queue.localeCompare(b.queue))).toEqual(fromEvents.sort((a, b) => a.queue.localeCompare(b.queue)));
  };

  it('a claim shows who holds the item, is in the timeline, and does not bump the version', async () => {
    const d = await overdue();
    const res = await w.post('officerSea', `${itemPath(d.id)}/claim`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      queue: 'unacknowledged',
      detainerId: d.id,
      claim: {
        holder: { id: w.world.users.officerSea.id, username: 'officer.sea' },
        claimedAt: '2026-11-03T16:00:00.000Z',
        localTime: '2026-11-03T08:00:00-08:00',
        timeZone: 'America/Los_Angeles',
        claimedBy: { id: w.world.users.officerSea.id, username: 'officer.sea' },
      },
      item: { detainerId: d.id, version: 1, claim: { holder: { username: 'officer.sea' } } },
    });
    // what the holder and the others can do now
    expect(res.body.item.actions.map((a: { name: string }) => a.name)).toEqual(['release_claim', 'plan_pickup', 'cancel']);
    expect((await itemOf(d.id, 'officer.sea.2'))?.actions.map((a) => a.name)).toEqual(['plan_pickup', 'cancel']);
    expect((await itemOf(d.id, 'supervisorSea'))?.actions.map((a) => a.name)).toEqual(['assign', 'release_claim', 'plan_pickup', 'cancel']);

    const detainer = await w.get('supervisorSea', `/api/v1/detainers/${d.id}`);
    expect(detainer.body.version).toBe(1);
    expect(detainer.body.events.map((e: { kind: string }) => e.kind)).toEqual(['detainer_issued', 'queue_item_claimed']);
    expect(detainer.body.events[1]).toMatchObject({
      version: 1,
      lodging: 1,
      actor: { id: w.world.users.officerSea.id, role: 'officer' },
      source: 'ice_observed',
      data: { queue: 'unacknowledged', holderId: w.world.users.officerSea.id },
      localTime: '2026-11-03T08:00:00-08:00',
    });

    // claiming again is a no-op; someone else is told who holds it
    expect((await w.post('officerSea', `${itemPath(d.id)}/claim`)).status).toBe(200);
    expect(await events(d.id)).toHaveLength(1);
    expect(await claimHistory(d.id)).toHaveLength(1);
    const taken = await w.post('supervisorSea', `${itemPath(d.id)}/claim`);
    expect(taken.status).toBe(409);
    expect(taken.body.message).toMatch(/^This item is already claimed by officer\.sea \(since Tue 3 Nov 2026 08:00 PST/);
    expect(taken.body).toMatchObject({ code: 'conflict', holderId: w.world.users.officerSea.id, holderUsername: 'officer.sea' });
    await expectProjectionMatchesEvents(d.id);
  });

  it('a claim does not make a jail action with the version read before it fail', async () => {
    const d = await overdue();
    const before = await w.get('jailKing', `/api/v1/detainers/${d.id}`);
    expect((await w.post('supervisorSea', `${itemPath(d.id)}/claim`)).status).toBe(200);
    const ack = await w.post('jailKing', `/api/v1/detainers/${d.id}/acknowledge`, { response: 'will_comply', expectedVersion: before.body.version });
    expect(ack.status).toBe(200);
    expect(ack.body.version).toBe(2);
    expect(await itemOf(d.id)).toBeUndefined();
    // who works which queue item is the federal office's business: the jail's timeline leaves it out
    const asJail = await w.get('jailKing', `/api/v1/detainers/${d.id}`);
    expect(asJail.body.events.map((e: { kind: string }) => e.kind)).toEqual(['detainer_issued', 'acknowledged']);
    const asSupervisor = await w.get('supervisorSea', `/api/v1/detainers/${d.id}`);
    expect(asSupervisor.body.events.map((e: { kind: string }) => e.kind)).toEqual(['detainer_issued', 'queue_item_claimed', 'acknowledged']);
    await expectProjectionMatchesEvents(d.id);
  });

  it('a supervisor assigns and reassigns; officers may not; the assignee must work the AOR', async () => {
    const d = await overdue();
    const assign = (user: string, body: object) => w.post(user, `${itemPath(d.id)}/assign`, body);

    let res = await assign('supervisorSea', { assigneeId: extra.supervisorSea2.id, expectedHolderId: null });
    expect(res.status).toBe(200);
    expect(res.body.claim).toMatchObject({ holder: { username: 'supervisor.sea.2' }, claimedBy: { username: 'supervisor.sea' } });

    res = await assign('supervisorSea', { assigneeId: extra.officerSea2.id, expectedHolderId: null });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ holderId: extra.supervisorSea2.id, expectedHolderId: null });

    res = await assign('supervisorSea', { assigneeId: extra.officerSea2.id, expectedHolderId: extra.supervisorSea2.id });
    expect(res.status).toBe(200);
    expect(res.body.item.claim.holder.username).toBe('officer.sea.2');

    expect((await assign('officerSea', { assigneeId: extra.officerSea3.id })).status).toBe(403);
    res = await assign('supervisorSea', { assigneeId: w.world.users.supervisorChi.id });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field: 'assigneeId', message: expect.stringContaining('AOR') }]);
    expect((await assign('supervisorSea', { assigneeId: w.world.users.jailKing.id })).status).toBe(400);
    expect((await assign('supervisorSea', { assigneeId: '00000000-0000-4000-8000-000000000000' })).status).toBe(400);
    expect((await assign('supervisorSea', { assigneeId: 'not-a-uuid' })).status).toBe(400);

    const timeline = await w.get('supervisorSea', `/api/v1/detainers/${d.id}`);
    const claims = timeline.body.events.filter((e: { kind: string }) => e.kind === 'queue_item_claimed');
    expect(claims.map((e: { data: unknown }) => e.data)).toEqual([
      { queue: 'unacknowledged', holderId: extra.supervisorSea2.id },
      { queue: 'unacknowledged', holderId: extra.officerSea2.id, previousHolderId: extra.supervisorSea2.id },
    ]);
    await expectProjectionMatchesEvents(d.id);
  });

  it("releasing: the holder or a supervisor; an officer cannot release someone else's claim", async () => {
    const d = await overdue();
    await w.post('officerSea', `${itemPath(d.id)}/claim`);
    expect((await w.post('officer.sea.2', `${itemPath(d.id)}/release-claim`)).status).toBe(403);
    let res = await w.post('officerSea', `${itemPath(d.id)}/release-claim`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ claim: null, item: { claim: null } });
    expect((await w.post('officer.sea.2', `${itemPath(d.id)}/claim`)).status).toBe(200);
    res = await w.post('supervisorSea', `${itemPath(d.id)}/release-claim`);
    expect(res.status).toBe(200);
    expect(res.body.claim).toBeNull();
    // nothing to release: a no-op, nothing recorded
    const count = (await claimHistory(d.id)).length;
    expect((await w.post('supervisorSea', `${itemPath(d.id)}/release-claim`)).status).toBe(200);
    expect(await claimHistory(d.id)).toHaveLength(count);
    expect(await claimRows(d.id)).toEqual([]);
    await expectProjectionMatchesEvents(d.id);
  });

  it('an item must be in the queue to be claimed; a claim can still be released after it left', async () => {
    const d = await overdue();
    await w.post('supervisorSea', `${itemPath(d.id)}/claim`);
    const notThere = await w.post('supervisorSea', `${itemPath(d.id, 'hold_expiring')}/claim`);
    expect(notThere.status).toBe(409);
    expect(notThere.body.message).toContain('not in the hold_expiring queue');
    await w.act('jailKing', d.id, 'acknowledge', { response: 'will_comply' });
    expect((await w.post('officerSea', `${itemPath(d.id)}/claim`)).status).toBe(409);
    const res = await w.post('supervisorSea', `${itemPath(d.id)}/release-claim`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ queue: 'unacknowledged', detainerId: d.id, claim: null, item: null });
  });

  it('a claim belongs to the lodging: after a transfer the new agency’s item starts unclaimed', async () => {
    const d = await overdue();
    await w.post('supervisorSea', `${itemPath(d.id)}/claim`);
    await w.act('jailKing', d.id, 'acknowledge', { response: 'will_comply' });
    await w.act('jailKing', d.id, 'release', { at: w.at(0), destination: 'other_agency', toFacilityId: w.world.facilities.snohomishJail.id });
    w.clock.advanceHours(25);
    expect((await itemOf(d.id))?.claim).toBeNull();
    expect(await claimRows(d.id)).toEqual([{ queue: 'unacknowledged', holder_id: w.world.users.supervisorSea.id, lodging_seq: 1 }]);
    const res = await w.post('officer.sea.2', `${itemPath(d.id)}/claim`);
    expect(res.status).toBe(200);
    expect(await claimRows(d.id)).toEqual([{ queue: 'unacknowledged', holder_id: extra.officerSea2.id, lodging_seq: 2 }]);
    await expectProjectionMatchesEvents(d.id);
  });

  it('scoped: other AORs get 404, jail staff and analysts 403, unknown queue 404', async () => {
    const d = await overdue();
    const foreign = await w.post('supervisorChi', `${itemPath(d.id)}/claim`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.message).toBe('No detainer with this id.');
    expect((await w.post('officerChi', `${itemPath(d.id)}/release-claim`)).status).toBe(404);
    expect((await w.post('supervisorChi', `${itemPath(d.id)}/assign`, { assigneeId: w.world.users.officerChi.id })).status).toBe(404);
    expect((await w.post('jailKing', `${itemPath(d.id)}/claim`)).status).toBe(403);
    expect((await w.post('analyst', `${itemPath(d.id)}/claim`)).status).toBe(403);
    expect((await w.post('admin', `${itemPath(d.id)}/claim`)).status).toBe(403);
    expect((await w.post('supervisorSea', `/api/v1/queues/everything/items/${d.id}/claim`)).status).toBe(404);
    expect((await w.post('supervisorSea', `${itemPath('00000000-0000-4000-8000-000000000000')}/claim`)).status).toBe(404);
    expect((await w.post('supervisorSea', `${itemPath('nope')}/claim`)).status).toBe(404);
    expect(await events(d.id)).toHaveLength(1);
    expect(await claimHistory(d.id)).toEqual([]);
  });

  describe('races', () => {
    it('truly concurrent claims: exactly one wins, the others are told who holds it', async () => {
      const claimants = ['officerSea', 'supervisorSea', 'supervisor.sea.2', 'supervisor.sea.3', 'officer.sea.2', 'officer.sea.3'];
      for (let round = 0; round < 5; round += 1) {
        const d = await overdue();
        const results = await Promise.all(claimants.map((u) => w.post(u, `${itemPath(d.id)}/claim`)));
        const winners = results.filter((r) => r.status === 200);
        expect(winners).toHaveLength(1);
        expect(results.filter((r) => r.status === 409)).toHaveLength(claimants.length - 1);
        const holder = winners[0].body.claim.holder;
        for (const loser of results.filter((r) => r.status === 409)) expect(loser.body.holderId).toBe(holder.id);
        expect((await events(d.id)).map((e) => e.kind)).toEqual(['detainer_issued']);
        expect((await claimHistory(d.id)).map((e) => [e.kind, e.holderId])).toEqual([['claimed', holder.id]]);
        expect(await claimRows(d.id)).toEqual([{ queue: 'unacknowledged', holder_id: holder.id, lodging_seq: 1 }]);
        expect((await itemOf(d.id))?.claim?.holder.id).toBe(holder.id);
      }
    });

    it('truly concurrent assignments with expectedHolderId: one wins', async () => {
      const d = await overdue();
      const results = await Promise.all(
        [extra.officerSea2, extra.officerSea3, extra.supervisorSea2].map((a) =>
          w.post('supervisorSea', `${itemPath(d.id)}/assign`, { assigneeId: a.id, expectedHolderId: null }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
      await expectProjectionMatchesEvents(d.id);
    });

    it("a claim racing a jail's versioned action: both succeed, and the stream stays whole", async () => {
      for (let round = 0; round < 5; round += 1) {
        const d = await overdue();
        const [claim, ack] = await Promise.all([
          w.post('supervisorSea', `${itemPath(d.id)}/claim`),
          w.post('jailKing', `/api/v1/detainers/${d.id}/acknowledge`, { response: 'will_comply', expectedVersion: 1 }),
        ]);
        expect(ack.status).toBe(200);
        expect(ack.body.version).toBe(2);
        // the claim wins if it got there first; if the acknowledgment did, the item had left the queue
        expect([200, 409]).toContain(claim.status);
        const stored = await events(d.id);
        expect(stored.map((e) => e.seq)).toEqual(stored.map((_, i) => i + 1));
        expect(stored.map((e) => e.kind).sort()).toEqual(['acknowledged', 'detainer_issued']);
        const history = await claimHistory(d.id);
        expect(history.map((e) => e.kind)).toEqual(claim.status === 200 ? ['claimed'] : []);
        // a claim that got there first was recorded before the acknowledgment, at version 1
        if (claim.status === 200) expect(history[0]?.version).toBe(1);
        await expectProjectionMatchesEvents(d.id);
      }
    });
  });
});
