import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { DomainError } from '@app/domain';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** Signs cursors; until the service configures its key, one of this process's own. */
let cursorKey: Buffer = randomBytes(32);

/** The key cursors are signed with (from the configuration, so that every replica accepts the others' cursors). */
export function useCursorKey(key: Buffer): void {
  cursorKey = key;
}

function signature(payload: string): Buffer {
  return createHmac('sha256', cursorKey).update(payload).digest().subarray(0, 16);
}

/**
 * Opaque keyset cursors: base64url JSON of the last row's sort key, signed (HMAC-SHA256), so a
 * cursor made by hand is refused rather than used as a position.
 */
export function encodeCursor(key: Record<string, string>): string {
  const payload = Buffer.from(JSON.stringify(key)).toString('base64url');
  return `${payload}.${signature(payload).toString('base64url')}`;
}

export function decodeCursor<K extends string>(cursor: string, keys: readonly K[]): Record<K, string> {
  const bad = () => DomainError.invalidInput('cursor', 'cursor is not one this API issued; start again without it');
  const [payload, mac, extra] = cursor.split('.');
  const given = Buffer.from(mac ?? '', 'base64url');
  const expected = payload ? signature(payload) : null;
  if (extra !== undefined || !expected || given.length !== expected.length || !timingSafeEqual(given, expected)) throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (parsed === null || typeof parsed !== 'object') throw bad();
  const out = {} as Record<K, string>;
  for (const k of keys) {
    const v = (parsed as Record<string, unknown>)[k];
    if (typeof v !== 'string' || v.length > 200) throw bad();
    out[k] = v;
  }
  return out;
}
