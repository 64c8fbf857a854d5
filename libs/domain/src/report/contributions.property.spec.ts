import fc from 'fast-check';
import { replay } from '../detainer/decider';
import { decideRecordDispute, RecordDisputeCommand } from '../detainer/record-disputes';
import { actorFor, CLARK, COOK, Scenario } from '../detainer/scenario.fixture';
import type { DetainerCommand, DetainerState } from '../detainer/types';
import { DEFAULT_WEEK_CONFIG, weekContaining } from '../time/week';
import { contributionDelta, contributionKey, isReportMeasure, storedContributionsOf } from './contributions';

type Step =
  | { kind: 'command'; pick: number; hours: number }
  | { kind: 'dispute'; hours: number }
  | { kind: 'resolve'; hours: number; decision: 'upheld' | 'rejected'; correction: 'retract_decline' | 'exclude_record' | undefined };

const COMMANDS: ((s: Scenario) => DetainerCommand)[] = [
  () => ({ type: 'acknowledge', response: 'will_comply' }),
  () => ({ type: 'acknowledge', response: 'will_not_comply', reason: 'policy' }),
  () => ({ type: 'acknowledge', response: 'will_notify_only' }),
  (s) => ({ type: 'schedule_release', releaseAt: s.in(10) }),
  (s) => ({ type: 'schedule_release', releaseAt: s.in(72) }),
  (s) => ({ type: 'start_hold', since: s.now }),
  (s) => ({ type: 'release', at: s.now, destination: 'community' }),
  (s) => ({ type: 'release', at: s.now, destination: 'other_agency', to: COOK }),
  (s) => ({ type: 'refuse', at: s.now, reason: 'policy' }),
  (s) => ({ type: 'transfer_to_ice', at: s.now }),
  (s) => ({ type: 'record_decline', at: s.in(-2), reason: 'learned later', source: 'ice_observed' }),
  () => ({ type: 'report_not_in_custody' }),
  () => ({ type: 'claim_citizenship', note: 'passport' }),
  () => ({ type: 'decide_identity_claim', decision: 'upheld', note: 'verified' }),
  () => ({ type: 'decide_identity_claim', decision: 'rejected', note: 'no record' }),
  () => ({ type: 'cancel', reason: 'lifted' }),
  () => ({ type: 'cancel', reason: 'issued_in_error' }),
];

const roleFor = (c: DetainerCommand) =>
  c.type === 'cancel' || c.type === 'transfer_to_ice' || c.type === 'record_decline' ? 'officer' : c.type === 'decide_identity_claim' ? 'supervisor' : 'jail_staff';

const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant<'command'>('command'), pick: fc.nat(COMMANDS.length - 1), hours: fc.integer({ min: 0, max: 200 }) }), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant<'dispute'>('dispute'), hours: fc.integer({ min: 0, max: 200 }) }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant<'resolve'>('resolve'),
      hours: fc.integer({ min: 0, max: 400 }),
      decision: fc.constantFrom<'upheld' | 'rejected'>('upheld', 'rejected'),
      correction: fc.constantFrom<'retract_decline' | 'exclude_record' | undefined>('retract_decline', 'exclude_record', undefined),
    }),
    weight: 1,
  },
);

// A third of the walks go first through custody (acknowledged, notice, hold), a third through a refusal
// disputed and retracted, so that they reach outcomes a purely random walk seldom does.
const PREFIXES: Record<'none' | 'throughCustody' | 'retractedDecline', Step[]> = {
  none: [],
  throughCustody: [0, 3, 5].map((pick) => ({ kind: 'command', pick, hours: 2 })),
  retractedDecline: [
    { kind: 'command', pick: 8, hours: 2 },
    { kind: 'dispute', hours: 1 },
    { kind: 'resolve', hours: 1, decision: 'upheld', correction: 'retract_decline' },
  ],
};

const keysOf = (state: DetainerState) => storedContributionsOf(state).map(contributionKey).sort();
const weekOf = (key: string) => weekContaining(new Date(key.split('|')[6]), DEFAULT_WEEK_CONFIG).weekStart;
const isReportKey = (key: string) => isReportMeasure(key.split('|')[0] as never);

/** Report contributions grouped by week, as a roll-up from scratch would copy them. */
function byWeek(keys: readonly string[]): Map<string, string[]> {
  const weeks = new Map<string, string[]>();
  for (const k of keys.filter(isReportKey)) weeks.set(weekOf(k), [...(weeks.get(weekOf(k)) ?? []), k]);
  return weeks;
}

/**
 * The write path, played in memory: after each change it stores what `contributionDelta` gives (only
 * when it says something changed) and re-rolls only the weeks it names. Property: over any random
 * lifecycle (allowed or refused actions, disputes, corrections, late records), what is stored equals
 * the counting rules applied to a replay of the events, and every week re-rolled only when touched
 * equals that week rolled from scratch.
 */
describe('stored contributions equal a replay (property, domain)', () => {
  it('holds for random lifecycles with disputes, corrections and late records', () => {
    const reached = new Set<string>();
    fc.assert(
      fc.property(fc.constantFrom<keyof typeof PREFIXES>('none', 'throughCustody', 'retractedDecline'), fc.array(step, { minLength: 1, maxLength: 16 }), (start, walk) => {
        const prefix = PREFIXES[start];
        const steps = [...prefix, ...walk];
        const s = Scenario.issued();
        let stored = keysOf(s.detainer);
        let rolled = byWeek(stored);
        let disputeSerial = 0;
        let openDispute: string | null = null;
        for (const st of steps) {
          s.advance(st.hours);
          const before = s.detainer;
          if (st.kind === 'command') {
            const command = COMMANDS[st.pick](s);
            const role = roleFor(command);
            if (!s.try(command, role).ok) continue;
            s.do(command, role);
          } else {
            const place = s.lodging().place;
            const command: RecordDisputeCommand =
              st.kind === 'dispute'
                ? { type: 'dispute_record', disputeId: `d${(disputeSerial += 1)}`, reason: 'we notified them' }
                : { type: 'resolve_record_dispute', disputeId: openDispute ?? 'none', decision: st.decision, note: 'checked', ...(st.decision === 'upheld' && st.correction && { correction: st.correction }) };
            const decided = decideRecordDispute(before, command, { now: s.now, actor: actorFor(st.kind === 'dispute' ? 'jail_staff' : 'supervisor', place ?? CLARK) });
            if (!decided.ok) continue;
            s.events.push(...decided.events);
            s.state = replay(s.events);
            openDispute = command.type === 'dispute_record' ? command.disputeId : null;
            reached.add(command.type);
          }
          const delta = contributionDelta(before, s.detainer, DEFAULT_WEEK_CONFIG);
          const next = delta.after.map(contributionKey).sort();
          if (!delta.changed) expect(next).toEqual(stored);
          else stored = next;
          const now = byWeek(stored);
          for (const week of delta.weeksTouched) {
            const keys = now.get(week);
            if (keys) rolled.set(week, keys);
            else rolled.delete(week);
          }
          rolled = new Map([...rolled].sort(([a], [b]) => a.localeCompare(b)));
        }
        const replayed = keysOf(replay(s.events));
        expect(stored).toEqual(replayed);
        expect(rolled).toEqual(new Map([...byWeek(replayed)].sort(([a], [b]) => a.localeCompare(b))));
        for (const k of replayed) reached.add(k.split('|')[0]);
      }),
      { numRuns: 200 },
    );
    // the walks must reach the measures and the dispute decisions, or the property proves little
    for (const m of ['issued', 'declined', 'honored', 'missed_pickup', 'short_notice', 'excluded', 'decline_retracted', 'dispute_record', 'resolve_record_dispute']) {
      expect([m, reached.has(m)]).toEqual([m, true]);
    }
  });
});
