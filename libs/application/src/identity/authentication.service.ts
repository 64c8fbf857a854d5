import { Inject, Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { DomainError, Role } from '@app/domain';
import { APP_CONFIG, AppConfig } from '@app/config';
import { Database, UserRecord, UserRepository } from '@app/persistence';
import { Principal } from '../principal';
import { dummyHash, verifyPassword } from './passwords';

export interface IssuedToken {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: UserRecord;
}

interface TokenClaims {
  sub: string;
  role: Role;
}

/** Passwords in, short-lived signed tokens out; tokens in, principals out. */
@Injectable()
export class AuthenticationService {
  constructor(
    private readonly db: Database,
    private readonly users: UserRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login(username: string, password: string): Promise<IssuedToken> {
    const user = await this.db.read((sql) => this.users.findByUsername(sql, username));
    const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), password);
    if (!user || !ok) throw new DomainError('unauthenticated', 'Wrong username or password.');
    const { passwordHash: _secret, ...record } = user;
    const claims: TokenClaims = { sub: user.id, role: user.role };
    const accessToken = jwt.sign(claims, this.config.jwt.secret, {
      algorithm: 'HS256',
      expiresIn: this.config.jwt.ttlSeconds,
      audience: this.config.jwt.audience,
      issuer: this.config.jwt.issuer,
    });
    return { accessToken, tokenType: 'Bearer', expiresIn: this.config.jwt.ttlSeconds, user: record };
  }

  /** Verifies signature (HS256 only: `none` and other algorithms are refused), expiry, audience and issuer. */
  async principalFromToken(token: string): Promise<Principal> {
    let claims: TokenClaims;
    try {
      claims = jwt.verify(token, this.config.jwt.secret, {
        algorithms: ['HS256'],
        audience: this.config.jwt.audience,
        issuer: this.config.jwt.issuer,
      }) as TokenClaims;
    } catch {
      throw new DomainError('unauthenticated', 'The access token is invalid or has expired; sign in again.');
    }
    // The account is read on every request: a deleted account or a changed role takes effect at once.
    const user = typeof claims.sub === 'string' ? await this.db.read((sql) => this.users.findById(sql, claims.sub)) : null;
    if (!user) throw new DomainError('unauthenticated', 'The access token is invalid or has expired; sign in again.');
    return { kind: 'user', id: user.id, name: user.username, role: user.role, agencyId: user.agencyId, areaId: user.areaId };
  }
}
