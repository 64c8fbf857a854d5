import { beginStatement, scopeNeedsSettings, scopeSettings } from './database-scope';

describe('database scope', () => {
  const area = '0cb96562-5fe8-4d09-a74d-9fce81414f09';

  it('opens a transaction and sets its scope in one statement text, local to the transaction', () => {
    expect(beginStatement('REPEATABLE READ', { kind: 'area', areaId: area, userId: area })).toBe(
      `BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT set_config('app.scope', 'area', true), set_config('app.area_id', '${area}', true), set_config('app.user_id', '${area}', true)`,
    );
    expect(scopeSettings({ kind: 'system' })).toEqual({ 'app.scope': 'system' });
    expect(scopeSettings({ kind: 'agency', agencyId: area })).toEqual({ 'app.scope': 'agency', 'app.agency_id': area });
  });

  it('inlines nothing but checked UUIDs', () => {
    expect(() => beginStatement('READ COMMITTED', { kind: 'area', areaId: "x', true); DROP TABLE detainers; --" })).toThrow(/not a UUID/);
    expect(() => beginStatement('READ COMMITTED', { kind: 'none', userId: "'; --" })).toThrow(/not a UUID/);
  });

  it('a scope of nothing needs no transaction: an unset one already sees nothing', () => {
    expect(scopeNeedsSettings({ kind: 'none' })).toBe(false);
    expect(scopeNeedsSettings({ kind: 'none', userId: area })).toBe(true);
    expect(scopeNeedsSettings({ kind: 'all' })).toBe(true);
  });
});
