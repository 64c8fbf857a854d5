import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { DomainError } from '@app/domain';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** Seals cursors; until the service configures its key, one of this process's own. */
let cursorKey: Buffer = sealingKey(randomBytes(32));

/** The key cursors are sealed with (from the configuration, so that every replica accepts the others' cursors). */
export function useCursorKey(key: Buffer): void {
  cursorKey = sealingKey(key);
}

function sealingKey(secret: Buffer): Buffer {
  return createHmac('sha256', secret).update('detainer-workflow cursor sealing v1').digest();
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Opaque keyset cursors: the last row's sort key, sealed (AES-256-GCM), so a cursor made or edited by
 * hand is refused rather than used as a position, and a cursor tells its holder nothing (an analyst's
 * drill-down cursor would otherwise carry a detainer id).
 */
export function encodeCursor(key: Record<string, string>): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', cursorKey, iv);
  const sealed = Buffer.concat([cipher.update(JSON.stringify(key), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
}

export function decodeCursor<K extends string>(cursor: string, keys: readonly K[]): Record<K, string> {
  const bad = () => DomainError.invalidInput('cursor', 'cursor is not one this API issued; start again without it');
  const raw = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url') : Buffer.alloc(0);
  if (raw.length <= IV_BYTES + TAG_BYTES || raw.length > 2048) throw bad();
  let parsed: unknown;
  try {
    const decipher = createDecipheriv('aes-256-gcm', cursorKey, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    const text = Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    parsed = JSON.parse(text);
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
