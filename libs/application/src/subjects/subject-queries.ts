import { Injectable } from '@nestjs/common';
import { DomainError, normaliseANumber } from '@app/domain';
import { Database, SubjectMatch, SubjectRepository } from '@app/persistence';
import { detainerScopeOf, mayReadIdentity, Principal } from '../principal';

/**
 * Look-up of a subject by A-number, so that an officer lodging a detainer sees the person on file.
 * Scoped like detainers: a subject is found only through a detainer the caller may read.
 */
@Injectable()
export class SubjectQueries {
  constructor(
    private readonly db: Database,
    private readonly subjects: SubjectRepository,
  ) {}

  async findByANumber(principal: Principal, aNumber: string): Promise<SubjectMatch[]> {
    if (!mayReadIdentity(principal)) throw new DomainError('forbidden', 'Your role may not read identities.');
    const normalised = normaliseANumber(aNumber);
    if (normalised === null) {
      throw DomainError.invalidInput('aNumber', 'An A-number is the letter A followed by 8 or 9 digits, e.g. A012345678.');
    }
    return this.db.read((sql) => this.subjects.findByANumberWithin(sql, normalised, detainerScopeOf(principal)));
  }
}
