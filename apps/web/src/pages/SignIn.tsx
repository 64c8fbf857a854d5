import { type FormEvent, useState } from 'react';
import { ApiError, request, type Session } from '../api/client';
import type { Agency, Area, Me } from '../api/types';
import { errorsFromApi, ErrorSummary, type FormErrors, NO_ERRORS, TextField, addFieldError, hasErrors } from '../components/forms';
import { PageTitle } from '../components/page';

/** Signs in with username and password; the session keeps who, role, and agency or area for the header. */
export async function signIn(username: string, password: string): Promise<Session> {
  const token = await request<{ accessToken: string; expiresIn: number }>('POST', '/api/v1/auth/token', { body: { username, password } });
  const started = Date.now();
  const me = await request<Me>('GET', '/api/v1/me', { token: token.accessToken });
  let unitLabel: string | null = null;
  if (me.agencyId) {
    const agency = await request<Agency>('GET', `/api/v1/agencies/${me.agencyId}`, { token: token.accessToken });
    unitLabel = `${agency.name} (${agency.ori})`;
  } else if (me.areaId) {
    const area = await request<Area>('GET', `/api/v1/areas/${me.areaId}`, { token: token.accessToken });
    unitLabel = `${area.name} AOR (${area.code})`;
  }
  return { token: token.accessToken, expiresAt: started + token.expiresIn * 1000 - 5000, me, unitLabel };
}

export function SignIn({ onSignedIn, notice }: { onSignedIn: (s: Session) => void; notice: string | null }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    let found = NO_ERRORS;
    if (!username.trim()) found = addFieldError(found, 'username', 'Enter your username.');
    if (!password) found = addFieldError(found, 'password', 'Enter your password.');
    setErrors(found);
    if (hasErrors(found)) return;
    setBusy(true);
    try {
      onSignedIn(await signIn(username.trim(), password));
    } catch (error) {
      setErrors(
        error instanceof ApiError && error.status === 401
          ? { fields: {}, general: ['Wrong username or password.'] }
          : errorsFromApi(error, (f) => f === 'username' || f === 'password'),
      );
      setBusy(false);
    }
  };

  return (
    <main id="main" className="signin">
      <PageTitle title="Sign in">Detainer workflow</PageTitle>
      <p className="lead">Sign in to work your detainers.</p>
      {notice ? <p className="flash" role="status">{notice}</p> : null}
      <form onSubmit={submit} noValidate aria-label="Sign in">
        <ErrorSummary errors={errors} idOf={(f) => f} title="Could not sign in" />
        <TextField id="username" label="Username" value={username} onChange={setUsername} autoComplete="username" required errors={errors.fields.username} />
        <TextField id="password" label="Password" type="password" value={password} onChange={setPassword} autoComplete="current-password" required errors={errors.fields.password} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
