import { type SubmitEvent, useState } from 'react';
import type { Detainer, SubjectWithDetainers } from '../api/types';
import { addFieldError, errorsFromApi, type FormErrors, hasErrors, NO_ERRORS } from '../lib/form-values';
import { COUNTRIES, countryCodeOf, countryName, dateOfBirthProblem, FIELD_LIMITS, nameProblem, ncicCodeProblem, stateIdProblem, textProblem } from '../lib/plausibility';
import { Link } from '../lib/router';
import { useLoad, useSession } from '../lib/session';
import { localDate } from '../lib/time';
import { LocalTime, StatusBadge } from './detainer-bits';
import { ErrorSummary, SelectField, TextAreaField, TextField } from './forms';

const idOf = (field: string) => `amend-${field}`;

type ChargeDraft = Omit<Detainer['charges'][number], 'ncicCode'> & { ncicCode: string };
const CHARGE_LEVEL_OPTIONS = [{ value: 'felony', label: 'Felony' }, { value: 'misdemeanor', label: 'Misdemeanor' }];
const CHARGE_STATUS_OPTIONS = [{ value: 'pending', label: 'Pending' }, { value: 'convicted', label: 'Convicted' }];

/**
 * Correct the record (POST /detainers/:id/amend): the issuing AOR the person and the charges, the
 * agency holding the person its booking number. Only what changed is sent; the reason is required.
 */
export function AmendSection({ detainer: d, onDone }: { detainer: Detainer; onDone: (message: string) => Promise<void> }) {
  const parts = d.mayAmend ?? [];
  const [open, setOpen] = useState(false);
  if (parts.length === 0) return null;
  return (
    <section className="amend" aria-labelledby="amend-title">
      <h2 id="amend-title">Corrections</h2>
      {open ? (
        <AmendForm key={d.version} detainer={d} onCancel={() => setOpen(false)} onDone={async (m) => { setOpen(false); await onDone(m); }} />
      ) : (
        <button type="button" aria-expanded={false} onClick={() => setOpen(true)}>
          Correct the record
        </button>
      )}
    </section>
  );
}

function AmendForm({ detainer: d, onCancel, onDone }: { detainer: Detainer; onCancel: () => void; onDone: (message: string) => Promise<void> }) {
  const { post } = useSession();
  const parts = d.mayAmend ?? [];
  const s = d.subject;
  const [reason, setReason] = useState('');
  const [subject, setSubject] = useState({
    familyName: s?.familyName ?? '', givenName: s?.givenName ?? '', dateOfBirth: s?.dateOfBirth ?? '', sex: s?.sex ?? '', citizenship: s?.citizenship ?? '', fbiNumber: s?.fbiNumber ?? '', stateId: s?.stateId ?? '',
  });
  const [charges, setCharges] = useState<ChargeDraft[]>(d.charges.map((c) => ({ ...c, ncicCode: c.ncicCode ?? '' })));
  const [bookingNumber, setBookingNumber] = useState(d.bookingNumber ?? '');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const err = (f: string) => errors.fields[f];

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    let found = NO_ERRORS;
    const check = (field: string, message: string | null) => { if (message) found = addFieldError(found, field, message); };
    check('reason', textProblem('reason', reason, FIELD_LIMITS.reason) && 'Say why the record is corrected (e.g. what document shows the right value).');
    const body: Record<string, unknown> = { reason: reason.trim(), expectedVersion: d.version };
    if (parts.includes('subject') && s) {
      const changes: Record<string, string> = {};
      const today = localDate(new Date(), d.timeZone);
      if (subject.familyName !== s.familyName) { check('subject.familyName', nameProblem('familyName', subject.familyName)); changes.familyName = subject.familyName.trim(); }
      if (subject.givenName !== s.givenName) { check('subject.givenName', nameProblem('givenName', subject.givenName)); changes.givenName = subject.givenName.trim(); }
      if (subject.dateOfBirth !== s.dateOfBirth) { check('subject.dateOfBirth', dateOfBirthProblem(subject.dateOfBirth, today)); changes.dateOfBirth = subject.dateOfBirth; }
      if (subject.sex && subject.sex !== (s.sex ?? '')) changes.sex = subject.sex;
      const code = countryCodeOf(subject.citizenship);
      if (code !== s.citizenship) {
        if (!code) check('subject.citizenship', 'Choose the country of citizenship from the list (type its name or its two-letter code).');
        else changes.citizenship = code;
      }
      if (subject.fbiNumber.trim() && subject.fbiNumber.trim() !== (s.fbiNumber ?? '')) changes.fbiNumber = subject.fbiNumber.trim();
      if (subject.stateId.trim() && subject.stateId.trim().toUpperCase() !== (s.stateId ?? '')) { check('subject.stateId', stateIdProblem(subject.stateId)); changes.stateId = subject.stateId.trim(); }
      if (Object.keys(changes).length) body.subject = changes;
    }
    if (parts.includes('charges')) {
      const next = charges.map((c) => ({ description: c.description.trim(), ...(c.ncicCode.trim() ? { ncicCode: c.ncicCode.trim().toUpperCase() } : {}), level: c.level, status: c.status }));
      next.forEach((c, i) => {
        check(`charges[${i}].description`, textProblem('description', c.description, FIELD_LIMITS.chargeDescription));
        if (c.ncicCode) check(`charges[${i}].ncicCode`, ncicCodeProblem(c.ncicCode));
      });
      if (JSON.stringify(next) !== JSON.stringify(d.charges.map((c) => ({ description: c.description, ...(c.ncicCode ? { ncicCode: c.ncicCode } : {}), level: c.level, status: c.status })))) body.charges = next;
    }
    if (parts.includes('bookingNumber') && bookingNumber.trim() !== (d.bookingNumber ?? '')) {
      check('bookingNumber', textProblem('bookingNumber', bookingNumber.trim(), FIELD_LIMITS.bookingNumber));
      body.bookingNumber = bookingNumber.trim();
    }
    if (!body.subject && !body.charges && body.bookingNumber === undefined && !hasErrors(found)) found = { ...found, general: ['Change at least one value: everything is as on file.'] };
    setErrors(found);
    if (hasErrors(found)) return;
    setBusy(true);
    try {
      await post<Detainer>(`/api/v1/detainers/${d.id}/amend`, body);
      await onDone('Record corrected. The timeline shows what changed.');
    } catch (error) {
      setErrors(errorsFromApi(error, (field) => field === 'reason' || field === 'bookingNumber' || field.startsWith('subject.') || field.startsWith('charges[')));
      setBusy(false);
    }
  };

  return (
    <form className="action-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="amend-form-title">
      <h3 id="amend-form-title">Correct the record</h3>
      <p className="hint">The change is kept with the value before and after and your reason; nothing is overwritten without trace.</p>
      <ErrorSummary errors={errors} idOf={idOf} title="Not corrected" />
      {parts.includes('subject') && s ? (
        <fieldset>
          <legend>Person</legend>
          <TextField id={idOf('subject.familyName')} label="Family name" value={subject.familyName} errors={err('subject.familyName')} onChange={(v) => setSubject({ ...subject, familyName: v })} autoComplete="off" />
          <TextField id={idOf('subject.givenName')} label="Given name" value={subject.givenName} errors={err('subject.givenName')} onChange={(v) => setSubject({ ...subject, givenName: v })} autoComplete="off" />
          <TextField id={idOf('subject.dateOfBirth')} type="date" label="Date of birth" value={subject.dateOfBirth} errors={err('subject.dateOfBirth')} onChange={(v) => setSubject({ ...subject, dateOfBirth: v })} />
          <SelectField id={idOf('subject.sex')} label="Sex" value={subject.sex} placeholder="Not recorded" errors={err('subject.sex')} onChange={(v) => setSubject({ ...subject, sex: v })}
            options={[{ value: 'F', label: 'Female' }, { value: 'M', label: 'Male' }, { value: 'X', label: 'X' }]} />
          <TextField id={idOf('subject.citizenship')} label="Citizenship" list="amend-countries" autoComplete="off" value={subject.citizenship} errors={err('subject.citizenship')}
            hint={countryCodeOf(subject.citizenship) ? `${countryName(countryCodeOf(subject.citizenship)!)} (${countryCodeOf(subject.citizenship)})` : 'Type the country\'s name and pick it'}
            onChange={(v) => setSubject({ ...subject, citizenship: v })} />
          <datalist id="amend-countries">{COUNTRIES.map((c) => <option key={c.code} value={`${c.name} (${c.code})`} />)}</datalist>
          <TextField id={idOf('subject.fbiNumber')} label="FBI number" value={subject.fbiNumber} errors={err('subject.fbiNumber')} onChange={(v) => setSubject({ ...subject, fbiNumber: v })} autoComplete="off" />
          <TextField id={idOf('subject.stateId')} label="State ID (SID)" value={subject.stateId} errors={err('subject.stateId')} onChange={(v) => setSubject({ ...subject, stateId: v })} autoComplete="off" />
        </fieldset>
      ) : null}
      {parts.includes('charges') ? (
        <fieldset>
          <legend>Charges</legend>
          {charges.length === 0 ? <p className="muted">No charges on file.</p> : null}
          {charges.map((c, i) => (
            <div key={i} className="row charge" role="group" aria-label={`Charge ${i + 1}`}>
              <TextField id={idOf(`charges[${i}].description`)} label={`Description of charge ${i + 1}`} value={c.description} errors={err(`charges[${i}].description`)} className="grow"
                onChange={(v) => setCharges(charges.map((x, j) => (j === i ? { ...x, description: v } : x)))} />
              <TextField id={idOf(`charges[${i}].ncicCode`)} label={`NCIC code of charge ${i + 1}`} value={c.ncicCode} errors={err(`charges[${i}].ncicCode`)}
                onChange={(v) => setCharges(charges.map((x, j) => (j === i ? { ...x, ncicCode: v } : x)))} />
              <SelectField id={idOf(`charges[${i}].level`)} label={`Level of charge ${i + 1}`} value={c.level} errors={err(`charges[${i}].level`)} options={CHARGE_LEVEL_OPTIONS}
                onChange={(v) => setCharges(charges.map((x, j) => (j === i ? { ...x, level: v as ChargeDraft['level'] } : x)))} />
              <SelectField id={idOf(`charges[${i}].status`)} label={`Status of charge ${i + 1}`} value={c.status} errors={err(`charges[${i}].status`)} options={CHARGE_STATUS_OPTIONS}
                onChange={(v) => setCharges(charges.map((x, j) => (j === i ? { ...x, status: v as ChargeDraft['status'] } : x)))} />
              <div className="field field-button">
                <button type="button" onClick={() => setCharges(charges.filter((_, j) => j !== i))} aria-label={`Remove charge ${i + 1}`}>Remove</button>
              </div>
            </div>
          ))}
          <button type="button" onClick={() => setCharges([...charges, { description: '', ncicCode: '', level: 'felony', status: 'pending' }])}>Add a charge</button>
        </fieldset>
      ) : null}
      {parts.includes('bookingNumber') ? (
        <TextField id={idOf('bookingNumber')} label="Booking number" value={bookingNumber} errors={err('bookingNumber')} onChange={setBookingNumber} autoComplete="off" />
      ) : null}
      <TextAreaField id={idOf('reason')} label="Reason for the correction" required value={reason} errors={err('reason')} onChange={setReason} maxLength={FIELD_LIMITS.reason} />
      <div className="form-buttons">
        <button type="submit" className="primary" disabled={busy}>{busy ? 'Saving…' : 'Save correction'}</button>
        <button type="button" onClick={onCancel} disabled={busy}>Cancel</button>
      </div>
    </form>
  );
}

/** The other requests on the same person that the caller may see (GET /subjects/:id): repeat subjects. */
export function OtherRequests({ detainer: d }: { detainer: Detainer }) {
  const { get } = useSession();
  const subjectId = d.subject?.id;
  const others = useLoad(
    (signal) => (subjectId ? get<SubjectWithDetainers>(`/api/v1/subjects/${subjectId}`, { signal }) : Promise.resolve(null)),
    [subjectId, d.version],
  );
  const items = (others.data?.detainers ?? []).filter((x) => x.id !== d.id);
  if (!subjectId || others.loading || items.length === 0) return null;
  return (
    <section aria-labelledby="others-title">
      <h2 id="others-title">Other requests on this person ({items.length})</h2>
      <ul className="other-requests">
        {items.map((x) => (
          <li key={x.id}>
            <Link to={`/detainers/${x.id}`}>{x.type} issued <LocalTime at={x.issuedAt} zone={x.timeZone} /></Link>{' '}
            <StatusBadge status={x.status} /> <span className="muted">{x.facility.name}, {x.agency.name}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
