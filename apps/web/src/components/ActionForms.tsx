import { type SubmitEvent, useEffect, useRef, useState } from 'react';
import { query } from '../api/client';
import type { ActionName, Agency, Detainer, Facility, Page, Policy, Role } from '../api/types';
import { ACTION_LABELS, CANCEL_REASON_LABELS, OUTCOME_LABELS, RESPONSE_LABELS } from '../lib/labels';
import { useSession } from '../lib/session';
import { toLocalInputValue } from '../lib/time';
import {
  addFieldError, emptyLocalTime, errorsFromApi, ErrorSummary, type FormErrors, hasErrors, LocalDateTimeField, localTimeForApi, type LocalTimeValue,
  NO_ERRORS, RadioGroup, SelectField, TextAreaField, TextField,
} from './forms';

type Option = { value: string; label: string };

type FieldSpec =
  | { kind: 'time'; name: string; label: string; required?: boolean; hint?: string; /** A local time, or 'now'. */ initial?: string }
  | { kind: 'select'; name: string; label: string; options: Option[]; required?: boolean; placeholder?: string; initial?: string }
  | { kind: 'radio'; name: string; label: string; options: Option[]; required?: boolean }
  | { kind: 'text' | 'textarea'; name: string; label: string; required?: boolean; hint?: string; initial?: string }
  | { kind: 'policy'; name: string; label: string }
  | { kind: 'facility'; name: string; label: string; required?: boolean; showIf?: (v: Values) => boolean };

type Values = Record<string, string | LocalTimeValue>;

interface ActionSpec {
  path: string;
  intro?: string;
  submit: string;
  done: string;
  fields: FieldSpec[];
}

const options = (labels: Record<string, string>): Option[] => Object.entries(labels).map(([value, label]) => ({ value, label }));

/** What each action asks for. Times are entered in the facility's local time and sent without offset. */
function specOf(action: ActionName, d: Detainer, role: Role): ActionSpec {
  switch (action) {
    case 'acknowledge':
      return {
        path: 'acknowledge', submit: 'Acknowledge', done: 'Acknowledged.',
        intro: 'Confirm that your agency received this request, and say whether it will comply.',
        fields: [
          { kind: 'radio', name: 'response', label: 'Response', options: options(RESPONSE_LABELS), required: true },
          { kind: 'textarea', name: 'reason', label: 'Reason', hint: 'Why, when you will notify only or will not comply.' },
          { kind: 'policy', name: 'policyId', label: 'Policy relied on' },
          { kind: 'text', name: 'bookingNumber', label: 'Booking number', initial: d.bookingNumber ?? '' },
          { kind: 'time', name: 'servedAt', label: 'Subject served with the detainer', hint: 'Leave empty if not served.' },
        ],
      };
    case 'report_not_in_custody':
      return {
        path: 'not-in-custody', submit: 'Report not in custody', done: 'Reported as not in your custody: the detainer goes back to the issuing office.',
        intro: 'The person is not held by your agency. The detainer is marked misdirected and never counts as issued to or declined by your agency.',
        fields: [{ kind: 'textarea', name: 'note', label: 'Note' }],
      };
    case 'schedule_release':
      return {
        path: 'schedule-release', submit: d.releaseAt ? 'Change release date' : 'Give release date', done: 'Release date and time saved.',
        intro: 'Under 48 hours from now is short notice: it is recorded as such (it is not a decline).',
        fields: [{ kind: 'time', name: 'releaseAt', label: 'Release date and time', required: true, initial: d.releaseAt }],
      };
    case 'plan_pickup':
      return {
        path: 'plan-pickup', submit: 'Plan pickup', done: 'Pickup planned.',
        fields: [{ kind: 'time', name: 'at', label: 'Pickup date and time', required: true, initial: d.pickupPlannedAt ?? d.releaseAt }],
      };
    case 'start_hold':
      return {
        path: 'start-hold', submit: 'Start hold', done: 'Hold started.',
        intro: 'The hold ends at the latest 48 hours after it starts.',
        fields: [{ kind: 'time', name: 'since', label: 'Hold starts', required: true, initial: 'now' }],
      };
    case 'transfer_to_ice':
      return {
        path: 'transfer-to-ice', submit: 'Record custody to ICE', done: 'Custody passed to ICE: honored.',
        fields: [{ kind: 'time', name: 'at', label: 'Custody passed at', required: true, initial: 'now' }],
      };
    case 'release':
      return {
        path: 'release', submit: 'Record release', done: 'Release recorded.',
        intro: 'A release to another agency transfers the detainer: it follows the person and must be acknowledged there.',
        fields: [
          { kind: 'time', name: 'at', label: 'Released at', required: true, initial: 'now' },
          {
            kind: 'radio', name: 'destination', label: 'Released to', required: true,
            options: [{ value: 'community', label: 'The community' }, { value: 'other_agency', label: "Another agency's facility (transfer)" }],
          },
          { kind: 'facility', name: 'toFacilityId', label: 'Receiving facility', required: true, showIf: (v) => v.destination === 'other_agency' },
        ],
      };
    case 'refuse':
      return {
        path: 'refuse', submit: 'Record refusal', done: 'Refusal recorded (a decline).',
        intro: 'Your agency will not honor the request while it still holds the person. This records a decline now.',
        fields: [
          { kind: 'time', name: 'at', label: 'Refused at', required: true, initial: 'now' },
          { kind: 'textarea', name: 'reason', label: 'Reason', required: true },
          { kind: 'policy', name: 'policyId', label: 'Policy relied on' },
        ],
      };
    case 'record_decline':
      return {
        path: 'record-decline', submit: 'Record decline', done: 'Decline recorded.',
        intro: 'A release against the request, learned after the fact.',
        fields: [
          { kind: 'time', name: 'at', label: 'Released at', required: true },
          { kind: 'textarea', name: 'reason', label: 'Reason', required: true },
          {
            kind: 'select', name: 'source', label: 'Source', required: true, initial: role === 'jail_staff' ? 'lea_reported' : 'ice_observed',
            options: [{ value: 'lea_reported', label: 'Reported by the agency' }, { value: 'ice_observed', label: 'Observed by ICE' }],
          },
        ],
      };
    case 'claim_citizenship':
      return {
        path: 'claim-citizenship', submit: 'Record citizenship claim', done: 'Citizenship claim recorded: the detainer is disputed and any hold is suspended.',
        intro: 'The subject claims U.S. citizenship. The detainer becomes disputed, any hold is suspended, and a supervisor decides.',
        fields: [{ kind: 'textarea', name: 'note', label: 'What was claimed, and on what basis', required: true }],
      };
    case 'dispute_identity':
      return {
        path: 'dispute-identity', submit: 'Record wrong person', done: 'Identity dispute recorded: the detainer is disputed and any hold is suspended.',
        intro: 'The person held is not the subject of this detainer. It becomes disputed, any hold is suspended, and a supervisor decides.',
        fields: [{ kind: 'textarea', name: 'note', label: 'Why this is not the subject', required: true }],
      };
    case 'decide_identity_claim':
      return {
        path: 'decide-identity-claim', submit: 'Decide', done: 'Decision recorded.',
        intro: 'Upheld cancels the detainer (U.S. citizen or wrong subject; it never counts). Rejected restores it.',
        fields: [
          { kind: 'radio', name: 'decision', label: 'Decision', required: true, options: [{ value: 'upheld', label: 'Upheld: cancel the detainer' }, { value: 'rejected', label: 'Rejected: restore the detainer' }] },
          { kind: 'textarea', name: 'note', label: 'Reasons', required: true },
        ],
      };
    case 'cancel':
      return {
        path: 'cancel', submit: 'Cancel detainer', done: 'Detainer cancelled.',
        fields: [
          { kind: 'select', name: 'reason', label: 'Reason', required: true, placeholder: 'Choose a reason', options: options(CANCEL_REASON_LABELS) },
          { kind: 'textarea', name: 'note', label: 'Note' },
        ],
      };
    case 'record_outcome':
      return {
        path: 'outcome', submit: 'Record outcome', done: 'Outcome recorded.',
        fields: [
          { kind: 'select', name: 'kind', label: 'Outcome', required: true, placeholder: 'Choose an outcome', options: options(OUTCOME_LABELS) },
          { kind: 'time', name: 'at', label: 'When', required: true, initial: 'now' },
          { kind: 'text', name: 'relatedDetainerId', label: 'Related detainer id', hint: 'For a rearrest: the id of the new detainer on the same person.' },
        ],
      };
  }
}

function initialValues(spec: ActionSpec, zone: string): Values {
  const v: Values = {};
  for (const f of spec.fields) {
    if (f.kind === 'time') {
      v[f.name] = f.initial === 'now' ? { local: toLocalInputValue(new Date(), zone), offset: null, now: true } : emptyLocalTime(f.initial ? toLocalInputValue(f.initial, zone) : '');
    }
    else if (f.kind === 'select' || f.kind === 'text' || f.kind === 'textarea') v[f.name] = f.initial ?? '';
    else v[f.name] = '';
  }
  return v;
}

const visible = (f: FieldSpec, v: Values) => !(f.kind === 'facility' && f.showIf && !f.showIf(v));

/** One action's form: labelled fields, problems next to them (ours and the API's), sent with the version last read. */
export function ActionForm({ action, detainer, onDone, onCancel }: { action: ActionName; detainer: Detainer; onDone: (message: string) => Promise<void>; onCancel: () => void }) {
  const { session, post, get } = useSession();
  const zone = detainer.timeZone;
  const spec = specOf(action, detainer, session.me.role);
  const [values, setValues] = useState<Values>(() => initialValues(spec, zone));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [policies, setPolicies] = useState<Option[] | null>(null);
  const [facilities, setFacilities] = useState<Option[] | null>(null);
  const idOf = (field: string) => `${action}-${field}`;
  // Keyboard and screen-reader users land on the form they opened.
  const title = useRef<HTMLHeadingElement>(null);
  useEffect(() => title.current?.focus(), []);

  const needsPolicies = spec.fields.some((f) => f.kind === 'policy');
  const needsFacilities = spec.fields.some((f) => f.kind === 'facility');
  useEffect(() => {
    if (!needsPolicies) return;
    get<Policy[]>(`/api/v1/jurisdictions/${detainer.jurisdiction.id}/policies`).then(
      (list) => setPolicies(list.map((p) => ({ value: p.id, label: `${p.citation} (from ${p.effectiveFrom}${p.effectiveTo ? ` to ${p.effectiveTo}` : ''})` }))),
      () => setPolicies([]),
    );
  }, [needsPolicies, detainer.jurisdiction.id, get]);
  useEffect(() => {
    if (!needsFacilities) return;
    Promise.all([get<Page<Facility>>(`/api/v1/facilities${query({ limit: 500 })}`), get<Page<Agency>>(`/api/v1/agencies${query({ limit: 500 })}`)]).then(
      ([fs, as]) => {
        const agencies = new Map(as.items.map((a) => [a.id, a]));
        setFacilities(
          fs.items
            .filter((f) => f.agencyId !== detainer.agency.id)
            .map((f) => ({ value: f.id, label: `${f.name} — ${agencies.get(f.agencyId)?.name ?? 'agency'} ${agencies.get(f.agencyId) ? `(${agencies.get(f.agencyId)!.ori})` : ''} — ${f.timeZone}` }))
            .sort((a, b) => a.label.localeCompare(b.label)),
        );
      },
      () => setFacilities([]),
    );
  }, [needsFacilities, detainer.agency.id, get]);

  const set = (name: string, value: string | LocalTimeValue) => setValues((v) => ({ ...v, [name]: value }));

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    let found = NO_ERRORS;
    const body: Record<string, unknown> = { expectedVersion: detainer.version };
    for (const f of spec.fields) {
      if (!visible(f, values)) continue;
      const value = values[f.name];
      if (f.kind === 'time') {
        const t = value as LocalTimeValue;
        if (!t.local) {
          if (f.required) found = addFieldError(found, f.name, `Enter the ${f.label.toLowerCase()}.`);
          continue;
        }
        const r = localTimeForApi(t, zone);
        if (r.ok) body[f.name] = r.value;
        else found = addFieldError(found, f.name, r.message);
      } else {
        const text = (value as string).trim();
        if (!text) {
          if ('required' in f && f.required) found = addFieldError(found, f.name, f.kind === 'radio' || f.kind === 'select' || f.kind === 'facility' ? `Choose the ${f.label.toLowerCase()}.` : `Enter the ${f.label.toLowerCase()}.`);
          continue;
        }
        body[f.name] = text;
      }
    }
    setErrors(found);
    if (hasErrors(found)) return;
    setBusy(true);
    try {
      await post<Detainer>(`/api/v1/detainers/${detainer.id}/${spec.path}`, body);
      await onDone(spec.done);
    } catch (error) {
      setErrors(errorsFromApi(error, (field) => spec.fields.some((f) => f.name === field && visible(f, values))));
      setBusy(false);
    }
  };

  return (
    <form className="action-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${action}-title`}>
      <h3 id={`${action}-title`} tabIndex={-1} ref={title}>{ACTION_LABELS[action]}</h3>
      {spec.intro ? <p className="hint">{spec.intro}</p> : null}
      <ErrorSummary errors={errors} idOf={idOf} title="Not saved" />
      {spec.fields.filter((f) => visible(f, values)).map((f) => {
        const id = idOf(f.name);
        const errs = errors.fields[f.name];
        switch (f.kind) {
          case 'time':
            return <LocalDateTimeField key={f.name} id={id} label={f.label} zone={zone} required={f.required} hint={f.hint} errors={errs}
              value={values[f.name] as LocalTimeValue} onChange={(v) => set(f.name, v)} />;
          case 'radio':
            return <RadioGroup key={f.name} id={id} label={f.label} options={f.options} required={f.required} errors={errs}
              value={values[f.name] as string} onChange={(v) => set(f.name, v)} />;
          case 'select':
            return <SelectField key={f.name} id={id} label={f.label} options={f.options} required={f.required} placeholder={f.placeholder} errors={errs}
              value={values[f.name] as string} onChange={(v) => set(f.name, v)} />;
          case 'policy':
            return <SelectField key={f.name} id={id} label={f.label} options={policies ?? []} errors={errs}
              placeholder={policies === null ? 'Loading policies…' : policies.length ? 'None' : `No policy on file for ${detainer.jurisdiction.name}`}
              value={values[f.name] as string} onChange={(v) => set(f.name, v)} />;
          case 'facility':
            return <SelectField key={f.name} id={id} label={f.label} options={facilities ?? []} required={f.required} errors={errs}
              placeholder={facilities === null ? 'Loading facilities…' : 'Choose the receiving facility'}
              value={values[f.name] as string} onChange={(v) => set(f.name, v)} />;
          case 'textarea':
            return <TextAreaField key={f.name} id={id} label={f.label} required={f.required} hint={f.hint} errors={errs} maxLength={2000}
              value={values[f.name] as string} onChange={(v) => set(f.name, v)} />;
          case 'text':
            return <TextField key={f.name} id={id} label={f.label} required={f.required} hint={f.hint} errors={errs}
              value={values[f.name] as string} onChange={(v) => set(f.name, v)} />;
        }
      })}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>{busy ? 'Saving…' : spec.submit}</button>
        <button type="button" onClick={onCancel}>Close</button>
      </div>
    </form>
  );
}
