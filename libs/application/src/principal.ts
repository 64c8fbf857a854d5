import { Actor, Role } from '@app/domain';
import { AccessScope, DatabaseScope, NO_SCOPE } from '@app/persistence';

/** Who is calling: a signed-in user, or an agency system with an API key (acts as that agency's jail staff). */
export interface Principal {
  kind: 'user' | 'api_key';
  id: string;
  /** Username, or the API key's label. */
  name: string;
  role: Role;
  agencyId: string | null;
  areaId: string | null;
  /** The sign-in session behind a user's token (absent for API keys and for principals built outside a request). */
  session?: PrincipalSession;
}

export interface PrincipalSession {
  id: string;
  /** Last sign-in or re-authentication: privileged actions need it recent. */
  authenticatedAt: Date;
  /** A second factor was proved in this session. */
  secondFactor: boolean;
  expiresAt: Date;
}

export function actorOf(p: Principal): Actor {
  return { kind: p.kind, id: p.id, role: p.role, agencyId: p.agencyId, areaId: p.areaId };
}

/** The detainers a principal may reach. Analysts reach none: they read de-identified reports. */
export function detainerScopeOf(p: Principal): AccessScope {
  switch (p.role) {
    case 'admin':
      return { kind: 'all' };
    case 'officer':
    case 'supervisor':
      return p.areaId ? { kind: 'area', areaId: p.areaId } : { kind: 'none' };
    case 'jail_staff':
      return p.agencyId ? { kind: 'agency', agencyId: p.agencyId } : { kind: 'none' };
    case 'analyst':
      return { kind: 'none' };
    default: {
      const never: never = p.role;
      return never;
    }
  }
}

/** What the database's row-level security lets the principal's transactions see (the same reach, and their own inbox). */
export function databaseScopeOf(p: Principal | null | undefined): DatabaseScope {
  if (!p) return NO_SCOPE;
  return { ...detainerScopeOf(p), userId: p.kind === 'user' ? p.id : null };
}

export function mayReadIdentity(p: Principal): boolean {
  return p.role !== 'analyst';
}

/** A stable string naming the principal, e.g. for idempotency keys. */
export function principalKey(p: Principal): string {
  return `${p.kind}:${p.id}`;
}
