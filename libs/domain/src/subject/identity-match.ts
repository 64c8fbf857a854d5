/**
 * An A-number (or FBI number) identifies one person. A detainer lodged with a number already on file
 * links to that person only when what the officer typed is the person on file; otherwise the officer
 * is told which fields differ (never the values on file) and checks the number: a typo in an
 * A-number that links the wrong person is how people are wrongly held.
 */

export interface IdentityOnFile {
  familyName: string;
  givenName: string;
  dateOfBirth: string;
  sex: 'F' | 'M' | 'X' | null;
  citizenship: string;
  fbiNumber: string | null;
  stateId?: string | null;
}

export interface IdentityTyped {
  familyName: string;
  givenName: string;
  dateOfBirth: string;
  sex?: 'F' | 'M' | 'X';
  citizenship: string;
  fbiNumber?: string | null;
  stateId?: string | null;
}

export const IDENTITY_FIELDS = ['familyName', 'givenName', 'dateOfBirth', 'sex', 'citizenship', 'fbiNumber', 'stateId'] as const;
export type IdentityField = (typeof IDENTITY_FIELDS)[number];
/** The fields in words, for messages people read (an officer is told "family name", not `familyName`). */
export const IDENTITY_FIELD_WORDS: Record<IdentityField | 'aNumber', string> = {
  aNumber: 'A-number', familyName: 'family name', givenName: 'given name', dateOfBirth: 'date of birth', sex: 'sex', citizenship: 'citizenship',
  fbiNumber: 'FBI number', stateId: 'state ID',
};

/** Names compared as people write them: case and runs of spaces do not matter; letters (accents included) do. */
export function sameName(a: string, b: string): boolean {
  const norm = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('en-US');
  return norm(a) === norm(b);
}

/**
 * The fields in which `typed` is not the person `onFile`, in IDENTITY_FIELDS order.
 *
 * Names, date of birth and citizenship must agree. Sex, FBI number and state ID must agree when typed. When the
 * person is on file only in records the caller may not read (`visibleToCaller` false), a sex or FBI
 * number on file that was not typed also counts: linking would hand the caller identity data that
 * exists only on another office's records.
 */
export function identityMismatches(onFile: IdentityOnFile, typed: IdentityTyped, visibleToCaller: boolean): IdentityField[] {
  const differs: Record<IdentityField, boolean> = {
    familyName: !sameName(onFile.familyName, typed.familyName),
    givenName: !sameName(onFile.givenName, typed.givenName),
    dateOfBirth: onFile.dateOfBirth !== typed.dateOfBirth,
    citizenship: onFile.citizenship !== typed.citizenship.toUpperCase(),
    sex: typed.sex !== undefined ? onFile.sex !== typed.sex : !visibleToCaller && onFile.sex !== null,
    fbiNumber:
      typed.fbiNumber !== undefined && typed.fbiNumber !== null
        ? onFile.fbiNumber !== null && onFile.fbiNumber !== typed.fbiNumber
        : !visibleToCaller && onFile.fbiNumber !== null,
    stateId:
      typed.stateId !== undefined && typed.stateId !== null
        ? (onFile.stateId ?? null) !== null && onFile.stateId !== typed.stateId
        : !visibleToCaller && (onFile.stateId ?? null) !== null,
  };
  return IDENTITY_FIELDS.filter((f) => differs[f]);
}
