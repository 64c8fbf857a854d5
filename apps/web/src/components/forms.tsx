import { type ReactNode, useEffect, useRef } from 'react';
import { type FormErrors, hasErrors, type LocalTimeValue } from '../lib/form-values';
import { formatOffset, offsetMinutesAt, resolveWallTime, zoneAbbreviation } from '../lib/time';

export * from '../lib/form-values';

/** The problems of a form, at its top, focused when they appear; each links to its field. */
export function ErrorSummary({ errors, idOf, title = 'Please correct the following' }: { errors: FormErrors; idOf: (field: string) => string; title?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const show = hasErrors(errors);
  useEffect(() => {
    if (show) ref.current?.focus();
  }, [show, errors]);
  if (!show) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref}>
      <h3>{title}</h3>
      <ul>
        {errors.general.map((m, i) => (
          <li key={`g${i}`}>{m}</li>
        ))}
        {Object.entries(errors.fields).flatMap(([field, messages]) =>
          messages.map((m, i) => (
            <li key={`${field}${i}`}>
              <a href={`#${idOf(field)}`} onClick={(e) => { e.preventDefault(); document.getElementById(idOf(field))?.focus(); }}>
                {m}
              </a>
            </li>
          )),
        )}
      </ul>
    </div>
  );
}

interface FieldShell {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  errors?: string[];
  required?: boolean;
  className?: string;
}

function describedBy(id: string, hint: unknown, errors?: string[]): string | undefined {
  const ids = [hint ? `${id}-hint` : '', errors?.length ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function Shell({ id, label, hint, errors, required, className, children }: FieldShell & { children: ReactNode }) {
  return (
    <div className={`field${errors?.length ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>
        {label}
        {required ? <span className="required" aria-hidden="true"> *</span> : null}
      </label>
      {hint ? <div className="hint" id={`${id}-hint`}>{hint}</div> : null}
      {children}
      {errors?.length ? (
        <div className="field-error" id={`${id}-error`}>
          {errors.join(' ')}
        </div>
      ) : null}
    </div>
  );
}

type InputProps = FieldShell & {
  value: string;
  onChange: (value: string) => void;
  type?: string;
  autoComplete?: string;
  placeholder?: string;
  maxLength?: number;
  /** The id of a <datalist> of suggestions. */
  list?: string;
  inputMode?: 'text' | 'numeric';
  onBlur?: () => void;
};

export function TextField({ id, label, hint, errors, required, className, value, onChange, type = 'text', ...rest }: InputProps) {
  return (
    <Shell {...{ id, label, hint, errors, required, className }}>
      <input
        id={id}
        name={id}
        type={type}
        value={value}
        required={required}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(id, hint, errors)}
        onChange={(e) => onChange(e.target.value)}
        {...rest}
      />
    </Shell>
  );
}

export function TextAreaField({ id, label, hint, errors, required, className, value, onChange, maxLength }: InputProps) {
  return (
    <Shell {...{ id, label, hint, errors, required, className }}>
      <textarea
        id={id}
        name={id}
        value={value}
        rows={3}
        required={required}
        maxLength={maxLength}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(id, hint, errors)}
        onChange={(e) => onChange(e.target.value)}
      />
    </Shell>
  );
}

export function SelectField({
  id, label, hint, errors, required, className, value, onChange, options, placeholder,
}: FieldShell & { value: string; onChange: (v: string) => void; options: { value: string; label: string }[]; placeholder?: string }) {
  return (
    <Shell {...{ id, label, hint, errors, required, className }}>
      <select
        id={id}
        name={id}
        value={value}
        required={required}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(id, hint, errors)}
        onChange={(e) => onChange(e.target.value)}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Shell>
  );
}

/** Radio buttons in a fieldset whose legend is the label. */
export function RadioGroup({
  id, label, errors, value, onChange, options, required,
}: { id: string; label: ReactNode; errors?: string[]; value: string; onChange: (v: string) => void; options: { value: string; label: ReactNode }[]; required?: boolean }) {
  return (
    <fieldset className={`field radio-group${errors?.length ? ' field-invalid' : ''}`} id={id} tabIndex={-1} aria-describedby={errors?.length ? `${id}-error` : undefined}>
      <legend>
        {label}
        {required ? <span className="required" aria-hidden="true"> *</span> : null}
      </legend>
      {options.map((o) => (
        <label key={o.value} className="choice">
          <input type="radio" name={id} value={o.value} checked={value === o.value} onChange={() => onChange(o.value)} required={required} /> {o.label}
        </label>
      ))}
      {errors?.length ? <div className="field-error" id={`${id}-error`}>{errors.join(' ')}</div> : null}
    </fieldset>
  );
}

/** `<input type="datetime-local">` labelled with the facility's zone; asks which one when the time occurs twice. */
export function LocalDateTimeField({
  id, label, zone, value, onChange, errors, required, hint,
}: { id: string; label: string; zone: string; value: LocalTimeValue; onChange: (v: LocalTimeValue) => void; errors?: string[]; required?: boolean; hint?: ReactNode }) {
  const resolved = value.local && !value.now ? resolveWallTime(value.local, zone) : null;
  const now = new Date();
  const zoneNow = `${zone}, now ${zoneAbbreviation(now, zone)} (UTC${formatOffset(offsetMinutesAt(now.getTime(), zone))})`;
  const zoneHint =
    resolved?.kind === 'unique' ? `${zone}: ${resolved.abbreviation} (UTC${resolved.offset})` : resolved?.kind === 'missing' ? `Not a time that exists in ${zone}` : zoneNow;
  return (
    <div className={`field${errors?.length ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>
        {label} <span className="zone-label">(local time at the facility)</span>
        {required ? <span className="required" aria-hidden="true"> *</span> : null}
      </label>
      {hint ? <div className="hint" id={`${id}-hint2`}>{hint}</div> : null}
      <div className="datetime-row">
        <input
          id={id}
          name={id}
          type="datetime-local"
          value={value.local}
          required={required}
          aria-invalid={errors?.length ? true : undefined}
          aria-describedby={[`${id}-hint`, hint ? `${id}-hint2` : '', errors?.length ? `${id}-error` : ''].filter(Boolean).join(' ')}
          onChange={(e) => onChange({ local: e.target.value, offset: null })}
        />
        <span className="zone" id={`${id}-hint`}>{zoneHint}</span>
      </div>
      {resolved?.kind === 'ambiguous' ? (
        <fieldset className="radio-group ambiguous">
          <legend>This time occurs twice in {zone} (clocks go back). Which one?</legend>
          {resolved.options.map((o, i) => (
            <label key={o.offset} className="choice">
              <input type="radio" name={`${id}-offset`} checked={value.offset === o.offset} onChange={() => onChange({ ...value, offset: o.offset })} />{' '}
              {i === 0 ? 'The first' : 'The second'}: {o.abbreviation} (UTC{o.offset})
            </label>
          ))}
        </fieldset>
      ) : null}
      {errors?.length ? <div className="field-error" id={`${id}-error`}>{errors.join(' ')}</div> : null}
    </div>
  );
}

/**
 * Free text is published with the weekly report only when its author ticks this: otherwise the
 * report prints the structured facts and the text stays with the record.
 */
export function PublishTextCheckbox({ id, checked, onChange }: { id: string; checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <div className="field">
      <label htmlFor={id}>
        <input id={id} name={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} aria-describedby={`${id}-hint`} />{' '}
        Publish this text with the weekly report
      </label>
      <p id={`${id}-hint`} className="hint">
        Unticked, the published report (and its CSV, PDF and change lists) shows only the status and decision; the text stays with the record.
        Tick it only if the text names no person and carries no identifier.
      </p>
    </div>
  );
}
