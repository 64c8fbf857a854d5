import { type SubmitEvent, useState } from 'react';
import { ApiError, type IssuedToken, request, type Session } from '../api/client';
import type { Agency, Area, Me } from '../api/types';
import { addFieldError, errorsFromApi, ErrorSummary, type FormErrors, hasErrors, NO_ERRORS, TextField } from '../components/forms';
import { PageTitle } from '../components/page';

/** After the token: who signed in, and the agency or area the header shows. */
export async function sessionFrom(issued: IssuedToken): Promise<Session> {
  const token = issued.accessToken;
  const me = await request<Me & { secondFactorEnrolmentRequired?: boolean }>('GET', '/api/v1/me', { token });
  let unitLabel: string | null = null;
  // With a second factor still to enrol, only enrolment, /me and sign-out are open: the label waits.
  if (!issued.secondFactorEnrolmentRequired) unitLabel = await unitLabelOf(me, token);
  return {
    token,
    sessionEndsAt: issued.session ? Date.parse(issued.session.expiresAt) : Date.now() + issued.expiresIn * 1000,
    me,
    unitLabel,
    enrolmentRequired: issued.secondFactorEnrolmentRequired ?? me.secondFactorEnrolmentRequired ?? false,
  };
}

export async function unitLabelOf(me: Me, token?: string): Promise<string | null> {
  const opts = token ? { token } : { auth: true };
  if (me.agencyId) {
    const agency = await request<Agency>('GET', `/api/v1/agencies/${me.agencyId}`, opts);
    return `${agency.name} (${agency.ori})`;
  }
  if (me.areaId) {
    const area = await request<Area>('GET', `/api/v1/areas/${me.areaId}`, opts);
    return `${area.name} AOR (${area.code})`;
  }
  return null;
}

/** Username and password; then, for an account with a second factor, the code from the authenticator app. */
export function SignIn({ onSignedIn, notice }: { onSignedIn: (s: Session) => void; notice: string | null }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    let found = NO_ERRORS;
    if (!username.trim()) found = addFieldError(found, 'username', 'Enter your username.');
    if (!password) found = addFieldError(found, 'password', 'Enter your password.');
    if (needsCode && !/^\d{6}$/.test(code.trim())) found = addFieldError(found, 'totpCode', 'Enter the 6-digit code from your authenticator app.');
    setErrors(found);
    if (hasErrors(found)) return;
    setBusy(true);
    try {
      const body = { username: username.trim(), password, ...(needsCode ? { totpCode: code.trim() } : {}) };
      const issued = await request<IssuedToken>('POST', '/api/v1/auth/token', { body });
      onSignedIn(await sessionFrom(issued));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401 && error.reason === 'totp_code_required' && !needsCode) {
        setNeedsCode(true);
        setErrors({ fields: {}, general: ['This account signs in with a second factor: enter the 6-digit code from your authenticator app.'] });
      } else if (error instanceof ApiError && (error.status === 401 || error.status === 429)) {
        setErrors({ fields: {}, general: [error.message] });
      } else {
        setErrors(errorsFromApi(error, (f) => f === 'username' || f === 'password' || f === 'totpCode'));
      }
      setBusy(false);
    }
  };

  return (
    <main id="main" className="signin">
      <PageTitle title="Sign in">Detainer workflow</PageTitle>
      <p className="lead">Sign in to work your detainers.</p>
      {notice ? <p className="flash" role="status">{notice}</p> : null}
      <form onSubmit={(e) => void submit(e)} noValidate aria-label="Sign in">
        <ErrorSummary errors={errors} idOf={(f) => f} title="Could not sign in" />
        <TextField id="username" label="Username" value={username} onChange={setUsername} autoComplete="username" required errors={errors.fields.username} />
        <TextField id="password" label="Password" type="password" value={password} onChange={setPassword} autoComplete="current-password" required errors={errors.fields.password} />
        {needsCode ? (
          <TextField id="totpCode" label="Code from your authenticator app" value={code} onChange={setCode} autoComplete="one-time-code" inputMode="numeric"
            maxLength={6} required errors={errors.fields.totpCode} />
        ) : null}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
