import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@app/domain';
import { AccountFilters, AccountRecord, AccountRepository, Database, Page, SessionRepository, Sql } from '@app/persistence';
import { Principal } from '../principal';
import { SECURITY_CLOCK, SecurityClock } from '../security-clock';
import { assertPasswordAllowed } from './password-policy';
import { hashPassword } from './passwords';

export interface AccountView extends AccountRecord {
  openSessions: number;
}

/** What administrators do to accounts: unlock, disable (ending every session at once), reset secrets. */
@Injectable()
export class AccountAdminService {
  constructor(
    private readonly db: Database,
    private readonly accounts: AccountRepository,
    private readonly sessions: SessionRepository,
    @Inject(SECURITY_CLOCK) private readonly clock: SecurityClock,
  ) {}

  list(filters: AccountFilters, page: { limit: number; cursor?: string }): Promise<Page<AccountRecord>> {
    return this.db.read((sql) => this.accounts.list(sql, filters, page));
  }

  get(id: string): Promise<AccountView> {
    return this.db.read(async (sql) => this.view(sql, await this.existing(sql, id)));
  }

  /** Releases an account locked after failed sign-ins; failures before now no longer count. */
  unlock(id: string): Promise<AccountView> {
    return this.db.transaction(async (sql) => {
      const account = await this.existing(sql, id);
      if (!account.lockedAt) throw new DomainError('conflict', 'This account is not locked.');
      await this.accounts.unlock(sql, id, this.clock.now());
      return this.view(sql, await this.existing(sql, id));
    });
  }

  /** Disables an account and ends all its sessions in the same transaction: its tokens stop working at once. */
  disable(admin: Principal, id: string): Promise<AccountView> {
    if (admin.kind === 'user' && admin.id === id) throw new DomainError('conflict', 'You cannot disable your own account.');
    return this.db.transaction(async (sql) => {
      const account = await this.existing(sql, id);
      if (account.disabledAt) throw new DomainError('conflict', 'This account is already disabled.');
      const now = this.clock.now();
      await this.accounts.setDisabled(sql, id, now);
      await this.sessions.endAllOf(sql, id, now, 'account_disabled');
      return this.view(sql, await this.existing(sql, id));
    });
  }

  enable(id: string): Promise<AccountView> {
    return this.db.transaction(async (sql) => {
      const account = await this.existing(sql, id);
      if (!account.disabledAt) throw new DomainError('conflict', 'This account is not disabled.');
      await this.accounts.setDisabled(sql, id, null);
      return this.view(sql, await this.existing(sql, id));
    });
  }

  /** Sets a new password (e.g. a forgotten one); the account's sessions end. */
  async setPassword(id: string, password: string): Promise<AccountView> {
    const found = await this.db.read((sql) => this.existing(sql, id));
    assertPasswordAllowed(password, found.username);
    const hash = await hashPassword(password);
    return this.db.transaction(async (sql) => {
      await this.existing(sql, id);
      const now = this.clock.now();
      await this.accounts.setPassword(sql, id, hash, now);
      await this.sessions.endAllOf(sql, id, now, 'password_changed');
      return this.view(sql, await this.existing(sql, id));
    });
  }

  /** Removes the second factor (a lost device); the account's sessions end and it enrols anew. */
  resetSecondFactor(id: string): Promise<AccountView> {
    return this.db.transaction(async (sql) => {
      await this.existing(sql, id);
      if (!(await this.accounts.resetTotp(sql, id))) throw new DomainError('conflict', 'This account has no second factor to reset.');
      await this.sessions.endAllOf(sql, id, this.clock.now(), 'second_factor_reset');
      return this.view(sql, await this.existing(sql, id));
    });
  }

  private async existing(sql: Sql, id: string): Promise<AccountRecord> {
    const account = await this.accounts.findById(sql, id);
    if (!account) throw new DomainError('not_found', 'No user with this id.');
    return account;
  }

  private async view(sql: Sql, account: AccountRecord): Promise<AccountView> {
    return { ...account, openSessions: (await this.sessions.listOpen(sql, account.id)).length };
  }
}
