import jwt from 'jsonwebtoken';
import { SIGN_IN_FAILED, totpCodeAt, UserAdminService } from '@app/application';
import { Role } from '@app/domain';
import { buildWorld, ManualClock, startTestApi, TEST_PASSWORD, TestApi, tokenFor, World } from '@test/support';

const MIN = 60_000;
const GENERIC = { statusCode: 401, error: 'Unauthorized', code: 'unauthenticated', message: SIGN_IN_FAILED };

/** Sign-in, lockout, sessions, re-authentication, second factor and password rules, over HTTP against the real database. */
describe('authentication (e2e)', () => {
  const sec = new ManualClock('2026-11-02T15:00:00Z');
  let api: TestApi;
  let world: World;
  let serial = 0;

  beforeAll(async () => {
    api = await startTestApi({ securityClock: sec });
    world = await buildWorld(api.app);
  });
  afterAll(() => api.close());

  const login = (username: string, password = TEST_PASSWORD, extra: Record<string, unknown> = {}) =>
    api.http.post('/api/v1/auth/token').send({ username, password, ...extra });
  const get = (token: string, path: string) => api.http.get(path).set('Authorization', `Bearer ${token}`);
  const post = (token: string, path: string, body: object = {}) => api.http.post(path).set('Authorization', `Bearer ${token}`).send(body);
  const newUser = async (role: Role = 'analyst', unit: { agencyId?: string; areaId?: string } = {}) => {
    serial += 1;
    const u = await api.app.get(UserAdminService).create({ username: `user${serial}.${role}`, password: TEST_PASSWORD, role, ...unit });
    return u;
  };
  const signIn = async (username: string, password = TEST_PASSWORD) => {
    const res = await login(username, password);
    expect(res.status).toBe(200);
    return res.body.accessToken as string;
  };
  const auditOf = (where: string, params: unknown[]) =>
    api.db.read((sql) => sql.query<Record<string, unknown>>(`SELECT * FROM audit_log WHERE ${where} ORDER BY id`, params));
  const freshAdmin = () => signIn(world.users.admin.username);

  describe('sign-in', () => {
    it('issues a token bound to a new session, and audits the logon with who, where and when', async () => {
      const user = await newUser('officer', { areaId: world.areas.SEA.id });
      const res = await login(user.username).set('X-Request-Id', 'req-login-1').set('User-Agent', 'jest');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, user: { id: user.id, role: 'officer' }, secondFactorEnrolmentRequired: false });
      expect(res.body.session).toEqual({ id: expect.any(String), expiresAt: '2026-11-03T03:00:00.000Z', secondFactor: false });
      expect(res.body.user.passwordHash).toBeUndefined();
      const claims = jwt.decode(res.body.accessToken) as jwt.JwtPayload;
      expect(claims).toMatchObject({ sub: user.id, sid: res.body.session.id, aud: 'detainer-workflow', iss: 'detainer-workflow' });

      const [entry] = await auditOf(`request_id = 'req-login-1'`, []);
      expect(entry).toMatchObject({
        category: 'authentication', action: 'auth.login', outcome: 'success', status: 200, reason: null,
        actor_kind: 'user', actor_id: user.id, actor_name: user.username, actor_role: 'officer', actor_area_id: world.areas.SEA.id,
        session_id: res.body.session.id, method: 'POST', path: '/api/v1/auth/token', client_address: expect.stringMatching(/127\.0\.0\.1|::1/),
      });
      expect((entry.at as Date).toISOString()).toBe(sec.now().toISOString());
      const session = await api.db.read((sql) => sql.one<Record<string, unknown>>('SELECT * FROM sessions WHERE id = $1', [res.body.session.id]));
      expect(session).toMatchObject({ user_id: user.id, second_factor: false, ended_at: null, user_agent: 'jest' });
    });

    it('every failure gets the same answer (unknown user, wrong password, locked, disabled), and each is audited with its real reason', async () => {
      const user = await newUser();
      const admin = await freshAdmin();
      const unknown = await login('nobody.here').set('X-Request-Id', 'req-f-1');
      const wrong = await login(user.username, 'not-the-password-at-all').set('X-Request-Id', 'req-f-2');
      expect((await post(admin, `/api/v1/users/${user.id}/disable`)).status).toBe(200);
      const disabled = await login(user.username).set('X-Request-Id', 'req-f-3');
      for (const res of [unknown, wrong, disabled]) expect({ status: res.status, body: res.body }).toEqual({ status: 401, body: GENERIC });
      const entries = await auditOf(`request_id IN ('req-f-1', 'req-f-2', 'req-f-3')`, []);
      expect(entries.map((e) => [e.request_id, e.outcome, e.reason, e.actor_kind, e.actor_name])).toEqual([
        ['req-f-1', 'failure', 'unknown_user', 'anonymous', 'nobody.here'],
        ['req-f-2', 'failure', 'bad_credentials', 'user', user.username],
        ['req-f-3', 'failure', 'account_disabled', 'user', user.username],
      ]);
    });

    it('a username is matched without regard to case', async () => {
      const user = await newUser();
      expect((await login(user.username.toUpperCase())).status).toBe(200);
    });
  });

  describe('lockout after 5 failed logons in 15 minutes (CJIS AC-7)', () => {
    it('locks at the fifth failure, ends the sessions, refuses even the right password, until an admin unlocks', async () => {
      const user = await newUser();
      const token = await signIn(user.username);
      for (let i = 1; i <= 4; i += 1) {
        sec.advance(MIN);
        expect((await login(user.username, `wrong-password-${i}`)).status).toBe(401);
      }
      expect((await get(token, '/api/v1/me')).status).toBe(200);
      sec.advance(MIN);
      expect((await login(user.username, 'wrong-password-5')).body).toEqual(GENERIC);
      const right = await login(user.username).set('X-Request-Id', 'req-locked');
      expect(right.body).toEqual(GENERIC);
      expect((await get(token, '/api/v1/me')).status).toBe(401);

      const lock = await auditOf(`actor_id = $1 AND action = 'auth.lockout'`, [user.id]);
      expect(lock).toEqual([expect.objectContaining({ outcome: 'success', reason: 'too_many_failures', details: { failures: 5, sessionsEnded: 1 } })]);
      expect(await auditOf(`request_id = 'req-locked'`, [])).toEqual([expect.objectContaining({ reason: 'account_locked', actor_id: user.id })]);

      const admin = await freshAdmin();
      expect((await get(admin, `/api/v1/users/${user.id}`)).body).toMatchObject({ status: 'locked', openSessions: 0 });
      const unlocked = await post(admin, `/api/v1/users/${user.id}/unlock`);
      expect(unlocked.status).toBe(200);
      expect(unlocked.body.status).toBe('active');
      expect((await post(admin, `/api/v1/users/${user.id}/unlock`)).status).toBe(409);
      // failures before the unlock no longer count
      sec.advance(1000);
      expect((await login(user.username, 'wrong-again-after-unlock')).status).toBe(401);
      expect((await login(user.username)).status).toBe(200);
    });

    it('failures spread over more than 15 minutes, or broken by a successful logon, do not lock', async () => {
      const spread = await newUser();
      for (let i = 0; i < 8; i += 1) {
        expect((await login(spread.username, 'wrong-password-spread')).status).toBe(401);
        sec.advance(4 * MIN);
      }
      expect((await login(spread.username)).status).toBe(200);

      const broken = await newUser();
      for (let round = 0; round < 2; round += 1) {
        for (let i = 0; i < 4; i += 1) expect((await login(broken.username, 'wrong-password-broken')).status).toBe(401);
        sec.advance(1000);
        expect((await login(broken.username)).status).toBe(200);
        sec.advance(1000);
      }
    });

    it('concurrent failures are counted one by one: exactly one lockout', async () => {
      const user = await newUser();
      sec.advance(1000);
      const results = await Promise.all(Array.from({ length: 7 }, (_, i) => login(user.username, `concurrent-wrong-${i}`)));
      expect(results.every((r) => r.status === 401)).toBe(true);
      expect(await auditOf(`actor_id = $1 AND action = 'auth.lockout'`, [user.id])).toHaveLength(1);
      const row = await api.db.read((sql) => sql.one<{ locked_at: Date | null }>('SELECT locked_at FROM users WHERE id = $1', [user.id]));
      expect(row?.locked_at).not.toBeNull();
    });
  });

  describe('sessions (CJIS AC-11, AC-12)', () => {
    it('end after 30 minutes idle; an expired token can be exchanged while its session lives', async () => {
      const user = await newUser();
      let token = await signIn(user.username);
      sec.advance(20 * MIN);
      // past the token's 15 minutes, within the session's 30 idle minutes
      expect((await get(token, '/api/v1/me')).status).toBe(401);
      const refreshed = await post(token, '/api/v1/auth/refresh');
      expect(refreshed.status).toBe(200);
      token = refreshed.body.accessToken;
      for (let i = 0; i < 3; i += 1) {
        sec.advance(10 * MIN);
        expect((await get(token, '/api/v1/me')).status).toBe(200);
        token = (await post(token, '/api/v1/auth/refresh')).body.accessToken;
      }
      sec.advance(30 * MIN);
      const res = await post(token, '/api/v1/auth/refresh').set('X-Request-Id', 'req-idle');
      expect(res.status).toBe(401);
      const [entry] = await auditOf(`request_id = 'req-idle'`, []);
      expect(entry).toMatchObject({ outcome: 'failure', reason: 'session_idle_timeout', actor_id: user.id, status: 401 });
      const session = await api.db.read((sql) => sql.one<{ end_reason: string }>('SELECT end_reason FROM sessions WHERE user_id = $1', [user.id]));
      expect(session?.end_reason).toBe('idle_timeout');
      expect((await post(token, '/api/v1/auth/refresh')).status).toBe(401);
    });

    it('end 12 hours after sign-in however busy, and a refreshed token never outlives its session', async () => {
      const user = await newUser();
      let token = await signIn(user.username);
      const started = sec.now().getTime();
      while (sec.now().getTime() + 10 * MIN < started + 12 * 60 * MIN) {
        sec.advance(10 * MIN);
        const refreshed = await post(token, '/api/v1/auth/refresh');
        expect(refreshed.status).toBe(200);
        token = refreshed.body.accessToken;
      }
      const remaining = started + 12 * 60 * MIN - sec.now().getTime();
      expect((jwt.decode(token) as jwt.JwtPayload).exp).toBe(Math.floor((started + 12 * 60 * MIN) / 1000));
      sec.advance(remaining);
      expect((await get(token, '/api/v1/me')).status).toBe(401);
    });

    it('an access token expires after its TTL (15 minutes) even while the session lives', async () => {
      const user = await newUser();
      const token = await signIn(user.username);
      sec.advance(15 * MIN);
      const res = await get(token, '/api/v1/me').set('X-Request-Id', 'req-exp');
      expect(res.status).toBe(401);
      expect(await auditOf(`request_id = 'req-exp'`, [])).toEqual([expect.objectContaining({ reason: 'invalid_token', actor_kind: 'anonymous' })]);
    });

    it('sign-out ends the session: its tokens stop working, other sessions go on', async () => {
      const user = await newUser();
      const first = await signIn(user.username);
      const second = await signIn(user.username);
      const refreshed = (await post(first, '/api/v1/auth/refresh')).body.accessToken as string;
      expect((await post(first, '/api/v1/auth/logout')).status).toBe(204);
      expect((await get(first, '/api/v1/me')).status).toBe(401);
      expect((await get(refreshed, '/api/v1/me')).status).toBe(401);
      expect((await get(second, '/api/v1/me')).status).toBe(200);
    });

    it('disabling an account ends all its sessions at once; enabling lets it sign in again', async () => {
      const user = await newUser('jail_staff', { agencyId: world.agencies.king.id });
      const tokens = [await signIn(user.username), await signIn(user.username)];
      for (const t of tokens) expect((await get(t, '/api/v1/detainers')).status).toBe(200);
      const admin = await freshAdmin();
      const disabled = await post(admin, `/api/v1/users/${user.id}/disable`);
      expect(disabled.body).toMatchObject({ status: 'disabled', openSessions: 0 });
      for (const t of tokens) expect((await get(t, '/api/v1/detainers')).status).toBe(401);
      expect((await login(user.username)).status).toBe(401);
      expect((await post(admin, `/api/v1/users/${world.users.admin.id}/disable`)).status).toBe(409);
      expect((await post(admin, `/api/v1/users/${user.id}/enable`)).status).toBe(200);
      expect((await login(user.username)).status).toBe(200);
    });
  });

  describe('re-authentication before privileged actions', () => {
    it('an admin change needs a sign-in from the last 15 minutes; reads do not', async () => {
      let admin = await freshAdmin();
      for (let i = 0; i < 2; i += 1) {
        sec.advance(8 * MIN);
        admin = (await post(admin, '/api/v1/auth/refresh')).body.accessToken;
      }
      const refused = await post(admin, '/api/v1/areas', { code: 'ATL', name: 'Atlanta' });
      expect(refused.status).toBe(401);
      expect(refused.body).toMatchObject({ code: 'unauthenticated', reason: 'reauthentication_required' });
      expect(refused.body.details).toBeUndefined();
      expect((await get(admin, '/api/v1/users')).status).toBe(200);

      const wrong = await post(admin, '/api/v1/auth/reauthenticate', { password: 'not-my-password-x' });
      expect(wrong.body).toEqual(GENERIC);
      const ok = await post(admin, '/api/v1/auth/reauthenticate', { password: TEST_PASSWORD });
      expect(ok.status).toBe(200);
      expect((await post(admin, '/api/v1/areas', { code: 'ATL', name: 'Atlanta' })).status).toBe(201);
      const entries = await auditOf(`actor_id = $1 AND action = 'auth.reauthenticate'`, [world.users.admin.id]);
      expect(entries.map((e) => [e.outcome, e.reason])).toEqual([['failure', 'bad_credentials'], ['success', null]]);
    });
  });

  describe('TOTP second factor', () => {
    it('enrol, confirm, then sign-in asks for a code; codes are single-use; secrets are sealed at rest; an admin can reset', async () => {
      const user = await newUser('supervisor', { areaId: world.areas.SEA.id });
      const token = await signIn(user.username);
      const started = await post(token, '/api/v1/auth/mfa/totp');
      expect(started.status).toBe(200);
      const secret = started.body.secret as string;
      expect(started.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/detainer-workflow:.*secret=[A-Z2-7]+/);
      const stored = await api.db.read((sql) => sql.one<{ totp_pending_secret: string }>('SELECT totp_pending_secret FROM users WHERE id = $1', [user.id]));
      expect(stored?.totp_pending_secret).toMatch(/^v1\./);
      expect(stored?.totp_pending_secret).not.toContain(secret);

      expect((await post(token, '/api/v1/auth/mfa/totp/confirm', { totpCode: '000000' === totpCodeAt(secret, sec.now()) ? '111111' : '000000' })).status).toBe(400);
      const confirmed = await post(token, '/api/v1/auth/mfa/totp/confirm', { totpCode: totpCodeAt(secret, sec.now()) });
      expect(confirmed.status).toBe(200);
      expect((await get(token, '/api/v1/me')).body.session.secondFactor).toBe(true);
      expect((await post(token, '/api/v1/auth/mfa/totp')).status).toBe(409);

      const noCode = await login(user.username);
      expect(noCode.status).toBe(401);
      expect(noCode.body).toMatchObject({ code: 'unauthenticated', reason: 'totp_code_required' });
      // the code of the step used to confirm cannot be used again
      expect((await login(user.username, TEST_PASSWORD, { totpCode: totpCodeAt(secret, sec.now()) })).body).toEqual(GENERIC);
      expect((await login(user.username, 'wrong-password-with-code', { totpCode: totpCodeAt(secret, sec.now()) })).body).toEqual(GENERIC);
      sec.advance(30_000);
      const withCode = await login(user.username, TEST_PASSWORD, { totpCode: totpCodeAt(secret, sec.now()) });
      expect(withCode.status).toBe(200);
      expect(withCode.body.session.secondFactor).toBe(true);
      expect((await login(user.username, TEST_PASSWORD, { totpCode: 'abc' })).status).toBe(400);

      const admin = await freshAdmin();
      const reset = await post(admin, `/api/v1/users/${user.id}/mfa/reset`);
      expect(reset.body).toMatchObject({ secondFactor: null, openSessions: 0 });
      expect((await get(withCode.body.accessToken, '/api/v1/me')).status).toBe(401);
      expect((await login(user.username)).status).toBe(200);
    });

    it('wrong codes count towards the lockout', async () => {
      const user = await newUser();
      const token = await signIn(user.username);
      const secret = (await post(token, '/api/v1/auth/mfa/totp')).body.secret as string;
      await post(token, '/api/v1/auth/mfa/totp/confirm', { totpCode: totpCodeAt(secret, sec.now()) });
      const wrongCode = totpCodeAt(secret, new Date(sec.now().getTime() + 10 * MIN));
      for (let i = 0; i < 5; i += 1) expect((await login(user.username, TEST_PASSWORD, { totpCode: wrongCode })).status).toBe(401);
      sec.advance(60_000);
      expect((await login(user.username, TEST_PASSWORD, { totpCode: totpCodeAt(secret, sec.now()) })).status).toBe(401);
      expect(await auditOf(`actor_id = $1 AND action = 'auth.lockout'`, [user.id])).toHaveLength(1);
    });
  });

  describe('password rules', () => {
    it.each([
      ['a common password', 'password1234', /common or breached/],
      ['a common password with digits added', 'sunshine20262026', /digits or symbols added/],
      ['the username inside', 'new.user.password!', /username/],
      ['too long', 'x'.repeat(129), /at most 128/],
      ['too short', 'short-pass1', /12 characters/],
    ])('refuses %s when an admin creates a user, writing nothing', async (_name, password, message) => {
      const admin = await freshAdmin();
      const before = await api.db.read((sql) => sql.one<{ n: string }>('SELECT count(*) AS n FROM users'));
      const res = await post(admin, '/api/v1/users', { username: 'new.user', password, role: 'analyst' });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'password', message: expect.stringMatching(message) })]));
      expect(await api.db.read((sql) => sql.one<{ n: string }>('SELECT count(*) AS n FROM users'))).toEqual(before);
    });

    it('a user changes their password: the current one is checked, the rules apply, other sessions end', async () => {
      const user = await newUser();
      const current = await signIn(user.username);
      const other = await signIn(user.username);
      expect((await post(current, '/api/v1/auth/password', { currentPassword: 'not-the-current-one', newPassword: 'violet-harbor-lantern-42' })).body).toEqual(GENERIC);
      const common = await post(current, '/api/v1/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'qwertyuiop123' });
      expect(common.status).toBe(400);
      expect(common.body.details[0].field).toBe('newPassword');
      expect((await post(current, '/api/v1/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'violet-harbor-lantern-42' })).status).toBe(204);
      expect((await get(current, '/api/v1/me')).status).toBe(200);
      expect((await get(other, '/api/v1/me')).status).toBe(401);
      expect((await login(user.username)).status).toBe(401);
      expect((await login(user.username, 'violet-harbor-lantern-42')).status).toBe(200);
    });

    it('an admin sets a forgotten password; the account\'s sessions end', async () => {
      const user = await newUser();
      const token = await signIn(user.username);
      const admin = await freshAdmin();
      expect((await post(admin, `/api/v1/users/${user.id}/password`, { password: 'letmein' })).status).toBe(400);
      expect((await post(admin, `/api/v1/users/${user.id}/password`, { password: 'amber-quarry-meadow-7' })).status).toBe(200);
      expect((await get(token, '/api/v1/me')).status).toBe(401);
      expect((await login(user.username, 'amber-quarry-meadow-7')).status).toBe(200);
    });
  });

  describe('tokens that must be refused', () => {
    const secret = 'test-only-secret-that-is-long-enough-123';
    let valid: string;
    let claims: jwt.JwtPayload;
    const sign = (payload: object, opts: jwt.SignOptions = {}, key = secret) => jwt.sign(payload, key, { algorithm: 'HS256', ...opts });
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

    beforeAll(async () => {
      valid = await tokenFor(api.http, world.users.officerSea.username);
      claims = jwt.decode(valid) as jwt.JwtPayload;
    });

    it.each<[string, () => string]>([
      ['a tampered payload (role changed to admin)', () => { const [h, , s] = valid.split('.'); return `${h}.${b64({ ...claims, role: 'admin' })}.${s}`; }],
      ['a tampered signature', () => valid.slice(0, -3) + (valid.endsWith('AAA') ? 'BBB' : 'AAA')],
      ['alg none', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims })}.`],
      ['HS512 with the right secret (not on the allow-list)', () => sign({ ...claims }, { algorithm: 'HS512' })],
      ['a wrong audience', () => sign({ ...claims, aud: 'someone-else' })],
      ['a wrong issuer', () => sign({ ...claims, iss: 'evil' })],
      ['expired', () => sign({ ...claims, exp: Math.floor(sec.now().getTime() / 1000) - 1 })],
      ['signed with another secret', () => sign({ ...claims }, {}, 'another-secret-that-is-long-enough-456')],
      ['no session id', () => { const { sid: _sid, ...rest } = claims; return sign(rest); }],
      ['a session of another user', () => sign({ ...claims, sub: world.users.admin.id })],
      ['a session id that is not a UUID', () => sign({ ...claims, sid: "1' OR '1'='1" })],
      ['no exp (a token that never expires)', () => { const { exp: _exp, ...rest } = claims; return sign(rest); }],
      ['no iat', () => { const { iat: _iat, ...rest } = claims; return sign(rest, { noTimestamp: true }); }],
      ['no aud', () => { const { aud: _aud, ...rest } = claims; return sign(rest); }],
      ['no iss', () => { const { iss: _iss, ...rest } = claims; return sign(rest); }],
      ['garbage', () => 'not.a.token'],
    ])('%s', async (_name, make) => {
      const res = await get(make(), '/api/v1/detainers').set('X-Request-Id', `req-tok-${serial += 1}`);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', code: 'unauthenticated', message: 'The access token is invalid or has expired; sign in again.' });
      const [entry] = await auditOf(`request_id = $1`, [`req-tok-${serial}`]);
      expect(entry).toMatchObject({ outcome: 'failure', status: 401, reason: 'invalid_token', actor_kind: 'anonymous', action: 'GET /api/v1/detainers' });
      expect((await get(valid, '/api/v1/detainers')).status).toBe(200);
    });

    it('no credentials, a malformed header, and both a token and an API key are 401', async () => {
      expect((await api.http.get('/api/v1/detainers')).status).toBe(401);
      expect((await api.http.get('/api/v1/detainers').set('Authorization', `Basic ${valid}`)).status).toBe(401);
      expect((await get(valid, '/api/v1/detainers').set('X-Api-Key', 'dwk_x')).status).toBe(401);
    });
  });
});

describe('second factor required by role (MFA_REQUIRED_ROLES)', () => {
  let api: TestApi;
  let world: World;
  beforeAll(async () => {
    api = await startTestApi({ env: { MFA_REQUIRED_ROLES: 'officer,admin' } });
    world = await buildWorld(api.app);
  });
  afterAll(() => api.close());

  it('an officer without one may only enrol; after confirming, the same session works; other roles are not affected', async () => {
    const res = await api.http.post('/api/v1/auth/token').send({ username: world.users.officerSea.username, password: TEST_PASSWORD });
    expect(res.body.secondFactorEnrolmentRequired).toBe(true);
    const token = res.body.accessToken as string;
    const detainers = await api.http.get('/api/v1/detainers').set('Authorization', `Bearer ${token}`);
    expect(detainers.status).toBe(403);
    expect(detainers.body).toMatchObject({ code: 'forbidden', reason: 'second_factor_required' });
    expect((await api.http.get('/api/v1/me').set('Authorization', `Bearer ${token}`)).body.secondFactorEnrolmentRequired).toBe(true);
    const secret = (await api.http.post('/api/v1/auth/mfa/totp').set('Authorization', `Bearer ${token}`)).body.secret as string;
    const confirmed = await api.http.post('/api/v1/auth/mfa/totp/confirm').set('Authorization', `Bearer ${token}`).send({ totpCode: totpCodeAt(secret, new Date()) });
    expect(confirmed.status).toBe(200);
    expect((await api.http.get('/api/v1/detainers').set('Authorization', `Bearer ${token}`)).status).toBe(200);

    const jail = await tokenFor(api.http, world.users.jailKing.username);
    expect((await api.http.get('/api/v1/detainers').set('Authorization', `Bearer ${jail}`)).status).toBe(200);
  });
});

describe('sign-in rate limits (429 with Retry-After)', () => {
  const sec = new ManualClock('2026-11-02T15:00:00Z');
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ securityClock: sec, env: { LOGIN_RATE_PER_ADDRESS: '6', LOGIN_RATE_PER_USERNAME: '3', LOGIN_RATE_WINDOW_SECONDS: '60' } });
    await buildWorld(api.app);
  });
  afterAll(() => api.close());
  const login = (username: string, password = 'wrong-password-rate') => api.http.post('/api/v1/auth/token').send({ username, password });

  it('per username: the fourth attempt within a minute is refused until the window moves on', async () => {
    for (let i = 0; i < 3; i += 1) {
      expect((await login('officer.sea')).status).toBe(401);
      sec.advance(5000);
    }
    const limited = await login('officer.sea', TEST_PASSWORD);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('45');
    expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests', code: 'rate_limited', retryAfterSeconds: expect.any(Number) });
    // usernames differ only in case: the same limit
    expect((await login('OFFICER.SEA', TEST_PASSWORD)).status).toBe(429);
    // attempts refused by the limit do not count: Retry-After told the truth
    sec.advance(45_000);
    expect((await login('officer.sea', TEST_PASSWORD)).status).toBe(200);
  });

  it('per client address, whatever the username; X-Forwarded-For is not trusted by default', async () => {
    sec.advance(10 * MIN);
    for (let i = 0; i < 6; i += 1) expect((await login(`someone${i}`)).status).toBe(401);
    const limited = await login('analyst', TEST_PASSWORD).set('X-Forwarded-For', '203.0.113.9');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    const entries = await api.db.read((sql) => sql.query<{ reason: string; details: { limitedBy: string } }>(`SELECT reason, details FROM audit_log WHERE reason = 'rate_limited' ORDER BY id`));
    expect(entries.map((e) => e.details.limitedBy)).toEqual(['username', 'username', 'address']);
  });

  it('only failures count: a shared workstation signs in a whole shift, and one user signs in again and again', async () => {
    sec.advance(10 * MIN);
    const clerks = ['jail.king', 'jail.snohomish', 'jail.cook', 'jail.franklin.pa', 'officer.sea', 'officer.chi', 'officer.phi', 'supervisor.sea', 'supervisor.chi', 'admin'];
    for (const username of clerks) expect((await login(username, TEST_PASSWORD)).status).toBe(200); // 10 > 6 per address
    for (let i = 0; i < 5; i += 1) expect((await login('jail.king', TEST_PASSWORD)).status).toBe(200); // 5 > 3 per username
    // failures still count, after all those successes
    for (let i = 0; i < 3; i += 1) expect((await login('jail.king')).status).toBe(401);
    expect((await login('jail.king', TEST_PASSWORD)).status).toBe(429);
  });
});
