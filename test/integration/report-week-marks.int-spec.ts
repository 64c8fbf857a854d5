import { ReportCalendar, RollUpMarkedWeeks, RollUpWeek } from '@app/application';
import { ReportWeeksRepository } from '@app/persistence';
import { buildWorld, i247aBody, startTestApi, TestApi, tokensFor, UserKey, World } from '@test/support';

/**
 * Marking a report week must not serialise writers: every change appends a mark, none updates a
 * shared row. The roll-up drains the marks it has seen; a change committed later keeps its mark.
 */
describe('report week marks: no hot row, nothing lost to a concurrent roll-up', () => {
  let api: TestApi;
  let world: World;
  let tokens: Record<UserKey, string>;
  let calendar: ReportCalendar;
  let rollUpWeek: RollUpWeek;
  let rollUpMarkedWeeks: RollUpMarkedWeeks;
  let repo: ReportWeeksRepository;

  beforeAll(async () => {
    api = await startTestApi();
    world = await buildWorld(api.app);
    tokens = await tokensFor(api.http, world);
    calendar = api.app.get(ReportCalendar);
    rollUpWeek = api.app.get(RollUpWeek);
    rollUpMarkedWeeks = api.app.get(RollUpMarkedWeeks);
    repo = api.app.get(ReportWeeksRepository);
    api.clock.set('2026-11-04T15:00:00Z');
  });
  afterAll(() => api.close());

  /** Runs a transaction that marks `weekStart` and stays open until the returned release is called. */
  const openMark = async (weekStart: string) => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let marked!: () => void;
    const didMark = new Promise<void>((r) => (marked = r));
    const tx = api.db.transaction(async (sql) => {
      await repo.markWeeks(sql, [calendar.week(weekStart)], '00000000-0000-4000-8000-000000000001', api.clock.now());
      marked();
      await held;
    });
    await didMark;
    return { release, tx };
  };

  it('a change marking a week does not wait for another uncommitted change marking the same week', async () => {
    const week = calendar.currentWeek().weekStart;
    await rollUpWeek.execute(week); // the week's row exists, as it does for any week rolled before
    const other = await openMark(week);
    try {
      const started = Date.now();
      const issued = await api.http.post('/api/v1/detainers').set('Authorization', `Bearer ${tokens.officerSea}`).send(i247aBody(world.facilities.kingJail.id)).timeout(5000);
      expect(issued.status).toBe(201);
      expect(Date.now() - started).toBeLessThan(4000);
    } finally {
      other.release();
      await other.tx;
    }
    expect((await api.db.read((sql) => repo.findWeek(sql, week)))!.dirty).toBe(true);
  });

  it('the roll-up drains the marks it saw; a mark committed after it keeps the week marked', async () => {
    const week = calendar.currentWeek().weekStart;
    await rollUpWeek.execute(week);
    expect((await api.db.read((sql) => repo.findWeek(sql, week)))!.dirty).toBe(false);

    const late = await openMark(week);
    await rollUpWeek.execute(week); // does not see (nor wait for) the uncommitted mark
    late.release();
    await late.tx;
    expect((await api.db.read((sql) => repo.findWeek(sql, week)))!.dirty).toBe(true);
    api.clock.set('2026-11-20T15:00:00Z'); // the week has closed: the re-roll picks it up
    expect(await rollUpMarkedWeeks.execute()).toEqual([week]);
    expect((await api.db.read((sql) => repo.findWeek(sql, week)))!.dirty).toBe(false);
    expect(await rollUpMarkedWeeks.execute()).toEqual([]);
  });
});
