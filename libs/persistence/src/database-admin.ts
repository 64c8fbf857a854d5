import { Client } from 'pg';

/** Creates the database named in `url` when it does not exist yet (connecting to `postgres` to do so). */
export async function ensureDatabaseExists(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!name) throw new Error('DATABASE_URL names no database');
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount) return false;
    await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
    return true;
  } catch (error) {
    // Two processes starting together may race to create it.
    if ((error as { code?: string }).code === '42P04') return false;
    throw error;
  } finally {
    await client.end();
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * The two roles of a database, created when missing (run with a superuser's connection, as
 * `npm start` and the test harness do): the owner, which migrations run as, and the application
 * role the API and the worker connect as. Neither is a superuser or bypasses row-level security;
 * the application role owns nothing and gets its grants from the migrations.
 */
export async function ensureDatabaseRoles(adminUrl: string, roles: { name: string; password?: string }[]): Promise<void> {
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    for (const { name: role, password: secret } of roles) {
      const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      const password = secret === undefined ? '' : ` PASSWORD ${quoteLiteral(secret)}`;
      const attributes = `LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS${password}`;
      try {
        await client.query(`${exists.rowCount ? 'ALTER' : 'CREATE'} ROLE ${quoteIdent(role)} ${attributes}`);
      } catch (error) {
        // Two processes preparing the same roles at once.
        if ((error as { code?: string }).code !== '23505' && (error as { code?: string }).code !== '42710') throw error;
      }
    }
  } finally {
    await client.end();
  }
}

/** Hands a database and everything in its public schema to `owner` (a first run of this version on a database made before it). */
export async function transferOwnership(adminUrl: string, database: string, owner: string): Promise<void> {
  const admin = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE ${quoteIdent(database)} OWNER TO ${quoteIdent(owner)}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const client = new Client({ connectionString: url.toString(), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(`ALTER SCHEMA public OWNER TO ${quoteIdent(owner)}`);
    await client.query(`
      DO $$
      DECLARE r record;
      BEGIN
        FOR r IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm', 'S', 'p') AND pg_get_userbyid(c.relowner) <> ${quoteLiteral(owner)}
                   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))
        LOOP
          EXECUTE format('ALTER %s public.%I OWNER TO %I', CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, r.relname, ${quoteLiteral(owner)});
        END LOOP;
        FOR r IN SELECT p.oid::regprocedure AS fn FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                 WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> ${quoteLiteral(owner)}
        LOOP
          EXECUTE format('ALTER FUNCTION %s OWNER TO %I', r.fn, ${quoteLiteral(owner)});
        END LOOP;
      END $$;
    `);
  } finally {
    await client.end();
  }
}

function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * What is wrong with the role the service connects as, if anything: a superuser, a role that
 * bypasses row-level security, or one that owns the tables (and so could switch their guards off).
 */
export async function serviceRoleProblem(query: (sql: string) => Promise<unknown[]>): Promise<string | null> {
  const [role] = (await query(
    `SELECT r.rolname AS name, r.rolsuper AS superuser, r.rolbypassrls AS bypass,
            EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relowner = r.oid) AS owns
     FROM pg_roles r WHERE r.rolname = current_user`,
  )) as { name: string; superuser: boolean; bypass: boolean; owns: boolean }[];
  if (!role) return null;
  const what = [role.superuser && 'is a superuser', role.bypass && 'bypasses row-level security', role.owns && 'owns the tables'].filter(Boolean);
  return what.length
    ? `DATABASE_URL signs in as "${role.name}", which ${what.join(' and ')}: the service must connect as the application role (it owns nothing; migrations run as the owner from MIGRATION_DATABASE_URL). See the README, "Database roles".`
    : null;
}
