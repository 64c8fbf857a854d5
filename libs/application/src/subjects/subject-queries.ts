import { Injectable } from '@nestjs/common';
import { DomainError, normaliseANumber } from '@app/domain';
import { Database, DetainerReadRepository, DetainerRecord, MAX_PAGE_SIZE, SubjectMatch, SubjectRecord, SubjectRepository } from '@app/persistence';
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
    private readonly detainers: DetainerReadRepository,
  ) {}

  /** The person and every detainer on them the caller may see (newest first); 404 when the caller sees none. */
  async get(principal: Principal, id: string): Promise<{ subject: SubjectRecord; detainers: DetainerRecord[] }> {
    if (!mayReadIdentity(principal)) throw new DomainError('forbidden', 'Your role may not read identities.');
    const scope = detainerScopeOf(principal);
    return this.db.read(async (sql) => {
      const detainers: DetainerRecord[] = [];
      let cursor: string | undefined;
      do {
        const page = await this.detainers.list(sql, { subjectId: id }, { limit: MAX_PAGE_SIZE, cursor }, { scope, includeIdentity: true });
        detainers.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor && detainers.length < 5 * MAX_PAGE_SIZE);
      const subject = detainers.length ? await this.subjects.findById(sql, id) : null;
      if (!subject) throw new DomainError('not_found', 'No subject with this id.');
      return { subject, detainers };
    });
  }

  async findByANumber(principal: Principal, aNumber: string): Promise<SubjectMatch[]> {
    if (!mayReadIdentity(principal)) throw new DomainError('forbidden', 'Your role may not read identities.');
    const normalised = normaliseANumber(aNumber);
    if (normalised === null) {
      throw DomainError.invalidInput('aNumber', 'An A-number is the letter A followed by 8 or 9 digits, e.g. A012345678.');
    }
    return this.db.read((sql) => this.subjects.findByANumberWithin(sql, normalised, detainerScopeOf(principal)));
  }
}
