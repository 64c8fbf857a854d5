import { ConfigError, loadConfig } from './config';

describe('loadConfig: security settings', () => {
  const base = { NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(40) };

  it('defaults follow the CJIS controls: 30 minutes idle, 12 hours in all, re-authentication within 15 minutes, CORS off', () => {
    const { security } = loadConfig(base);
    expect(security).toMatchObject({
      sessionIdleMinutes: 30, sessionMaxHours: 12, reauthMaxAgeMinutes: 15, mfaRequiredRoles: [], corsOrigins: [], trustProxyHops: 0,
      loginRate: { windowSeconds: 300, perAddress: 30, perUsername: 10 },
    });
    expect(security.encryptionKey).toHaveLength(32);
  });

  it('in production every role needs a second factor unless MFA_REQUIRED_ROLES says otherwise, and the development JWT secret is refused', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: 'y'.repeat(40), ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'a-long-admin-password' };
    expect(loadConfig(production).security.mfaRequiredRoles).toEqual(['officer', 'jail_staff', 'supervisor', 'admin', 'analyst']);
    expect(loadConfig({ ...production, MFA_REQUIRED_ROLES: 'admin' }).security.mfaRequiredRoles).toEqual(['admin']);
    expect(loadConfig({ ...production, MFA_REQUIRED_ROLES: 'none' }).security.mfaRequiredRoles).toEqual([]);
    expect(() => loadConfig({ ...production, JWT_SECRET: 'development-only-secret-not-for-production-use' })).toThrow(/JWT_SECRET is the development value/);
    expect(loadConfig({ NODE_ENV: 'development' }).jwt.developmentSecret).toBe(true);
    expect(loadConfig(base).jwt.developmentSecret).toBe(false);
  });

  it('reads MFA_REQUIRED_ROLES as a list, all or none', () => {
    expect(loadConfig({ ...base, MFA_REQUIRED_ROLES: 'officer, admin' }).security.mfaRequiredRoles).toEqual(['officer', 'admin']);
    expect(loadConfig({ ...base, MFA_REQUIRED_ROLES: 'all' }).security.mfaRequiredRoles).toEqual(['officer', 'jail_staff', 'supervisor', 'admin', 'analyst']);
    expect(loadConfig({ ...base, MFA_REQUIRED_ROLES: 'none' }).security.mfaRequiredRoles).toEqual([]);
  });

  it.each([
    ['MFA_REQUIRED_ROLES', 'officer,root', /MFA_REQUIRED_ROLES names unknown role\(s\) root/],
    ['SESSION_IDLE_MINUTES', '45', /SESSION_IDLE_MINUTES="45" must be a whole number from 1 to 30/],
    ['SESSION_MAX_HOURS', '24', /SESSION_MAX_HOURS="24" must be a whole number from 1 to 12/],
    ['CORS_ORIGINS', '*', /CORS_ORIGINS entry "\*" is not an origin/],
    ['CORS_ORIGINS', 'https://ok.example/path', /not an origin/],
    ['ENCRYPTION_KEY', 'short', /ENCRYPTION_KEY must be at least 32 characters/],
    ['LOGIN_RATE_PER_USERNAME', '0', /LOGIN_RATE_PER_USERNAME="0"/],
  ])('refuses %s=%s, naming the setting', (name, value, message) => {
    expect(() => loadConfig({ ...base, [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, [name]: value })).toThrow(message);
  });

  it('accepts a list of origins; the sealing key comes from ENCRYPTION_KEY when set, else from JWT_SECRET', () => {
    expect(loadConfig({ ...base, CORS_ORIGINS: 'https://a.example, http://localhost:5173' }).security.corsOrigins).toEqual(['https://a.example', 'http://localhost:5173']);
    const derived = loadConfig(base).security.encryptionKey;
    const own = loadConfig({ ...base, ENCRYPTION_KEY: 'k'.repeat(32) }).security.encryptionKey;
    expect(own.equals(derived)).toBe(false);
    expect(loadConfig(base).security.encryptionKey.equals(derived)).toBe(true);
  });
});
