/**
 * The detainer lifecycle as a decider: `decide(state, command, ctx)` says which events happen (or which
 * rule refuses the command), `evolve(state, event)` applies one event. The clock travels in `ctx.now`.
 */
import { DomainError, type FieldProblem, InvalidTransitionError } from '../errors';
import { formatLocal, isValidTimeZone, localDateOf } from '../time/local-time';
import { holdExpiresAt, isShortNotice, noticeLeadHours } from '../time/timing';
import { assessLodging } from './decline';
import { applyRecordDisputeEvent } from './record-disputes';
import { decideAmend } from './amend';
import { importedEvents, refuseImported } from '../import/ice-release';
import { describeFormValidity, FORM_RULES, formValidOn } from './forms';
import {
  ACK_RESPONSES,
  type ActionName,
  type CommandContext,
  CANCEL_REASONS,
  type DetainerCommand,
  type DetainerEvent,
  type DetainerEventBody,
  type DetainerState,
  type DetainerStatus,
  DETAINER_FORMS,
  type EventSource,
  type IssueCommand,
  type LodgingPlace,
  type LodgingState,
  type LodgingStatus,
  OUTCOME_KINDS,
  PROBABLE_CAUSES,
  type Role,
  WARRANT_FORMS,
} from './types';

export type Decision = { ok: true; events: DetainerEvent[] } | { ok: false; error: DomainError };

/** Who may take each action. The `system` actor may take any; admin and analyst take none. */
export const ACTION_ROLES: Record<DetainerCommand['type'], readonly Role[]> = {
  issue: ['officer'],
  amend: ['officer', 'supervisor', 'jail_staff'],
  acknowledge: ['jail_staff'],
  report_not_in_custody: ['jail_staff'],
  schedule_release: ['jail_staff'],
  start_hold: ['jail_staff'],
  release: ['jail_staff'],
  refuse: ['jail_staff'],
  plan_pickup: ['officer', 'supervisor'],
  cancel: ['officer', 'supervisor'],
  record_outcome: ['officer', 'supervisor'],
  transfer_to_ice: ['jail_staff', 'officer', 'supervisor'],
  record_decline: ['jail_staff', 'officer', 'supervisor'],
  claim_citizenship: ['jail_staff', 'officer', 'supervisor'],
  dispute_identity: ['jail_staff', 'officer', 'supervisor'],
  decide_identity_claim: ['supervisor'],
};

/** Every action on an existing detainer, in the order `allowedActions` lists them. */
export const ACTION_NAMES = [
  'acknowledge',
  'report_not_in_custody',
  'schedule_release',
  'plan_pickup',
  'start_hold',
  'transfer_to_ice',
  'release',
  'refuse',
  'record_decline',
  'claim_citizenship',
  'dispute_identity',
  'decide_identity_claim',
  'cancel',
  'record_outcome',
] as const satisfies readonly ActionName[];
// Compile-time check that ACTION_NAMES lists every action.
const _allActionsListed: [Exclude<ActionName, (typeof ACTION_NAMES)[number]>] extends [never] ? true : never = true;

/** Clock skew tolerated between an agency's clock and ours, and for "just now" instants. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** A lodging in one of these statuses still has the person in the agency's custody (or may still act on it). */
function isOpenLodgingStatus(status: LodgingStatus): boolean {
  switch (status) {
    case 'issued':
    case 'acknowledged':
    case 'release_scheduled':
    case 'held':
    case 'refused':
    case 'disputed':
      return true;
    case 'honored':
    case 'released':
    case 'transferred':
    case 'misdirected':
    case 'cancelled':
      return false;
    default: {
      const _never: never = status;
      return _never;
    }
  }
}

export function currentLodging(state: DetainerState): LodgingState {
  const lodging = state.lodgings[state.lodgings.length - 1];
  if (!lodging) throw new Error(`Detainer ${state.id} has no lodging`);
  return lodging;
}

/** start_hold needs a hold-asking form and a warrant and probable-cause basis on file. */
function canStartHold(state: DetainerState): boolean {
  return FORM_RULES[state.form].asksHold && state.warrant !== undefined && state.probableCause.length > 0;
}

/** The state guards: actions the current lodging's status allows, whoever asks. */
function stateActions(state: DetainerState): readonly ActionName[] {
  const lodging = currentLodging(state);
  const status = lodging.status;
  switch (status) {
    case 'issued':
      return ['acknowledge', 'report_not_in_custody', 'plan_pickup', 'transfer_to_ice', 'release', 'refuse', 'record_decline', 'claim_citizenship', 'dispute_identity', 'cancel'];
    case 'acknowledged':
    case 'release_scheduled':
      return [
        'schedule_release',
        'plan_pickup',
        ...(canStartHold(state) ? (['start_hold'] as const) : []),
        'transfer_to_ice',
        'release',
        'refuse',
        'record_decline',
        'claim_citizenship',
        'dispute_identity',
        'cancel',
      ];
    case 'held':
      return ['plan_pickup', 'transfer_to_ice', 'release', 'refuse', 'record_decline', 'claim_citizenship', 'dispute_identity', 'cancel'];
    case 'refused':
      return ['schedule_release', 'release', 'claim_citizenship', 'dispute_identity', 'cancel'];
    case 'disputed':
      return ['decide_identity_claim', 'cancel'];
    case 'honored':
      return ['record_outcome'];
    case 'released':
      return lodging.destination === 'community' && !lodging.declined ? ['record_outcome', 'record_decline'] : ['record_outcome'];
    case 'misdirected':
    case 'cancelled':
    case 'transferred':
      return [];
    default: {
      const _never: never = status;
      return _never;
    }
  }
}

function roleMay(action: DetainerCommand['type'], role: Role | 'system'): boolean {
  return role === 'system' || ACTION_ROLES[action].includes(role);
}

/** Actions whose state guards pass, filtered by `role` when given. */
export function allowedActions(state: DetainerState | null, role?: Role | 'system'): ActionName[] {
  if (state === null) return [];
  const byState = stateActions(state);
  return ACTION_NAMES.filter((a) => byState.includes(a) && (role === undefined || roleMay(a, role)));
}

// ---------------------------------------------------------------- decide

export function decide(state: DetainerState | null, command: DetainerCommand, ctx: CommandContext): Decision {
  try {
    return { ok: true, events: decideOrThrow(state, command, ctx) };
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, error };
    throw error;
  }
}

function decideOrThrow(state: DetainerState | null, command: DetainerCommand, ctx: CommandContext): DetainerEvent[] {
  if (!isValidInstant(ctx.now)) throw new Error('CommandContext.now must be a valid Date');
  if (!Object.hasOwn(ACTION_ROLES, command.type)) {
    throw DomainError.invalidInput('type', `unknown action '${command.type}' (one of ${Object.keys(ACTION_ROLES).join(', ')})`);
  }
  const role = ctx.actor.role;
  if (!roleMay(command.type, role)) {
    const allowed = ACTION_ROLES[command.type];
    throw new DomainError('forbidden', `Role '${role}' may not ${command.type} a detainer (allowed: ${allowed.join(', ') || 'none'}).`, {
      role,
      action: command.type,
      allowedRoles: [...allowed],
    });
  }
  if (command.type === 'issue') {
    if (state !== null) throw new InvalidTransitionError(state.status, 'issue', allowedActions(state, role));
    return decideIssue(command, ctx);
  }
  if (state === null) throw new DomainError('not_found', `There is no detainer to ${command.type}: issue one first.`);
  refuseImported(state, command.type);
  if (command.type === 'amend') return decideAmend(state, command, ctx);

  const lodging = currentLodging(state);
  if (!stateActions(state).includes(command.type)) {
    throw new InvalidTransitionError(lodging.status, command.type, allowedActions(state, role));
  }

  const { now } = ctx;
  const zone = lodging.place.timeZone;
  const version = state.version + 1;
  const defaultSource = ctx.source ?? sourceFor(role);
  const event = (body: DetainerEventBody, occurredAt: Date, seq = lodging.seq): DetainerEvent => ({
    version,
    lodging: seq,
    occurredAt,
    recordedAt: now,
    actor: ctx.actor,
    source: body.kind === 'decline_recorded' ? body.data.source : defaultSource,
    ...body,
  });
  // Instants of things that happened: not before this lodging began, not (beyond clock skew) in the future.
  const happened = (field: string, t: Date): Date => {
    if (!isValidInstant(t)) throw DomainError.invalidInput(field, `${field} is not a valid instant`);
    if (t.getTime() < lodging.openedAt.getTime()) {
      throw DomainError.invalidInput(field, `${field} ${formatLocal(t, zone)} is before this lodging began (${formatLocal(lodging.openedAt, zone)})`);
    }
    if (t.getTime() > now.getTime() + CLOCK_SKEW_MS) {
      throw DomainError.invalidInput(field, `${field} ${formatLocal(t, zone)} is in the future; record it once it has happened`);
    }
    return t;
  };

  switch (command.type) {
    case 'acknowledge': {
      oneOf('response', command.response, ACK_RESPONSES);
      if (command.servedAt !== undefined) happened('servedAt', command.servedAt);
      const data = {
        response: command.response,
        ...(command.reason !== undefined && { reason: command.reason }),
        ...(command.policyId !== undefined && { policyId: command.policyId }),
        ...(command.bookingNumber !== undefined && { bookingNumber: command.bookingNumber }),
        ...(command.servedAt !== undefined && { servedAt: command.servedAt }),
      };
      return [event({ kind: 'acknowledged', data }, command.servedAt ?? now)];
    }
    case 'report_not_in_custody':
      return [event({ kind: 'not_in_custody_reported', data: command.note !== undefined ? { note: command.note } : {} }, now)];
    case 'schedule_release': {
      const { releaseAt } = command;
      if (!isValidInstant(releaseAt)) throw DomainError.invalidInput('releaseAt', 'releaseAt is not a valid instant');
      if (releaseAt.getTime() < now.getTime() - CLOCK_SKEW_MS) {
        throw DomainError.invalidInput('releaseAt', `releaseAt ${formatLocal(releaseAt, zone)} is in the past: record the release instead`);
      }
      const lead = noticeLeadHours(releaseAt, now);
      return [event({ kind: 'release_scheduled', data: { releaseAt, noticeLeadHours: lead, shortNotice: isShortNotice(lead) } }, now)];
    }
    case 'plan_pickup': {
      // A plan is for the future, so only the lower bound applies; the planning itself happened now.
      const { at } = command;
      if (!isValidInstant(at)) throw DomainError.invalidInput('at', 'at is not a valid instant');
      if (at.getTime() < lodging.openedAt.getTime()) {
        throw DomainError.invalidInput('at', `at ${formatLocal(at, zone)} is before this lodging began (${formatLocal(lodging.openedAt, zone)})`);
      }
      return [event({ kind: 'pickup_planned', data: { at } }, now)];
    }
    case 'start_hold': {
      const since = happened('since', command.since);
      return [event({ kind: 'hold_started', data: { since, expiresAt: holdExpiresAt(state.form, since, zone) } }, since)];
    }
    case 'transfer_to_ice': {
      const at = happened('at', command.at);
      return [event({ kind: 'transferred_to_ice', data: { at } }, at)];
    }
    case 'release': {
      const at = happened('at', command.at);
      switch (command.destination) {
        case 'community':
          return [event({ kind: 'released', data: { at, destination: 'community' } }, at)];
        case 'other_agency': {
          const to = checkReceivingPlace(command.to, lodging.place);
          return [
            event({ kind: 'released', data: { at, destination: 'other_agency', toFacilityId: to.facilityId } }, at),
            event({ kind: 'lodged', data: { place: to } }, at, lodging.seq + 1),
          ];
        }
        default: {
          const _never: never = command;
          throw DomainError.invalidInput('destination', `unknown destination in ${JSON.stringify(_never)}`);
        }
      }
    }
    case 'refuse': {
      const at = happened('at', command.at);
      const reason = required('reason', command.reason);
      const data = { at, reason, ...(command.policyId !== undefined && { policyId: command.policyId }) };
      return [event({ kind: 'refused', data }, at)];
    }
    case 'record_decline': {
      const at = happened('at', command.at);
      const reason = required('reason', command.reason);
      oneOf('source', command.source, ['lea_reported', 'ice_observed'] as const);
      return [event({ kind: 'decline_recorded', data: { at, reason, source: command.source } }, at)];
    }
    case 'claim_citizenship':
      return [event({ kind: 'citizenship_claimed', data: { note: required('note', command.note) } }, now)];
    case 'dispute_identity':
      return [event({ kind: 'identity_disputed', data: { note: required('note', command.note) } }, now)];
    case 'decide_identity_claim': {
      oneOf('decision', command.decision, ['upheld', 'rejected'] as const);
      const note = required('note', command.note);
      if (command.decision === 'rejected') return [event({ kind: 'identity_claim_rejected', data: { note } }, now)];
      const reason = lodging.identityClaim === 'citizenship' ? 'us_citizen' : 'wrong_subject';
      return [event({ kind: 'cancelled', data: { reason, note } }, now)];
    }
    case 'cancel': {
      oneOf('reason', command.reason, CANCEL_REASONS);
      const data = { reason: command.reason, ...(command.note !== undefined && { note: command.note }) };
      return [event({ kind: 'cancelled', data }, now)];
    }
    case 'record_outcome': {
      oneOf('kind', command.kind, OUTCOME_KINDS);
      const at = happened('at', command.at);
      const data = { kind: command.kind, at, ...(command.relatedDetainerId !== undefined && { relatedDetainerId: command.relatedDetainerId }) };
      return [event({ kind: 'outcome_recorded', data }, at)];
    }
    default: {
      const _never: never = command;
      throw new Error(`Unhandled command ${JSON.stringify(_never)}`);
    }
  }
}

function decideIssue(command: IssueCommand, ctx: CommandContext): DetainerEvent[] {
  const { now } = ctx;
  const issuedAt = command.issuedAt ?? now;
  const problems: FieldProblem[] = [];
  const problem = (field: string, message: string): void => {
    problems.push({ field, message });
  };

  const issuedAtValid = isValidInstant(issuedAt);
  if (!issuedAtValid) problem('issuedAt', 'issuedAt is not a valid instant');
  else if (issuedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) problem('issuedAt', 'issuedAt is in the future');

  const formKnown = DETAINER_FORMS.includes(command.form);
  if (!formKnown) problem('type', `unknown detainer form '${command.form}' (one of ${DETAINER_FORMS.join(', ')})`);
  const zone = command.place.timeZone;
  if (!isValidTimeZone(zone)) {
    problem('facilityId', `the facility's time zone '${zone}' is not an IANA time zone`);
  } else if (formKnown && issuedAtValid && !formValidOn(command.form, issuedAt, zone)) {
    problem('type', `${describeFormValidity(command.form)} (facility local date); issuedAt is ${localDateOf(issuedAt, zone)} in ${zone}`);
  }

  if (command.warrant === undefined) {
    if (formKnown && FORM_RULES[command.form].requiresWarrantAtIssue) {
      problem('warrant', `${command.form} must be accompanied by an administrative warrant (I-200 or I-205) and its number`);
    }
  } else if (!WARRANT_FORMS.includes(command.warrant.form) || !command.warrant.number?.trim()) {
    problem('warrant', `a warrant needs its form (${WARRANT_FORMS.join(' or ')}) and number`);
  }

  const causes = command.probableCause;
  if (!Array.isArray(causes) || causes.length === 0) {
    problem('probableCause', `at least one probable-cause basis is required (${PROBABLE_CAUSES.join(', ')})`);
  } else if (causes.some((c) => !PROBABLE_CAUSES.includes(c))) {
    problem('probableCause', `probable-cause bases must be among ${PROBABLE_CAUSES.join(', ')}`);
  } else if (new Set(causes).size !== causes.length) {
    problem('probableCause', 'probable-cause bases must not repeat');
  }

  if (problems.length === 1) throw new DomainError('invalid_input', problems[0].message, problems);
  if (problems.length > 1) {
    throw new DomainError('invalid_input', `${problems.length} problems: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, problems);
  }

  const data = {
    detainerId: command.detainerId,
    form: command.form,
    subjectId: command.subjectId,
    place: command.place,
    ...(command.bookingNumber !== undefined && { bookingNumber: command.bookingNumber }),
    charges: command.charges,
    probableCause: command.probableCause,
    ...(command.warrant !== undefined && { warrant: command.warrant }),
    channel: command.channel,
    issuingOfficerId: ctx.actor.id,
  };
  return [
    {
      version: 1,
      lodging: 1,
      occurredAt: issuedAt,
      recordedAt: now,
      actor: ctx.actor,
      source: ctx.source ?? sourceFor(ctx.actor.role),
      kind: 'detainer_issued',
      data,
    },
  ];
}

function checkReceivingPlace(to: LodgingPlace, from: LodgingPlace): LodgingPlace {
  if (to.agencyId === from.agencyId) {
    throw DomainError.invalidInput(
      'toFacilityId',
      `facility ${to.facilityId} belongs to the same agency (${from.agencyId}): a move within one agency is not a transfer`,
    );
  }
  if (!isValidTimeZone(to.timeZone)) {
    throw DomainError.invalidInput('toFacilityId', `the receiving facility's time zone '${to.timeZone}' is not an IANA time zone`);
  }
  return to;
}

function sourceFor(role: Role | 'system'): EventSource {
  switch (role) {
    case 'jail_staff':
      return 'lea_reported';
    case 'system':
      return 'system';
    case 'officer':
    case 'supervisor':
    case 'admin':
    case 'analyst':
      return 'ice_observed';
    default: {
      const _never: never = role;
      return _never;
    }
  }
}

function isValidInstant(t: unknown): t is Date {
  return t instanceof Date && !Number.isNaN(t.getTime());
}

function required(field: string, value: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw DomainError.invalidInput(field, `${field} is required`);
  return value;
}

function oneOf<T extends string>(field: string, value: T, allowed: readonly T[]): void {
  if (!allowed.includes(value)) throw DomainError.invalidInput(field, `${field} must be one of ${allowed.join(', ')}; got '${value}'`);
}

// ---------------------------------------------------------------- evolve

export function evolve(state: DetainerState | null, event: DetainerEvent): DetainerState {
  if (event.kind === 'detainer_issued') {
    if (state !== null) throw new Error(`Detainer ${state.id} is already issued`);
    return issuedState(event);
  }
  if (state === null) throw new Error(`Cannot apply '${event.kind}' before 'detainer_issued'`);
  if (event.version < state.version) throw new Error(`Event version ${event.version} is older than state version ${state.version}`);
  const next = applyEvent(state, event);
  return { ...next, status: detainerStatus(currentLodging(next).status, state.status), version: event.version };
}

/** Folds a detainer's events, oldest first, into its state. */
export function replay(events: readonly DetainerEvent[]): DetainerState {
  if (events.length === 0) throw new Error('replay needs at least the detainer_issued event');
  let state: DetainerState | null = null;
  for (const event of events) state = evolve(state, event);
  if (state === null) throw new Error('unreachable');
  return state;
}

function issuedState(event: DetainerEvent & { kind: 'detainer_issued' }): DetainerState {
  const d = event.data;
  const lodging: LodgingState = {
    seq: 1,
    place: d.place,
    status: 'issued',
    openedAt: event.occurredAt,
    ...(d.bookingNumber !== undefined && { bookingNumber: d.bookingNumber }),
    declineReports: [],
    declined: false,
    shortNotice: false,
    missedPickup: false,
    ...(d.imported !== undefined && { imported: true as const }),
  };
  return {
    id: d.detainerId,
    form: d.form,
    version: event.version,
    status: 'issued',
    subjectId: d.subjectId,
    issuingOfficerId: d.issuingOfficerId,
    areaId: d.place.areaId,
    issuedAt: event.occurredAt,
    recordedAt: event.recordedAt,
    channel: d.channel,
    ...(d.warrant !== undefined && { warrant: d.warrant }),
    probableCause: d.probableCause,
    charges: d.charges,
    lodgings: [withDerived(d.form, lodging)],
    ...(d.imported !== undefined && { imported: d.imported }),
  };
}

function applyEvent(state: DetainerState, e: DetainerEvent): DetainerState {
  const patch = (fn: (l: LodgingState) => LodgingState): DetainerState => patchLodging(state, e.lodging, fn);
  switch (e.kind) {
    case 'detainer_issued':
      throw new Error(`Detainer ${state.id} is already issued`);
    case 'acknowledged':
      return patch((l) => ({
        ...l,
        status: 'acknowledged',
        response: e.data.response,
        acknowledgedAt: e.recordedAt,
        ...(e.data.reason !== undefined && { responseReason: e.data.reason }),
        ...(e.data.policyId !== undefined && { policyId: e.data.policyId }),
        ...(e.data.bookingNumber !== undefined && { bookingNumber: e.data.bookingNumber }),
        ...(e.data.servedAt !== undefined && { servedAt: e.data.servedAt }),
      }));
    case 'not_in_custody_reported':
      return patch((l) => ({ ...l, status: 'misdirected', closedAt: e.occurredAt }));
    case 'release_scheduled':
      return patch((l) => ({
        ...l,
        status: l.status === 'refused' ? 'refused' : 'release_scheduled',
        releaseAt: e.data.releaseAt,
        releaseScheduledRecordedAt: e.recordedAt,
        noticeLeadHours: e.data.noticeLeadHours,
        firstNoticeRecordedAt: l.firstNoticeRecordedAt ?? e.recordedAt,
      }));
    case 'pickup_planned':
      return patch((l) => ({ ...l, pickupPlannedAt: e.data.at }));
    case 'hold_started':
      return patch((l) => ({ ...l, status: 'held', holdSince: e.data.since, holdExpiresAt: e.data.expiresAt }));
    case 'transferred_to_ice':
      return patch((l) => ({ ...l, status: 'honored', honoredAt: e.data.at, closedAt: e.data.at, honoredSource: e.source }));
    case 'released':
      return patch((l) => ({
        ...l,
        status: e.data.destination === 'community' ? 'released' : 'transferred',
        releasedAt: e.data.at,
        releaseRecordedAt: e.recordedAt,
        releaseSource: e.source,
        destination: e.data.destination,
        ...(e.data.toFacilityId !== undefined && { toFacilityId: e.data.toFacilityId }),
        closedAt: e.data.at,
      }));
    case 'lodged': {
      if (e.lodging !== state.lodgings.length + 1) throw new Error(`Lodging ${e.lodging} does not follow lodging ${state.lodgings.length}`);
      const lodging: LodgingState = {
        seq: e.lodging,
        place: e.data.place,
        status: 'issued',
        openedAt: e.occurredAt,
        declineReports: [],
        declined: false,
        shortNotice: false,
        missedPickup: false,
      };
      return { ...state, lodgings: [...state.lodgings, withDerived(state.form, lodging)] };
    }
    case 'refused':
      return patch((l) => ({
        ...l,
        status: 'refused',
        refusedAt: e.data.at,
        refusedRecordedAt: e.recordedAt,
        refusedSource: e.source,
        refusalReason: e.data.reason,
        ...(e.data.policyId !== undefined && { policyId: e.data.policyId }),
      }));
    case 'decline_recorded':
      return patch((l) => {
        const declineReports = [...l.declineReports, { at: e.data.at, recordedAt: e.recordedAt, reason: e.data.reason, source: e.data.source }];
        if (!isOpenLodgingStatus(l.status)) return { ...l, declineReports };
        // Learned after the fact: the person is gone, so custody ended at `at`.
        return {
          ...l,
          declineReports,
          status: 'released',
          releasedAt: e.data.at,
          releaseRecordedAt: e.recordedAt,
          releaseSource: e.data.source,
          destination: 'community',
          closedAt: e.data.at,
        };
      });
    case 'citizenship_claimed':
    case 'identity_disputed':
      return patch((l) => ({
        ...l,
        status: 'disputed',
        identityClaim: e.kind === 'citizenship_claimed' ? 'citizenship' : 'identity',
        statusBeforeDispute: l.status,
      }));
    case 'identity_claim_rejected':
      return patch((l) => {
        const { identityClaim: _claim, statusBeforeDispute, ...rest } = l;
        if (statusBeforeDispute === undefined) throw new Error(`Lodging ${l.seq} has no claim to reject`);
        return { ...rest, status: statusBeforeDispute };
      });
    case 'cancelled': {
      const next = patch((l) => {
        const { identityClaim: _claim, statusBeforeDispute: _before, ...rest } = l;
        return { ...rest, status: 'cancelled', closedAt: e.occurredAt };
      });
      return {
        ...next,
        cancelReason: e.data.reason,
        ...(e.data.note !== undefined && { cancelNote: e.data.note }),
        cancelledAt: e.occurredAt,
      };
    }
    case 'outcome_recorded':
      return {
        ...state,
        outcome: {
          kind: e.data.kind,
          at: e.data.at,
          ...(e.data.relatedDetainerId !== undefined && { relatedDetainerId: e.data.relatedDetainerId }),
        },
      };
    case 'record_disputed':
    case 'record_dispute_resolved':
    case 'decline_retracted':
    case 'record_excluded':
      return applyRecordDisputeEvent(state, e, patch);
    case 'record_amended': {
      const { after } = e.data;
      const withCharges = after.charges !== undefined ? { ...state, charges: after.charges } : state;
      if (after.bookingNumber === undefined) return withCharges;
      return patchLodging(withCharges, e.lodging, (l) => ({ ...l, bookingNumber: after.bookingNumber ?? undefined }));
    }
    case 'import_corrected':
      // What the corrected row says, from the start: an imported record has no history of its own.
      return replay(importedEvents(e.data.record));
    // claims recorded in the stream before they had their own history: not facts about the detainer
    case 'queue_item_claimed':
    case 'queue_claim_released':
      return state;
    default: {
      const _never: never = e;
      throw new Error(`Unhandled event ${JSON.stringify(_never)}`);
    }
  }
}

function patchLodging(state: DetainerState, seq: number, fn: (l: LodgingState) => LodgingState): DetainerState {
  const index = state.lodgings.findIndex((l) => l.seq === seq);
  if (index < 0) throw new Error(`Detainer ${state.id} has no lodging ${seq}`);
  const lodgings = [...state.lodgings];
  lodgings[index] = withDerived(state.form, fn(lodgings[index]));
  return { ...state, lodgings };
}

/** Recomputes the decline rule's fields from the lodging's facts. */
function withDerived(form: DetainerState['form'], lodging: LodgingState): LodgingState {
  const { declined: _d, declineKind: _k, declineRecordedAt: _r, shortNotice: _s, missedPickup: _m, ...facts } = lodging;
  const base: LodgingState = { ...facts, declined: false, shortNotice: false, missedPickup: false };
  return { ...base, ...assessLodging(form, base) };
}

/**
 * The detainer's status is its current lodging's. A lodging is `transferred` only between the
 * `released` (other_agency) event and the `lodged` event that always follows it in the same decision;
 * in that moment the detainer keeps its previous status.
 */
function detainerStatus(status: LodgingStatus, previous: DetainerStatus): DetainerStatus {
  return status === 'transferred' ? previous : status;
}
