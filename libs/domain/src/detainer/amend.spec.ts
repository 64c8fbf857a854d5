import { AmendableSubject, amendableParts, AmendCommand, decideSubjectCorrectedElsewhere } from './amend';
import { evolve, replay } from './decider';
import { actorFor, CLARK, COOK, Scenario } from './scenario.fixture';
import type { DetainerEvent } from './types';

const onFile: AmendableSubject = { familyName: 'Doe', givenName: 'John', dateOfBirth: '1980-05-17', sex: 'M', citizenship: 'MX', fbiNumber: null, stateId: null };
const amended = (s: Scenario) => s.events.filter((e): e is DetainerEvent & { kind: 'record_amended' } => e.kind === 'record_amended');

describe('amend: who corrects what', () => {
  const s = Scenario.issued();
  it.each([
    ['officer', CLARK, ['subject', 'charges']],
    ['supervisor', CLARK, ['subject', 'charges']],
    ['officer', COOK, []], // another AOR
    ['jail_staff', CLARK, ['bookingNumber']],
    ['jail_staff', COOK, []], // another agency
    ['admin', CLARK, []],
    ['analyst', CLARK, []],
    ['system', CLARK, ['subject', 'charges', 'bookingNumber']],
  ] as const)('%s of %s', (role, place, parts) => {
    const actor = { role, areaId: role === 'jail_staff' ? null : place.areaId, agencyId: role === 'jail_staff' ? place.agencyId : null };
    expect(amendableParts(s.detainer, actor)).toEqual(parts);
  });

  it('the issuing AOR corrects the person and the charges; the holding agency is refused them', () => {
    const cmd: AmendCommand = { type: 'amend', reason: 'typo', subject: { onFile, changes: { dateOfBirth: '1980-06-17' } } };
    expect(Scenario.issued().try(cmd, 'officer').ok).toBe(true);
    const refused = Scenario.issued().try(cmd, 'jail_staff');
    expect(refused.ok || refused.error.code).toBe('forbidden');
    const charges = Scenario.issued().try({ type: 'amend', reason: 'x', charges: [] }, 'jail_staff');
    expect(charges.ok || charges.error.code).toBe('forbidden');
  });

  it('the holding agency corrects its booking number; the officer is refused it', () => {
    expect(Scenario.issued().try({ type: 'amend', reason: 'JMS number', bookingNumber: 'BK-2' }, 'jail_staff').ok).toBe(true);
    const refused = Scenario.issued().try({ type: 'amend', reason: 'JMS number', bookingNumber: 'BK-2' }, 'officer');
    expect(refused.ok || refused.error.code).toBe('forbidden');
  });

  it('an officer of another AOR is refused (the AOR, not only the role)', () => {
    const refused = Scenario.issued().try({ type: 'amend', reason: 'x', charges: [] }, 'officer', COOK);
    expect(refused.ok || refused.error.code).toBe('forbidden');
  });
});

describe('amend: the event and the state', () => {
  it('records before and after of the changed fields only, with the reason', () => {
    const s = Scenario.issued().advance(2).do(
      { type: 'amend', reason: 'DOB mistyped', subject: { onFile, changes: { dateOfBirth: '1980-06-17', familyName: 'Doe', citizenship: 'gt' } } },
      'officer',
    );
    const [event] = amended(s);
    expect(event.data).toEqual({ reason: 'DOB mistyped', before: { subject: { dateOfBirth: '1980-05-17', citizenship: 'MX' } }, after: { subject: { dateOfBirth: '1980-06-17', citizenship: 'GT' } } });
    expect(event.version).toBe(2);
    expect(s.detainer.version).toBe(2);
    expect(s.detainer.status).toBe('issued');
  });

  it('records a state ID added or replaced, before and after', () => {
    const s = Scenario.issued().do({ type: 'amend', reason: 'SID from the booking sheet', subject: { onFile, changes: { stateId: 'WA-123' } } }, 'officer');
    expect(amended(s)[0].data).toEqual({ reason: 'SID from the booking sheet', before: { subject: { stateId: null } }, after: { subject: { stateId: 'WA-123' } } });
    const again = Scenario.issued().do({ type: 'amend', reason: 'typo', subject: { onFile: { ...onFile, stateId: 'WA-123' }, changes: { stateId: 'WA-124' } } }, 'officer');
    expect(amended(again)[0].data.after).toEqual({ subject: { stateId: 'WA-124' } });
  });

  it('charges and booking number change the state (and replay gives the same)', () => {
    const charges = [{ description: 'Theft, third degree', ncicCode: '2399', level: 'misdemeanor' as const, status: 'convicted' as const }];
    const s = Scenario.issued().advance(1).do({ type: 'amend', reason: 'wrong charge', charges }, 'officer').advance(1).do({ type: 'amend', reason: 'JMS', bookingNumber: 'BK-77' }, 'jail_staff');
    expect(s.detainer.charges).toEqual(charges);
    expect(s.lodging().bookingNumber).toBe('BK-77');
    expect(replay(s.events)).toEqual(s.detainer);
    expect(amended(s)[1].data).toMatchObject({ before: { bookingNumber: 'BK-1001' }, after: { bookingNumber: 'BK-77' } });
  });

  it('is allowed in every state, closed ones included, and changes no status or decline', () => {
    const s = Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_comply' }).advance(1);
    s.do({ type: 'release', at: s.now, destination: 'community' }).advance(1);
    const before = s.detainer;
    s.do({ type: 'amend', reason: 'correct', charges: [] }, 'officer');
    expect(s.detainer.status).toBe(before.status);
    expect(s.lodging().declined).toBe(before.lodgings[before.lodgings.length - 1].declined);
  });
});

describe('amend: bad input is refused with the field named', () => {
  const errorOf = (cmd: AmendCommand, role: 'officer' | 'jail_staff' = 'officer') => {
    const d = Scenario.issued().advance(1).try(cmd, role);
    if (d.ok) throw new Error('expected a refusal');
    return d.error;
  };
  const fields = (e: { details?: unknown }) => (e.details as { field: string }[]).map((p) => p.field);

  it.each([
    ['no reason', { reason: '  ', charges: [] }, ['reason']],
    ['nothing to correct', { reason: 'x' }, ['body']],
    ['a date of birth in the future', { reason: 'x', subject: { onFile, changes: { dateOfBirth: '2030-01-01' } } }, ['subject.dateOfBirth']],
    ['a name of spaces', { reason: 'x', subject: { onFile, changes: { familyName: '   ' } } }, ['subject.familyName']],
    ['a country name', { reason: 'x', subject: { onFile, changes: { citizenship: 'Mexico' } } }, ['subject.citizenship']],
    ['an NCIC code of five', { reason: 'x', charges: [{ description: 'Burglary', ncicCode: '22021', level: 'felony', status: 'pending' }] }, ['charges[0].ncicCode']],
    ['values already on file', { reason: 'x', subject: { onFile, changes: { familyName: 'Doe' } } }, ['body']],
  ] as const)('%s', (_name, cmd, expected) => {
    const error = errorOf({ type: 'amend', ...cmd } as AmendCommand);
    expect(error.code).toBe('invalid_input');
    expect(fields(error)).toEqual(expected);
  });

  it('a booking number too long is refused, not cut', () => {
    const error = errorOf({ type: 'amend', reason: 'x', bookingNumber: 'B'.repeat(41) }, 'jail_staff');
    expect(fields(error)).toEqual(['bookingNumber']);
    expect(error.message).toMatch(/at most 40/);
  });
});

describe('amend: a correction of the person reaches the other records on them', () => {
  const correction = { correctedOn: 'det-where-corrected', reason: 'DOB mistyped', before: { dateOfBirth: '1980-05-17' }, after: { dateOfBirth: '1980-06-17' } };

  it('a record_amended naming the detainer it was made on, by the same actor, on the current lodging, whatever the AOR and state', () => {
    const s = Scenario.issued({}, undefined).advance(1).do({ type: 'acknowledge', response: 'will_comply' }).advance(1);
    s.do({ type: 'release', at: s.now, destination: 'community' }).advance(3);
    const before = s.detainer;
    const actor = actorFor('officer', COOK); // another AOR than the one that issued this record
    const events = decideSubjectCorrectedElsewhere(before, correction, { now: s.now, actor });
    expect(events).toEqual([{
      version: before.version + 1, lodging: before.lodgings[before.lodgings.length - 1].seq, occurredAt: s.now, recordedAt: s.now, actor, source: 'ice_observed',
      kind: 'record_amended',
      data: { reason: 'DOB mistyped', before: { subject: { dateOfBirth: '1980-05-17' } }, after: { subject: { dateOfBirth: '1980-06-17' } }, correctedOn: 'det-where-corrected' },
    }]);
    const after = evolve(before, events[0]);
    expect(after).toEqual({ ...before, version: before.version + 1 }); // the person is not in the state: nothing else changes
  });

  it('nothing on the detainer it was made on, nor when nothing changed', () => {
    const s = Scenario.issued();
    const ctx = { now: s.now, actor: actorFor('officer', CLARK) };
    expect(decideSubjectCorrectedElsewhere(s.detainer, { ...correction, correctedOn: s.detainer.id }, ctx)).toEqual([]);
    expect(decideSubjectCorrectedElsewhere(s.detainer, { ...correction, before: {}, after: {} }, ctx)).toEqual([]);
  });
});
