import { type SubmitEvent, useState } from 'react';
import { request, type Session } from '../api/client';
import type { TotpEnrolment } from '../api/types';
import { addFieldError, errorsFromApi, ErrorSummary, type FormErrors, hasErrors, NO_ERRORS, TextField } from '../components/forms';
import { PageTitle } from '../components/page';
import { QrCode } from '../components/qr-code';
import { ROLE_LABELS } from '../lib/labels';
import { unitLabelOf } from './SignIn';

type Enrolment = TotpEnrolment;

/** A role that must use a second factor, without one yet: set up an authenticator app before anything else. */
export function EnrolSecondFactor({ session, onEnrolled, onSignOut }: { session: Session; onEnrolled: (s: Session) => void; onSignOut: () => void }) {
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  const start = async () => {
    setBusy(true);
    try {
      setEnrolment(await request<Enrolment>('POST', '/api/v1/auth/mfa/totp', { auth: true, body: {} }));
      setErrors(NO_ERRORS);
    } catch (error) {
      setErrors(errorsFromApi(error, () => false));
    }
    setBusy(false);
  };

  const confirm = async (e: SubmitEvent) => {
    e.preventDefault();
    const found = /^\d{6}$/.test(code.trim()) ? NO_ERRORS : addFieldError(NO_ERRORS, 'totpCode', 'Enter the 6-digit code the app shows now.');
    setErrors(found);
    if (hasErrors(found)) return;
    setBusy(true);
    try {
      await request('POST', '/api/v1/auth/mfa/totp/confirm', { auth: true, body: { totpCode: code.trim() } });
      onEnrolled({ ...session, enrolmentRequired: false, unitLabel: await unitLabelOf(session.me) });
    } catch (error) {
      setErrors(errorsFromApi(error, (f) => f === 'totpCode'));
      setBusy(false);
    }
  };

  return (
    <main id="main" className="signin">
      <PageTitle title="Set up a second factor">Set up a second factor</PageTitle>
      <p>
        Signed in as <strong>{session.me.username}</strong> ({ROLE_LABELS[session.me.role]}). Your role signs in with a password and a code from an authenticator app. Set one up to continue.
      </p>
      <ErrorSummary errors={errors} idOf={(f) => f} title="Not set up" />
      {enrolment ? (
        <form onSubmit={(e) => void confirm(e)} noValidate aria-label="Confirm the authenticator app">
          <ol>
            <li>
              Scan this code with your authenticator app:
              <QrCode text={enrolment.otpauthUri} label="QR code of the key, for an authenticator app to scan" />
            </li>
            <li>
              Or add an account by hand with this key ({enrolment.digits} digits, every {enrolment.period} s):
              <div className="secret" aria-label="Key">{enrolment.secret.replace(/(.{4})/g, '$1 ').trim()}</div>
              or, on this device, <a href={enrolment.otpauthUri}>open it in the authenticator app</a>.
            </li>
            <li>Enter the code the app shows.</li>
          </ol>
          <TextField id="totpCode" label="Code from your authenticator app" value={code} onChange={setCode} autoComplete="one-time-code" inputMode="numeric"
            maxLength={6} required errors={errors.fields.totpCode} />
          <div className="form-actions">
            <button type="submit" className="primary" disabled={busy}>Confirm</button>
            <button type="button" onClick={onSignOut}>Sign out</button>
          </div>
        </form>
      ) : (
        <div className="form-actions">
          <button type="button" className="primary" onClick={() => void start()} disabled={busy}>Set up an authenticator app</button>
          <button type="button" onClick={onSignOut}>Sign out</button>
        </div>
      )}
    </main>
  );
}
