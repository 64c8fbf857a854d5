import { diffReminders, type StoredReminder } from './diff';
import type { PlannedReminder } from './plan';

const T = (h: number) => new Date(Date.UTC(2026, 10, 2, 12) + h * 3_600_000);
const planned = (key: string, due: number, anchor = due + 48): PlannedReminder => {
  const [seq, kind, audience] = key.split('.') as [string, PlannedReminder['kind'], PlannedReminder['audience']];
  return { key, lodgingSeq: Number(seq), kind, audience, dueAt: T(due), anchorAt: T(anchor), agencyId: 'a', areaId: 'r', facilityId: 'f', timeZone: 'UTC' };
};
const stored = (id: string, key: string, due: number, status: StoredReminder['status'] = 'pending', anchor = due + 48): StoredReminder => ({
  id, key, dueAt: T(due), anchorAt: T(anchor), status,
});

describe('diffReminders', () => {
  it('nothing stored: every desired reminder is inserted', () => {
    const d = [planned('1.release_48h.agency', 10), planned('1.release_48h.office', 10)];
    expect(diffReminders(d, [])).toEqual({ insert: d, cancel: [], keep: [] });
  });

  it('the same reminder at the same times is kept (planning twice writes nothing)', () => {
    const d = [planned('1.release_48h.agency', 10)];
    expect(diffReminders(d, [stored('r1', '1.release_48h.agency', 10)])).toEqual({ insert: [], cancel: [], keep: ['r1'] });
  });

  it('a reschedule cancels the pending one and inserts the new time', () => {
    const d = [planned('1.release_48h.agency', 20)];
    expect(diffReminders(d, [stored('r1', '1.release_48h.agency', 10)])).toEqual({ insert: d, cancel: [{ id: 'r1', reason: 'rescheduled' }], keep: [] });
  });

  it('the same due time about another moment is a reschedule too', () => {
    const d = [planned('1.short_notice.office', 0, 30)];
    const diff = diffReminders(d, [stored('r1', '1.short_notice.office', 0, 'pending', 20)]);
    expect(diff.cancel).toEqual([{ id: 'r1', reason: 'rescheduled' }]);
    expect(diff.insert).toEqual(d);
  });

  it('a reminder already fired for the same moment is not planned again', () => {
    const d = [planned('1.release_48h.agency', 10)];
    expect(diffReminders(d, [stored('r1', '1.release_48h.agency', 10, 'fired')])).toEqual({ insert: [], cancel: [], keep: [] });
  });

  it('a fired reminder for an earlier moment does not stop the one for the new moment', () => {
    const d = [planned('1.release_48h.agency', 30)];
    expect(diffReminders(d, [stored('r1', '1.release_48h.agency', 10, 'fired')]).insert).toEqual(d);
  });

  it('pending reminders no longer desired are cancelled; fired ones are history and stay', () => {
    const diff = diffReminders([], [stored('r1', '1.hold_12h.office', 10), stored('r2', '1.hold_2h.office', 20, 'fired')]);
    expect(diff).toEqual({ insert: [], cancel: [{ id: 'r1', reason: 'no_longer_due' }], keep: [] });
  });

  it('a duplicate pending row for one key (which the unique index forbids) would be cancelled, keeping one', () => {
    const d = [planned('1.hold_2h.office', 20)];
    const diff = diffReminders(d, [stored('r1', '1.hold_2h.office', 20), stored('r2', '1.hold_2h.office', 20)]);
    expect(diff.keep).toEqual(['r1']);
    expect(diff.cancel).toEqual([{ id: 'r2', reason: 'rescheduled' }]);
  });
});
