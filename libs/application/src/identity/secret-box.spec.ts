import { SecretBox } from './secret-box';
import { isCommonPassword } from './password-policy';
import { matchTotp, newTotpSecret, totpCodeAt } from './totp';

describe('SecretBox', () => {
  const box = new SecretBox(Buffer.alloc(32, 7));

  it('seals and opens; each seal differs', () => {
    const a = box.seal('JBSWY3DPEHPK3PXP', 'user-1');
    expect(a).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.seal('JBSWY3DPEHPK3PXP', 'user-1')).not.toBe(a);
    expect(box.open(a, 'user-1')).toBe('JBSWY3DPEHPK3PXP');
  });

  it('refuses another context, another key, and a tampered value', () => {
    const sealed = box.seal('secret', 'user-1');
    expect(() => box.open(sealed, 'user-2')).toThrow();
    expect(() => new SecretBox(Buffer.alloc(32, 8)).open(sealed, 'user-1')).toThrow();
    const [v, iv, tag, body] = sealed.split('.') as [string, string, string, string];
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] = flipped[0] ^ 1;
    expect(() => box.open([v, iv, tag, flipped.toString('base64url')].join('.'), 'user-1')).toThrow();
    expect(() => box.open('plain', 'user-1')).toThrow('not a sealed value');
  });
});

describe('TOTP', () => {
  it('accepts the current code and one step either side, nothing further', () => {
    const secret = newTotpSecret();
    const now = new Date('2026-11-02T15:00:10Z');
    const step = Math.floor(now.getTime() / 30_000);
    expect(matchTotp(secret, 'u', totpCodeAt(secret, now), now)).toBe(step);
    expect(matchTotp(secret, 'u', totpCodeAt(secret, new Date(now.getTime() - 30_000)), now)).toBe(step - 1);
    expect(matchTotp(secret, 'u', totpCodeAt(secret, new Date(now.getTime() + 30_000)), now)).toBe(step + 1);
    expect(matchTotp(secret, 'u', totpCodeAt(secret, new Date(now.getTime() + 90_000)), now)).toBeNull();
    expect(matchTotp(secret, 'u', '12345', now)).toBeNull();
    expect(matchTotp(secret, 'u', 'abcdef', now)).toBeNull();
  });
});

describe('the shipped common-password list', () => {
  it('holds tens of thousands of breached passwords and needs no network', () => {
    for (const p of ['password', '123456789012', 'qwertyuiop123', 'iloveyou']) expect(isCommonPassword(p)).toBe(true);
    expect(isCommonPassword('violet-harbor-lantern-42')).toBe(false);
  });
});
