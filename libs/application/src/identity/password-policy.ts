import { dictionary } from '@zxcvbn-ts/language-common';
import { DomainError, passwordProblem } from '@app/domain';

let common: Set<string> | undefined;

/**
 * The common/breached-password list shipped in @zxcvbn-ts/language-common (about 49,000 passwords
 * from breach corpora, MIT licence): installed with the code, no network at run time.
 */
export function isCommonPassword(lowerCased: string): boolean {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return common.has(lowerCased);
}

/** Throws a 400 naming `field` when the password breaks a rule (see libs/domain password-rules). */
export function assertPasswordAllowed(password: string, username: string | undefined, field = 'password'): void {
  const problem = passwordProblem(password, { username, isCommon: isCommonPassword });
  if (problem) throw DomainError.invalidInput(field, problem);
}
