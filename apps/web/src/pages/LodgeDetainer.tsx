import { type SubmitEvent, useMemo, useState } from 'react';
import { ApiError, query } from '../api/client';
import type { Detainer, Page, SubjectMatch } from '../api/types';
import { facilityOptions, LocalTime } from '../components/detainer-bits';
import {
  addFieldError, emptyLocalTime, errorsFromApi, ErrorSummary, type FormErrors, hasErrors, LocalDateTimeField, localTimeForApi, type LocalTimeValue,
  NO_ERRORS, SelectField, TextField,
} from '../components/forms';
import { ErrorMessage, flashNext, Loading, PageTitle } from '../components/page';
import { CHANNEL_LABELS, PROBABLE_CAUSE_LABELS } from '../lib/labels';
import { navigate } from '../lib/router';
import { useSession } from '../lib/session';
import { useFacilities } from './DetainerList';
import { COUNTRIES, countryCodeOf, countryName, dateOfBirthProblem, FIELD_LIMITS, nameProblem, ncicCodeProblem, stateIdProblem, textProblem } from '../lib/plausibility';
import { localDate } from '../lib/time';

const FORMS = [
  { value: 'I-247A', label: 'I-247A Immigration Detainer – Notice of Action (from 2 April 2017)' },
  { value: 'I-247D', label: 'I-247D Immigration Detainer – Request for Voluntary Action (2015 – 1 April 2017)' },
  { value: 'I-247N', label: 'I-247N Request for Voluntary Notification of Release (2015 – 1 April 2017)' },
  { value: 'I-247X', label: 'I-247X Request for Voluntary Transfer (2015 – 1 April 2017)' },
  { value: 'I-247', label: 'I-247 Immigration Detainer – Notice of Action (before 2015)' },
];

interface ChargeDraft {
  description: string;
  ncicCode: string;
  level: string;
  status: string;
}

const emptyCharge = (): ChargeDraft => ({ description: '', ncicCode: '', level: 'felony', status: 'pending' });
const A_NUMBER = /^[Aa][\s-]?\d(?:[\s-]?\d){7,8}$/;

/** DOM id of the control showing an API field path (`charges[0].level` -> `lodge-charges-0-level`). */
const idOf = (field: string) => `lodge-${field.replace(/\[(\d+)\]/g, '-$1').replace(/\./g, '-')}`;
/** Fields the API names as a whole are shown at the control that fixes them. */
const ALIASES: Record<string, string> = { warrant: 'warrant.number', subject: 'subject.aNumber', charges: 'charges[0].description' };
const fieldOf = (field: string) => ALIASES[field] ?? field;

function newIdempotencyKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

type Lookup = { state: 'idle' } | { state: 'looking' } | { state: 'found'; match: SubjectMatch } | { state: 'none'; aNumber: string } | { state: 'error'; error: unknown };

/** Officer: lodge a detainer with a facility of the AOR. */
export function LodgeDetainer() {
  const { post, get } = useSession();
  const facilities = useFacilities();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [subject, setSubject] = useState({ aNumber: '', fbiNumber: '', stateId: '', familyName: '', givenName: '', dateOfBirth: '', sex: '', citizenship: '' });
  const [lookup, setLookup] = useState<Lookup>({ state: 'idle' });
  const [facilityId, setFacilityId] = useState('');
  const [bookingNumber, setBookingNumber] = useState('');
  const [type, setType] = useState('I-247A');
  const [warrant, setWarrant] = useState({ form: 'I-200', number: '' });
  const [probableCause, setProbableCause] = useState<string[]>([]);
  const [channel, setChannel] = useState('electronic');
  const [issuedAt, setIssuedAt] = useState<LocalTimeValue>(emptyLocalTime());
  const [charges, setCharges] = useState<ChargeDraft[]>([emptyCharge()]);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  const facility = useMemo(() => facilities.data?.find((f) => f.id === facilityId), [facilities.data, facilityId]);
  const linked = lookup.state === 'found' ? lookup.match : null;
  const err = (field: string) => errors.fields[field];

  const lookUp = async () => {
    const aNumber = subject.aNumber.trim();
    if (!A_NUMBER.test(aNumber)) {
      const { 'subject.aNumber': _a, ...rest } = errors.fields;
      setErrors(addFieldError({ ...errors, fields: rest }, 'subject.aNumber', 'An A-number is the letter A followed by 8 or 9 digits, e.g. A012345678.'));
      return;
    }
    setLookup({ state: 'looking' });
    try {
      const found = await get<Page<SubjectMatch>>(`/api/v1/subjects${query({ aNumber })}`);
      const match = found.items[0];
      if (match) {
        setLookup({ state: 'found', match });
        setSubject({
          aNumber: match.aNumber ?? aNumber, fbiNumber: match.fbiNumber ?? '', stateId: match.stateId ?? '', familyName: match.familyName, givenName: match.givenName,
          dateOfBirth: match.dateOfBirth, sex: match.sex ?? '', citizenship: match.citizenship,
        });
      } else setLookup({ state: 'none', aNumber });
      const { 'subject.aNumber': _a, ...rest } = errors.fields;
      setErrors({ ...errors, fields: rest });
    } catch (error) {
      if (error instanceof ApiError && error.status === 400) {
        const { 'subject.aNumber': _a, ...rest } = errors.fields;
        setErrors(addFieldError({ ...errors, fields: rest }, 'subject.aNumber', error.fields[0]?.message ?? error.message));
        setLookup({ state: 'idle' });
      } else setLookup({ state: 'error', error });
    }
  };

  const validate = (): FormErrors => {
    let e = NO_ERRORS;
    const need = (field: string, ok: boolean, message: string) => {
      if (!ok) e = addFieldError(e, field, message);
    };
    need('subject.aNumber', !subject.aNumber.trim() || A_NUMBER.test(subject.aNumber.trim()), 'An A-number is the letter A followed by 8 or 9 digits, e.g. A012345678.');
    const problem = (field: string, message: string | null) => need(field, message === null, message ?? '');
    problem('subject.familyName', subject.familyName.trim() === '' ? 'Enter the family name.' : nameProblem('familyName', subject.familyName));
    problem('subject.givenName', subject.givenName.trim() === '' ? 'Enter the given name.' : nameProblem('givenName', subject.givenName));
    problem('subject.dateOfBirth', subject.dateOfBirth === '' ? 'Enter the date of birth.' : dateOfBirthProblem(subject.dateOfBirth, localDate(new Date(), facility?.timeZone ?? 'UTC')));
    need('subject.citizenship', countryCodeOf(subject.citizenship) !== null, 'Choose the country of citizenship from the list (type its name or its two-letter code).');
    if (subject.stateId.trim()) problem('subject.stateId', stateIdProblem(subject.stateId));
    if (bookingNumber.trim()) problem('bookingNumber', textProblem('bookingNumber', bookingNumber.trim(), FIELD_LIMITS.bookingNumber));
    need('facilityId', facilityId !== '', 'Choose the facility holding the person.');
    need('probableCause', probableCause.length > 0, 'Choose at least one basis for probable cause.');
    if (type === 'I-247A') need('warrant.number', warrant.number.trim() !== '', 'An I-247A needs the number of its administrative warrant (I-200 or I-205).');
    if (type !== 'I-247A') need('issuedAt', issuedAt.local !== '', `A legacy ${type} is accepted only with the date it was issued, inside its period.`);
    if (issuedAt.local && facility) {
      const t = localTimeForApi(issuedAt, facility.timeZone);
      if (!t.ok) need('issuedAt', false, t.message);
    }
    charges.forEach((c, i) => {
      const blank = !c.description.trim() && !c.ncicCode.trim();
      if (!blank) need(`charges[${i}].description`, c.description.trim() !== '', 'Describe the charge.');
      if (c.ncicCode.trim()) need(`charges[${i}].ncicCode`, ncicCodeProblem(c.ncicCode.trim().toUpperCase()) === null, 'An NCIC offense code is 2 to 4 letters or digits, e.g. 2202 (it is never cut to fit).');
      if (c.description.length > FIELD_LIMITS.chargeDescription) need(`charges[${i}].description`, false, `At most ${FIELD_LIMITS.chargeDescription} characters.`);
    });
    return e;
  };

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const found = validate();
    setErrors(found);
    if (hasErrors(found)) return;
    const issued = issuedAt.local && facility ? localTimeForApi(issuedAt, facility.timeZone) : null;
    const body = {
      type,
      facilityId,
      bookingNumber: bookingNumber.trim() || undefined,
      subject: {
        aNumber: subject.aNumber.trim() || undefined,
        fbiNumber: subject.fbiNumber.trim() || undefined,
        stateId: subject.stateId.trim() || undefined,
        familyName: subject.familyName.trim(),
        givenName: subject.givenName.trim(),
        dateOfBirth: subject.dateOfBirth,
        sex: subject.sex || undefined,
        citizenship: countryCodeOf(subject.citizenship) ?? subject.citizenship.trim(),
      },
      charges: charges
        .filter((c) => c.description.trim() || c.ncicCode.trim())
        .map((c) => ({ description: c.description.trim(), ncicCode: c.ncicCode.trim().toUpperCase() || undefined, level: c.level, status: c.status })),
      probableCause,
      warrant: warrant.number.trim() ? { form: warrant.form, number: warrant.number.trim() } : undefined,
      issuedAt: issued?.ok ? issued.value : undefined,
      channel,
    };
    setBusy(true);
    try {
      const created = await post<Detainer>('/api/v1/detainers', body, { headers: { 'Idempotency-Key': idempotencyKey } });
      flashNext(`Detainer lodged with ${created.facility.name}.`);
      navigate(`/detainers/${created.id}`);
    } catch (error) {
      const raw = errorsFromApi(error, (f) => document.getElementById(idOf(fieldOf(f))) !== null);
      const fields: Record<string, string[]> = {};
      for (const [f, m] of Object.entries(raw.fields)) (fields[fieldOf(f)] ??= []).push(...m);
      setErrors({ general: raw.general, fields });
      setBusy(false);
    }
  };

  if (facilities.loading && !facilities.data) return <Loading what="Loading facilities" />;
  if (facilities.error) return <ErrorMessage error={facilities.error} retry={facilities.reload} />;
  const zone = facility?.timeZone ?? null;

  return (
    <>
      <PageTitle title="Lodge a detainer">Lodge a detainer</PageTitle>
      <form className="lodge" onSubmit={(e) => void submit(e)} noValidate aria-label="Lodge a detainer">
        <ErrorSummary errors={errors} idOf={idOf} title="The detainer was not lodged" />

        <fieldset>
          <legend>Subject</legend>
          <div className="row">
            <TextField id={idOf('subject.aNumber')} label="A-number" hint="A followed by 8 or 9 digits. Look it up to link the person on file." placeholder="A012345678"
              value={subject.aNumber} errors={err('subject.aNumber')}
              onChange={(v) => { setSubject({ ...subject, aNumber: v }); if (lookup.state !== 'idle') setLookup({ state: 'idle' }); }} />
            <div className="field field-button">
              <button type="button" onClick={() => void lookUp()} disabled={!subject.aNumber.trim() || lookup.state === 'looking'}>
                {lookup.state === 'looking' ? 'Looking up…' : 'Look up A-number'}
              </button>
            </div>
          </div>
          <div aria-live="polite" className="lookup-result">
            {linked ? (
              <div className="linked" id="lodge-linked-subject">
                <p><strong>On file: {linked.familyName.toUpperCase()}, {linked.givenName}</strong>, born {linked.dateOfBirth}, citizen of {linked.citizenship}{linked.fbiNumber ? `, FBI ${linked.fbiNumber}` : ''}{linked.stateId ? `, state ID ${linked.stateId}` : ''}.</p>
                <p>
                  {linked.visibleDetainers} earlier detainer{linked.visibleDetainers === 1 ? '' : 's'} in your records, the latest issued{' '}
                  <LocalTime at={linked.lastIssuedAt} zone={zone ?? 'UTC'} />. This detainer will be linked to this person.
                </p>
                <button type="button" onClick={() => { setLookup({ state: 'idle' }); setSubject({ aNumber: '', fbiNumber: '', stateId: '', familyName: '', givenName: '', dateOfBirth: '', sex: '', citizenship: '' }); }}>
                  Not this person: clear the A-number
                </button>
              </div>
            ) : null}
            {lookup.state === 'none' ? (
              <p>No one with A-number {lookup.aNumber} in your AOR's records. Enter the person's details: a new subject record is created (or, if another office has the person on file, the detainer is linked to that record).</p>
            ) : null}
            {lookup.state === 'error' ? <ErrorMessage error={lookup.error} /> : null}
          </div>
          {linked ? null : (
            <>
              <div className="row">
                <TextField id={idOf('subject.familyName')} label="Family name" required value={subject.familyName} errors={err('subject.familyName')}
                  onChange={(v) => setSubject({ ...subject, familyName: v })} autoComplete="off" />
                <TextField id={idOf('subject.givenName')} label="Given name" required value={subject.givenName} errors={err('subject.givenName')}
                  onChange={(v) => setSubject({ ...subject, givenName: v })} autoComplete="off" />
              </div>
              <div className="row">
                <TextField id={idOf('subject.dateOfBirth')} type="date" label="Date of birth" required value={subject.dateOfBirth} errors={err('subject.dateOfBirth')}
                  onChange={(v) => setSubject({ ...subject, dateOfBirth: v })} />
                <SelectField id={idOf('subject.sex')} label="Sex" value={subject.sex} errors={err('subject.sex')} placeholder="Not recorded"
                  options={[{ value: 'F', label: 'Female' }, { value: 'M', label: 'Male' }, { value: 'X', label: 'X' }]} onChange={(v) => setSubject({ ...subject, sex: v })} />
                <TextField id={idOf('subject.citizenship')} label="Citizenship" list="lodge-countries" autoComplete="off"
                  hint={countryCodeOf(subject.citizenship) ? `${countryName(countryCodeOf(subject.citizenship)!)} (${countryCodeOf(subject.citizenship)})` : 'Type the country\'s name and pick it, or its two-letter code'}
                  required value={subject.citizenship} errors={err('subject.citizenship')} onChange={(v) => setSubject({ ...subject, citizenship: v })} />
                <datalist id="lodge-countries">{COUNTRIES.map((c) => <option key={c.code} value={`${c.name} (${c.code})`} />)}</datalist>
                <TextField id={idOf('subject.fbiNumber')} label="FBI number" value={subject.fbiNumber} errors={err('subject.fbiNumber')}
                  onChange={(v) => setSubject({ ...subject, fbiNumber: v })} />
                <TextField id={idOf('subject.stateId')} label="State ID (SID)" value={subject.stateId} errors={err('subject.stateId')} autoComplete="off"
                  hint="Letters, digits and hyphens, up to 20" onChange={(v) => setSubject({ ...subject, stateId: v })} />
              </div>
            </>
          )}
        </fieldset>

        <fieldset>
          <legend>Lodged with</legend>
          <div className="row">
            <SelectField id={idOf('facilityId')} label="Facility" required value={facilityId} errors={err('facilityId')} placeholder="Choose a facility of your AOR"
              options={facilityOptions(facilities.data ?? [])} onChange={setFacilityId} />
            <TextField id={idOf('bookingNumber')} label="Booking number" value={bookingNumber} errors={err('bookingNumber')} onChange={setBookingNumber} />
          </div>
        </fieldset>

        <fieldset>
          <legend>Request</legend>
          <div className="row">
            <SelectField id={idOf('type')} label="Form" required value={type} errors={err('type')} options={FORMS} onChange={setType} />
            <SelectField id={idOf('channel')} label="Sent by" value={channel} errors={err('channel')} onChange={setChannel}
              options={Object.entries(CHANNEL_LABELS).map(([value, label]) => ({ value, label }))} />
          </div>
          <div className="row">
            <SelectField id={idOf('warrant.form')} label="Warrant form" value={warrant.form} errors={err('warrant.form')} onChange={(v) => setWarrant({ ...warrant, form: v })}
              options={[{ value: 'I-200', label: 'I-200 Warrant for Arrest of Alien' }, { value: 'I-205', label: 'I-205 Warrant of Removal/Deportation' }]} />
            <TextField id={idOf('warrant.number')} label="Warrant number" required={type === 'I-247A'} value={warrant.number} errors={err('warrant.number')}
              onChange={(v) => setWarrant({ ...warrant, number: v })} />
          </div>
          <fieldset className={`field checkbox-group${err('probableCause') ? ' field-invalid' : ''}`} id={idOf('probableCause')} tabIndex={-1}
            aria-describedby={err('probableCause') ? `${idOf('probableCause')}-error` : undefined}>
            <legend>Probable cause <span className="required" aria-hidden="true">*</span></legend>
            {Object.entries(PROBABLE_CAUSE_LABELS).map(([value, label]) => (
              <label key={value} className="choice">
                <input type="checkbox" name="probableCause" value={value} checked={probableCause.includes(value)}
                  onChange={(e) => setProbableCause(e.target.checked ? [...probableCause, value] : probableCause.filter((p) => p !== value))} />{' '}
                {label}
              </label>
            ))}
            {err('probableCause') ? <div className="field-error" id={`${idOf('probableCause')}-error`}>{err('probableCause').join(' ')}</div> : null}
          </fieldset>
          {zone ? (
            <LocalDateTimeField id={idOf('issuedAt')} label="Issued" zone={zone} value={issuedAt} onChange={setIssuedAt} errors={err('issuedAt')}
              hint="Leave empty for now. Required for a legacy form." />
          ) : (
            <p className="hint" id={idOf('issuedAt')} tabIndex={-1}>
              Issued: now. (To give another issue time, choose the facility first: it is entered in the facility's local time.)
              {err('issuedAt') ? <span className="field-error"> {err('issuedAt').join(' ')}</span> : null}
            </p>
          )}
        </fieldset>

        <fieldset>
          <legend>Charges</legend>
          {charges.map((c, i) => (
            <div className="row charge" key={i} role="group" aria-label={`Charge ${i + 1}`}>
              <TextField id={idOf(`charges[${i}].description`)} label={`Description of charge ${i + 1}`} value={c.description} errors={err(`charges[${i}].description`)} className="grow"
                onChange={(v) => setCharges(charges.map((x, j) => (j === i ? { ...x, description: v } : x)))} />
              <TextField id={idOf(`charges[${i}].ncicCode`)} label="NCIC code" value={c.ncicCode} errors={err(`charges[${i}].ncicCode`)}
                onChange={(v) => setCharges(charges.map((x, j) => (j === i ? { ...x, ncicCode: v } : x)))} />
              <SelectField id={idOf(`charges[${i}].level`)} label="Level" value={c.level} errors={err(`charges[${i}].level`)}
                options={[{ value: 'felony', label: 'Felony' }, { value: 'misdemeanor', label: 'Misdemeanor' }]}
                onChange={(v) => setCharges(charges.map((x, j) => (j === i ? { ...x, level: v } : x)))} />
              <SelectField id={idOf(`charges[${i}].status`)} label="Status" value={c.status} errors={err(`charges[${i}].status`)}
                options={[{ value: 'pending', label: 'Pending' }, { value: 'convicted', label: 'Convicted' }]}
                onChange={(v) => setCharges(charges.map((x, j) => (j === i ? { ...x, status: v } : x)))} />
              {charges.length > 1 ? (
                <div className="field field-button">
                  <button type="button" onClick={() => setCharges(charges.filter((_, j) => j !== i))} aria-label={`Remove charge ${i + 1}`}>Remove</button>
                </div>
              ) : null}
            </div>
          ))}
          <button type="button" onClick={() => setCharges([...charges, emptyCharge()])}>Add a charge</button>
        </fieldset>

        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy}>{busy ? 'Lodging…' : 'Lodge detainer'}</button>
        </div>
      </form>
    </>
  );
}
