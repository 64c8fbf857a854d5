import fc from 'fast-check';
import { ActionRequest, IssueDetainer, Principal, RecordDetainerAction } from '@app/application';
import { DomainError, replay } from '@app/domain';
import { decodeEvent, DetainerWriteRepository, EventRow, projectionOf } from '@app/persistence';
import { asPrincipal, buildWorld, i247aBody, principalOf, startTestApi, TestApi, UserKey, World } from '@test/support';

/**
 * Property: whatever sequence of actions (allowed or not) hits a detainer, the projection stored in
 * `detainers` and `lodgings` equals a replay of its stored events, and failed actions write nothing.
 */
describe('projection equals replay of events (property, real database)', () => {
  let api: TestApi;
  let world: World;
  let principals: Record<'officer' | 'supervisor' | 'king' | 'snohomish', Principal>;

  beforeAll(async () => {
    api = await startTestApi();
    world = await buildWorld(api.app);
    const p = (key: UserKey) => principalOf(world, key);
    principals = { officer: p('officerSea'), supervisor: p('supervisorSea'), king: p('jailKing'), snohomish: p('jailSnohomish') };
  });
  afterAll(() => api.close());

  const HOUR = 3_600_000;
  const hoursAhead = (h: number) => new Date(api.clock.now().getTime() + h * HOUR).toISOString();

  const action = fc.oneof(
    fc.record({ who: fc.constantFrom('king', 'snohomish'), request: fc.constantFrom<ActionRequest>({ type: 'acknowledge', response: 'will_comply' }, { type: 'acknowledge', response: 'will_not_comply', reason: 'policy' }, { type: 'acknowledge', response: 'will_notify_only' }) }),
    fc.record({ who: fc.constantFrom('king', 'snohomish'), request: fc.integer({ min: 1, max: 96 }).map((h): ActionRequest => ({ type: 'schedule_release', releaseAt: hoursAhead(h) })) }),
    fc.record({ who: fc.constantFrom('king', 'snohomish'), request: fc.constant<ActionRequest>({ type: 'start_hold', since: 'NOW' }) }),
    fc.record({ who: fc.constantFrom('king', 'snohomish', 'officer'), request: fc.constant<ActionRequest>({ type: 'transfer_to_ice', at: 'NOW' }) }),
    fc.record({ who: fc.constantFrom('king', 'snohomish'), request: fc.constant<ActionRequest>({ type: 'release', at: 'NOW', destination: 'community' }) }),
    fc.record({ who: fc.constant('king'), request: fc.constant<ActionRequest>({ type: 'release', at: 'NOW', destination: 'other_agency', toFacilityId: 'SNOHOMISH' }) }),
    fc.record({ who: fc.constantFrom('king', 'snohomish'), request: fc.constant<ActionRequest>({ type: 'refuse', at: 'NOW', reason: 'policy' }) }),
    fc.record({ who: fc.constantFrom('officer', 'king'), request: fc.constant<ActionRequest>({ type: 'record_decline', at: 'NOW', reason: 'learned later', source: 'ice_observed' }) }),
    fc.record({ who: fc.constantFrom('king', 'snohomish'), request: fc.constant<ActionRequest>({ type: 'report_not_in_custody' }) }),
    fc.record({ who: fc.constantFrom('officer', 'supervisor'), request: fc.constant<ActionRequest>({ type: 'plan_pickup', at: 'NOW' }) }),
    fc.record({ who: fc.constant('king'), request: fc.constant<ActionRequest>({ type: 'claim_citizenship', note: 'passport' }) }),
    fc.record({ who: fc.constant('supervisor'), request: fc.constantFrom<ActionRequest>({ type: 'decide_identity_claim', decision: 'rejected', note: 'n' }, { type: 'decide_identity_claim', decision: 'upheld', note: 'n' }) }),
    fc.record({ who: fc.constantFrom('officer', 'supervisor'), request: fc.constantFrom<ActionRequest>({ type: 'cancel', reason: 'lifted' }, { type: 'cancel', reason: 'issued_in_error' }) }),
    fc.record({ who: fc.constant('officer'), request: fc.constant<ActionRequest>({ type: 'record_outcome', kind: 'removed', at: 'NOW' }) }),
  );

  it('holds for random action sequences', async () => {
    const issue = api.app.get(IssueDetainer);
    const act = api.app.get(RecordDetainerAction);
    const db = api.db;
    const writes = api.app.get(DetainerWriteRepository);
    let serial = 0;

    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(action, fc.integer({ min: 0, max: 60 })), { minLength: 1, maxLength: 12 }), async (steps) => {
        api.clock.set('2026-11-02T15:00:00Z');
        serial += 1;
        const body = i247aBody(world.facilities.kingJail.id, {
          subject: { aNumber: `A${String(100000000 + serial)}`, familyName: 'P', givenName: 'Q', dateOfBirth: '1970-01-01', citizenship: 'MX' },
        }) as never;
        const { id } = await asPrincipal(principals.officer, () => issue.execute(principals.officer, body, { requestId: null }));
        for (const [{ who, request }, advance] of steps) {
          api.clock.advanceHours(advance);
          const resolved = JSON.parse(
            JSON.stringify(request).replace(/"NOW"/g, JSON.stringify(api.clock.now().toISOString())).replace('"SNOHOMISH"', JSON.stringify(world.facilities.snohomishJail.id)),
          ) as ActionRequest;
          const before = await db.read((sql) => sql.one<{ n: string }>('SELECT count(*) AS n FROM detainer_events WHERE detainer_id = $1', [id]));
          try {
            const principal = principals[who];
            await asPrincipal(principal, () => act.execute(principal, id, resolved, { requestId: null }));
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            const after = await db.read((sql) => sql.one<{ n: string }>('SELECT count(*) AS n FROM detainer_events WHERE detainer_id = $1', [id]));
            expect(after?.n).toBe(before?.n);
          }
        }
        await db.read(async (sql) => {
          const stream = await writes.loadStream(sql, id);
          const state = replay(stream!.events);
          const expected = projectionOf(state);
          const detainer = await sql.one<Record<string, unknown>>('SELECT * FROM detainers WHERE id = $1', [id]);
          const lodgings = await sql.query<Record<string, unknown>>('SELECT * FROM lodgings WHERE detainer_id = $1 ORDER BY seq', [id]);
          expect(normalise(pick(detainer!, Object.keys(expected.detainer)))).toEqual(normalise(expected.detainer));
          expect(lodgings.map((l) => normalise(pick(l, Object.keys(expected.lodgings[0]))))).toEqual(expected.lodgings.map(normalise));
          // and what is stored decodes to exactly the events that were decided
          const rows = await sql.query<EventRow>('SELECT * FROM detainer_events WHERE detainer_id = $1 ORDER BY seq', [id]);
          expect(replay(rows.map(decodeEvent))).toEqual(state);
          // the reach row-level security reads is every AOR and agency the detainer was ever lodged in
          const reach = (own: unknown[], former: unknown) => [...new Set([...own, ...(former as unknown[])])].sort();
          expect(reach([detainer!.area_id, detainer!.current_area_id], detainer!.former_area_ids)).toEqual([...new Set([detainer!.area_id, ...lodgings.map((l) => l.area_id)])].sort());
          expect(reach([detainer!.agency_id], detainer!.former_agency_ids)).toEqual([...new Set(lodgings.map((l) => l.agency_id))].sort());
          const areas = reach([detainer!.area_id, detainer!.current_area_id], detainer!.former_area_ids);
          for (const l of lodgings) expect(reach([l.area_id, l.issuing_area_id], l.other_area_ids)).toEqual(areas);
        });
      }),
      { numRuns: 40 },
    );
  }, 120_000); // forty random histories, each written through the use cases and read back
});

function pick(row: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, row[k]]));
}

/** Puts database and in-memory values on one footing: instants as ISO, numerics as numbers, JSON parsed. */
function normalise(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => {
      if (v instanceof Date) return [k, v.toISOString()];
      if (k === 'notice_lead_hours' && v !== null) return [k, Number(v)];
      if ((k === 'charges' || k === 'decline_reports') && typeof v === 'string') return [k, JSON.parse(v)];
      return [k, v];
    }),
  );
}
