import fc from 'fast-check';
import { ActionRequest, IssueDetainer, Principal, RecordDetainerAction, RecordDisputes } from '@app/application';
import { DomainError } from '@app/domain';
import { backfillDetainerContributions, BackfillProgress } from '@app/persistence';
import { asPrincipal, asSuperuser, buildWorld, i247aBody, principalOf, startTestApi, storedAndReplayedContributions, TestApi, UserKey, World } from '@test/support';

type Who = 'officer' | 'supervisor' | 'king' | 'snohomish';
type Step =
  | { who: Who; request: ActionRequest }
  | { who: Who; dispute: 'open' }
  | { who: Who; dispute: 'resolve'; decision: 'upheld' | 'rejected'; correction?: 'retract_decline' | 'exclude_record' };

/**
 * The counting rules have one home (`contributionsOf`); the write path stores what they give when a
 * detainer changes. Property: whatever actions, disputes and corrections hit a detainer (allowed or
 * not), its stored contributions equal the rules applied to a replay of its events. And the
 * back-fill of detainers stored before this existed is resumable.
 */
describe('stored report contributions equal a replay (property, real database)', () => {
  let api: TestApi;
  let world: World;
  let principals: Record<Who, Principal>;

  beforeAll(async () => {
    api = await startTestApi();
    world = await buildWorld(api.app);
    const p = (key: UserKey) => principalOf(world, key);
    principals = { officer: p('officerSea'), supervisor: p('supervisorSea'), king: p('jailKing'), snohomish: p('jailSnohomish') };
  });
  afterAll(() => api.close());

  const HOUR = 3_600_000;
  const hoursAhead = (h: number) => new Date(api.clock.now().getTime() + h * HOUR).toISOString();
  const jail = fc.constantFrom<Who>('king', 'snohomish');

  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ who: jail, request: fc.constantFrom<ActionRequest>({ type: 'acknowledge', response: 'will_comply' }, { type: 'acknowledge', response: 'will_not_comply', reason: 'policy' }, { type: 'acknowledge', response: 'will_notify_only' }) }),
    fc.record({ who: jail, request: fc.integer({ min: 1, max: 96 }).map((h): ActionRequest => ({ type: 'schedule_release', releaseAt: hoursAhead(h) })) }),
    fc.record({ who: jail, request: fc.constant<ActionRequest>({ type: 'start_hold', since: 'NOW' }) }),
    fc.record({ who: fc.constantFrom<Who>('king', 'snohomish', 'officer'), request: fc.constant<ActionRequest>({ type: 'transfer_to_ice', at: 'NOW' }) }),
    fc.record({ who: jail, request: fc.constant<ActionRequest>({ type: 'release', at: 'NOW', destination: 'community' }) }),
    fc.record({ who: fc.constant<Who>('king'), request: fc.constant<ActionRequest>({ type: 'release', at: 'NOW', destination: 'other_agency', toFacilityId: 'SNOHOMISH' }) }),
    fc.record({ who: jail, request: fc.constant<ActionRequest>({ type: 'refuse', at: 'NOW', reason: 'policy' }) }),
    fc.record({ who: fc.constantFrom<Who>('officer', 'king'), request: fc.constant<ActionRequest>({ type: 'record_decline', at: 'NOW', reason: 'learned later', source: 'ice_observed' }) }),
    fc.record({ who: jail, request: fc.constant<ActionRequest>({ type: 'report_not_in_custody' }) }),
    fc.record({ who: fc.constant<Who>('king'), request: fc.constant<ActionRequest>({ type: 'claim_citizenship', note: 'passport' }) }),
    fc.record({ who: fc.constant<Who>('supervisor'), request: fc.constantFrom<ActionRequest>({ type: 'decide_identity_claim', decision: 'rejected', note: 'n' }, { type: 'decide_identity_claim', decision: 'upheld', note: 'n' }) }),
    fc.record({ who: fc.constantFrom<Who>('officer', 'supervisor'), request: fc.constantFrom<ActionRequest>({ type: 'cancel', reason: 'lifted' }, { type: 'cancel', reason: 'issued_in_error' }, { type: 'cancel', reason: 'us_citizen' }) }),
    // disputes weigh more: a walk must reach one on a lodging its jail still holds, then a decision
    { arbitrary: fc.record({ who: jail, dispute: fc.constant<'open'>('open') }), weight: 4 },
    {
      arbitrary: fc.record({
        who: fc.constant<Who>('supervisor'),
        dispute: fc.constant<'resolve'>('resolve'),
        decision: fc.constantFrom<'upheld' | 'rejected'>('upheld', 'rejected'),
        correction: fc.constantFrom<'retract_decline' | 'exclude_record' | undefined>('retract_decline', 'exclude_record', undefined),
      }),
      weight: 4,
    },
  );

  let serial = 0;
  const issued: string[] = [];

  it('holds for random lifecycles with disputes and corrections', async () => {
    const issue = api.app.get(IssueDetainer);
    const act = api.app.get(RecordDetainerAction);
    const disputes = api.app.get(RecordDisputes);

    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(step, fc.integer({ min: 0, max: 200 })), { minLength: 1, maxLength: 14 }), async (steps) => {
        api.clock.set('2026-11-02T15:00:00Z');
        serial += 1;
        const body = i247aBody(world.facilities.kingJail.id, {
          subject: { aNumber: `A${String(300000000 + serial)}`, familyName: 'P', givenName: 'Q', dateOfBirth: '1970-01-01', citizenship: 'MX' },
        }) as never;
        const { id } = await asPrincipal(principals.officer, () => issue.execute(principals.officer, body, { requestId: null }));
        issued.push(id);
        let openDispute: string | null = null;
        for (const [s, advance] of steps) {
          api.clock.advanceHours(advance);
          const principal = principals[s.who];
          try {
            if ('request' in s) {
              const resolved = JSON.parse(
                JSON.stringify(s.request).replace(/"NOW"/g, JSON.stringify(api.clock.now().toISOString())).replace('"SNOHOMISH"', JSON.stringify(world.facilities.snohomishJail.id)),
              ) as ActionRequest;
              await asPrincipal(principal, () => act.execute(principal, id, resolved, { requestId: null }));
            } else if (s.dispute === 'open') {
              openDispute = (await asPrincipal(principal, () => disputes.open(principal, id, { reason: 'we notified them' }, null))).id;
            } else if (openDispute) {
              const decided = openDispute;
              await asPrincipal(principal, () =>
                disputes.resolve(principal, decided, { decision: s.decision, note: 'checked the log', ...(s.decision === 'upheld' && s.correction && { correction: s.correction }) }, null),
              );
              openDispute = null;
            }
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
          }
        }
        const { stored, replayed } = await storedAndReplayedContributions(api.db, [id]);
        expect(replayed.length).toBeGreaterThan(0);
        expect(stored).toEqual(replayed);
      }),
      { numRuns: 40 },
    );
  });

  it('the back-fill stores what a replay gives, in batches with progress, and resumes after an interruption', async () => {
    expect(issued.length).toBeGreaterThan(10);
    // the walks reached disputes (which flag contributions) and decisions on them
    const disputed = await api.db.read((sql) => sql.query<{ status: string }>(`SELECT DISTINCT status FROM record_disputes ORDER BY status`));
    expect(disputed.length).toBeGreaterThanOrEqual(2);
    const expected = await storedAndReplayedContributions(api.db);
    expect(expected.stored).toEqual(expected.replayed);
    // as if these detainers predated the stored contributions
    await asSuperuser(api.database, (c) => c.query('DELETE FROM detainer_contributions WHERE detainer_id = ANY($1::uuid[])', [issued]));

    const seen: BackfillProgress[] = [];
    let statements = 0;
    await expect(
      asSuperuser(api.database, (c) =>
        backfillDetainerContributions(
          async (text, params) => {
            statements += 1;
            // interrupted after two batches (count, then per batch: ids, events, insert)
            if (statements > 7) throw new Error('connection lost');
            return (await c.query(text, params)).rows;
          },
          { batchSize: 4, progress: (p) => seen.push(p) },
        ),
      ),
    ).rejects.toThrow('connection lost');
    expect(seen).toEqual([{ done: 4, total: issued.length }, { done: 8, total: issued.length }]);
    const partial = await storedAndReplayedContributions(api.db, issued);
    expect(new Set(partial.stored.map((k) => k.split('|')[1])).size).toBe(8);

    const resumed = await asSuperuser(api.database, (c) =>
      backfillDetainerContributions(async (text, params) => (await c.query(text, params)).rows, { batchSize: 4 }),
    );
    expect(resumed).toEqual({ done: issued.length - 8, total: issued.length - 8 });
    // the profile's contributions have their own back-fill (a later migration), over every detainer
    await asSuperuser(api.database, (c) =>
      backfillDetainerContributions(async (text, params) => (await c.query(text, params)).rows, { batchSize: 4, profile: true }),
    );
    const after = await storedAndReplayedContributions(api.db);
    expect(after.stored).toEqual(expected.replayed);
  });
});
