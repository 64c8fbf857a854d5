import { Injectable } from '@nestjs/common';
import { DomainError, Role } from '@app/domain';
import { Database, ReferenceRepository, UserRecord, UserRepository } from '@app/persistence';
import { assertPasswordAllowed } from './password-policy';
import { hashPassword } from './passwords';

export interface NewUser {
  username: string;
  password: string;
  role: Role;
  agencyId?: string;
  areaId?: string;
  displayName?: string;
  /** Where e-mail reminders go. */
  email?: string;
}

export { MIN_PASSWORD_LENGTH } from '@app/domain';

@Injectable()
export class UserAdminService {
  constructor(
    private readonly db: Database,
    private readonly users: UserRepository,
    private readonly refs: ReferenceRepository,
  ) {}

  async create(input: NewUser): Promise<UserRecord> {
    assertPasswordAllowed(input.password, input.username);
    // Each role is tied to exactly the unit it works in: jail staff to an agency, officers and supervisors to an AOR.
    const needsAgency = input.role === 'jail_staff';
    const needsArea = input.role === 'officer' || input.role === 'supervisor';
    if (needsAgency !== (input.agencyId !== undefined)) {
      throw DomainError.invalidInput('agencyId', needsAgency ? 'Jail staff belong to one agency: give agencyId.' : `A ${input.role} has no agency.`);
    }
    if (needsArea !== (input.areaId !== undefined)) {
      throw DomainError.invalidInput('areaId', needsArea ? `A ${input.role} works in one AOR: give areaId.` : `A ${input.role} has no AOR.`);
    }
    const passwordHash = await hashPassword(input.password);
    return this.db.transaction(async (sql) => {
      if (input.agencyId && !(await this.refs.findAgency(sql, input.agencyId))) throw DomainError.invalidInput('agencyId', 'No agency has this id.');
      if (input.areaId && !(await this.refs.findArea(sql, input.areaId))) throw DomainError.invalidInput('areaId', 'No area has this id.');
      if (await this.users.findByUsername(sql, input.username)) throw new DomainError('conflict', 'That username is taken.', [{ field: 'username', message: 'already taken' }]);
      return this.users.insert(sql, {
        username: input.username,
        passwordHash,
        role: input.role,
        agencyId: input.agencyId ?? null,
        areaId: input.areaId ?? null,
        displayName: input.displayName ?? null,
        email: input.email ?? null,
      });
    });
  }

  /** Start-up: when no admin exists, create the one the environment names. */
  async ensureFirstAdmin(admin: { username: string; password: string } | null): Promise<'created' | 'exists' | 'not_configured'> {
    const count = await this.db.read((sql) => this.users.countAdmins(sql));
    if (count > 0) return 'exists';
    if (!admin) return 'not_configured';
    try {
      await this.create({ username: admin.username, password: admin.password, role: 'admin', displayName: 'Administrator' });
    } catch (error) {
      if (error instanceof DomainError && error.code === 'conflict') return 'exists';
      throw error;
    }
    return 'created';
  }
}
