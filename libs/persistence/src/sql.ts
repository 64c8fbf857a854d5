import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import { DataSource, QueryFailedError, QueryRunner } from 'typeorm';
import { isConnectionFailure } from './connection-failure';
import { ConnectionQueue, connectionQueueOf } from './connection-queue';
import { copyTextOf } from './copy-text';
import { ambientDatabaseScope, beginStatement, DatabaseScope, NO_SCOPE, openDetainerForChange, scopeNeedsSettings, scopeSettings } from './database-scope';

/** One connection's worth of SQL: inside a transaction, or a plain read. */
export class Sql {
  constructor(
    private readonly runner: QueryRunner,
    private readonly committed: (() => Promise<void>)[] = [],
    /** Detainers this transaction has opened for change (see openDetainerForChange). */
    readonly openedDetainers: Set<string> = new Set(),
    /** What the statement sent with BEGIN answered (TransactionOptions.withBegin), once, for the work to take. */
    private beginAnswer?: { key: string; rows: Record<string, unknown>[] },
  ) {}

  /** The same transaction, with `answer` to take as the BEGIN's (a transaction joining a unit of work ran it on its own). */
  joined(answer?: { key: string; rows: Record<string, unknown>[] }): Sql {
    return new Sql(this.runner, this.committed, this.openedDetainers, answer);
  }

  /** The rows the statement sent with BEGIN under `key` answered; undefined when none was (or it was taken). */
  takeBeginAnswer(key: string): Record<string, unknown>[] | undefined {
    if (this.beginAnswer?.key !== key) return undefined;
    const rows = this.beginAnswer.rows;
    this.beginAnswer = undefined;
    return rows;
  }

  /**
   * Work to do once the transaction has committed (e.g. hand a reminder to the queue): never for a
   * rolled-back one. Its failure does not undo the commit; what it does must be recoverable from the
   * database (the reminder reconciler re-adds whatever never reached Redis).
   */
  afterCommit(work: () => Promise<void>): void {
    this.committed.push(work);
  }

  async query<T>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    const result = await this.runner.query(text, [...params], true);
    return result.records as T[];
  }

  async one<T>(text: string, params: readonly unknown[] = []): Promise<T | null> {
    const rows = await this.query<T>(text, params);
    return rows[0] ?? null;
  }

  /**
   * A hot read as a named prepared statement, so that each connection parses and rewrites it once
   * and, once PostgreSQL has chosen its generic plan (after five executions, when that plan is no
   * dearer than the custom ones), plans it once too. Planning is most of what row-level security adds
   * to a read by key: each policy is planned into every statement. Only for statements whose text is
   * one of a few (no values inlined) and whose plan does not depend on the values; name every column
   * (no `*`), since a column added by a later migration would change a cached plan's result type.
   */
  async prepared<T>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    const client = (await this.runner.connect()) as PoolClient;
    const name = preparedStatementName(text);
    try {
      const result = await client.query<T & Record<string, unknown>>({ name, text, values: [...params] });
      return result.rows;
    } catch (error) {
      throw new QueryFailedError(text, [...params], error as Error);
    }
  }

  /**
   * Bulk-loads `rows` into `table`: `COPY ... FROM STDIN` (text format; see copy-text.ts) into a
   * temporary staging table of this connection, then one set-based `INSERT ... SELECT`. PostgreSQL
   * refuses COPY into a table with row-level security, so the INSERT is where the policies and
   * triggers apply, as to any insert. The staging table is emptied after each load (a rolled-back load leaves nothing in it either).
   */
  async copyFrom(table: string, columns: readonly string[], rows: Iterable<readonly unknown[]>): Promise<void> {
    const list = columns.join(', ');
    const stage = `pg_temp.copy_${table}_${createHash('sha1').update(list).digest('hex').slice(0, 8)}`;
    await this.runner.query(`CREATE TEMP TABLE IF NOT EXISTS ${stage.slice('pg_temp.'.length)} AS SELECT ${list} FROM ${table} WITH NO DATA`);
    const client = (this.runner as unknown as { databaseConnection: PoolClient }).databaseConnection;
    const stream = client.query(copyFromStdin(`COPY ${stage} (${list}) FROM STDIN`));
    await pipeline(Readable.from(copyTextOf(rows)), stream);
    await this.runner.query(`INSERT INTO ${table} (${list}) SELECT ${list} FROM ${stage}`);
    await this.runner.query(`TRUNCATE ${stage}`);
  }

  /** Runs a statement and returns how many rows it changed. */
  async execute(text: string, params: readonly unknown[] = []): Promise<number> {
    const result = await this.runner.query(text, [...params], true);
    return result.affected ?? 0;
  }
}

/** The name `Sql.prepared` gives the statement `text` on each connection (EXECUTE can name it, e.g. to EXPLAIN it). */
export function preparedStatementName(text: string): string {
  return `dw_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
}

/**
 * Something that must commit together with whatever a transaction writes (the audit entry of the
 * request that made the change). It is ambient, so use cases need not pass it along.
 */
export interface CommitParticipant {
  /** Called inside the transaction, after its work and before COMMIT; throwing rolls everything back. */
  beforeCommit(sql: Sql, result: unknown): Promise<void>;
}

const commitParticipants = new AsyncLocalStorage<CommitParticipant>();

/** Runs `work` with `participant` joining every transaction committed inside it. */
export function withCommitParticipant<T>(participant: CommitParticipant, work: () => T): T {
  return commitParticipants.run(participant, work);
}

export function currentCommitParticipant(): CommitParticipant | undefined {
  return commitParticipants.getStore();
}

export type IsolationLevel = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

export interface TransactionOptions {
  isolation?: IsolationLevel;
  /**
   * Detainers to open for change with the BEGIN itself (one round trip less than opening each later);
   * the same rule as openDetainerForChange: the work must check the caller's reach before using them.
   */
  openDetainers?: readonly string[];
  /**
   * A first statement sent in the same round trip as BEGIN (after the scope's settings), its answer
   * kept under `key` for the work (Sql.takeBeginAnswer): a parameterless text whose inlined values
   * are checked UUIDs (inlineUuidParams).
   */
  withBegin?: { key: string; text: string };
}

/**
 * The unit of work: everything inside `transaction` commits together or not at all. Every
 * transaction carries the row-level-security scope of its caller (`withDatabaseScope`), or this
 * database's default when none was set (none for the API: a request's scope comes from its principal).
 */
export class Database {
  constructor(
    readonly dataSource: DataSource,
    private readonly defaultScope: DatabaseScope = NO_SCOPE,
  ) {}

  private get connections(): ConnectionQueue {
    return connectionQueueOf(this.dataSource);
  }

  /** A connection of the pool, for a caller holding a turn of the queue. */
  private async connect(): Promise<QueryRunner> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
    } catch (error) {
      // Down, not busy: whoever waits for a turn would fail the same way, after waiting. (pg's own
      // wait for a pooled connection timing out is busy: a caller that bypassed the queue, see ConnectionQueue.run.)
      if (isConnectionFailure(error) && !POOL_WAIT_TIMEOUT.test((error as Error).message)) this.connections.failWaiting(error as Error);
      throw error;
    }
    return runner;
  }

  /** The scope transactions opened here get. */
  scope(): DatabaseScope {
    return ambientDatabaseScope() ?? this.defaultScope;
  }

  transaction<T>(work: (sql: Sql) => Promise<T>, options: IsolationLevel | TransactionOptions = 'READ COMMITTED'): Promise<T> {
    const opts = typeof options === 'string' ? { isolation: options } : options;
    const isolation = opts.isolation ?? 'READ COMMITTED';
    const unit = this.openUnitOfWork();
    if (unit) return this.joinUnitOfWork(unit, work, isolation, opts.openDetainers ?? [], opts.withBegin);
    return this.inTransaction(work, isolation, commitParticipants.getStore(), opts.openDetainers ?? [], opts.withBegin);
  }

  /**
   * One transaction around `work` that every transaction (and read) opened inside it with the same
   * scope joins, instead of committing on its own: a request's result and whatever it wrote commit
   * together or not at all (a stored Idempotency-Key response and the resource it created). Always
   * READ COMMITTED. A part that fails fails the whole, even if the work catches its error.
   */
  unitOfWork<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    const unit = this.openUnitOfWork();
    if (unit) return this.joinUnitOfWork(unit, work, 'READ COMMITTED', []);
    return this.inTransaction(async (sql) => {
      const opened: UnitOfWork = { database: this, sql, scope: scopeKey(this.scope()), participant: commitParticipants.getStore(), open: true, failure: null };
      try {
        const result = await unitsOfWork.run(opened, () => work(sql));
        if (opened.failure) throw opened.failure;
        return result;
      } finally {
        opened.open = false;
      }
    }, 'READ COMMITTED', commitParticipants.getStore());
  }

  /** The unit of work this call runs inside, if one is open here on this database with the same scope. */
  private openUnitOfWork(): UnitOfWork | undefined {
    const unit = unitsOfWork.getStore();
    return unit?.open && unit.database === this && unit.scope === scopeKey(this.scope()) ? unit : undefined;
  }

  private async joinUnitOfWork<T>(
    unit: UnitOfWork,
    work: (sql: Sql) => Promise<T>,
    isolation: IsolationLevel,
    openDetainers: readonly string[],
    withBegin?: { key: string; text: string },
  ): Promise<T> {
    if (isolation !== 'READ COMMITTED') throw new Error(`a ${isolation} transaction cannot join a unit of work (READ COMMITTED)`);
    try {
      for (const id of openDetainers) await openDetainerForChange(unit.sql, id);
      const sql = withBegin ? unit.sql.joined({ key: withBegin.key, rows: await unit.sql.query<Record<string, unknown>>(withBegin.text) }) : unit.sql.joined();
      const result = await work(sql);
      // A participant of this part alone (not the unit's) still writes before the one COMMIT.
      const participant = commitParticipants.getStore();
      if (participant && participant !== unit.participant) await participant.beforeCommit(sql, result);
      return result;
    } catch (error) {
      unit.failure ??= error instanceof Error ? error : new Error(String(error));
      throw error;
    }
  }

  private async inTransaction<T>(
    work: (sql: Sql) => Promise<T>,
    isolation: IsolationLevel,
    participant: CommitParticipant | undefined,
    openDetainers: readonly string[] = [],
    withBegin?: { key: string; text: string },
  ): Promise<T> {
    // Its turn is handed on as soon as its connection is back in the pool: after-commit work needs none.
    return this.connections.run(async (handOn) => {
      const runner = await this.connect();
      let released = false;
      try {
        const committed: (() => Promise<void>)[] = [];
        let result: T;
        try {
          const begin = beginStatement(isolation, this.scope(), openDetainers, withBegin?.text);
          let beginAnswer: { key: string; rows: Record<string, unknown>[] } | undefined;
          if (withBegin) {
            // TypeORM keeps no result of a query of several statements: ask the driver's connection
            const client = (runner as unknown as { databaseConnection: PoolClient }).databaseConnection;
            const results = (await client.query(begin)) as unknown as { rows: Record<string, unknown>[] }[];
            beginAnswer = { key: withBegin.key, rows: results[results.length - 1].rows };
          } else {
            await runner.query(begin);
          }
          const sql = new Sql(runner, committed, new Set(openDetainers.map((id) => id.toLowerCase())), beginAnswer);
          result = await work(sql);
          await participant?.beforeCommit(sql, result);
          await runner.query('COMMIT');
        } catch (error) {
          await runner.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
        await runner.release();
        released = true;
        handOn();
        for (const after of committed) await runAfterCommit(after);
        return result;
      } finally {
        if (!released) await runner.release();
      }
    });
  }

  /**
   * Reads (and single-statement writes) that need no unit of work. With a scope to set they run in
   * one transaction, since `set_config(..., true)` lasts only as long as one (a request's audit entry
   * is not written in it: that is for the transactions of its change); without, each statement
   * autocommits and sees no row of the tables with row-level security.
   */
  async read<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    const unit = this.openUnitOfWork();
    if (unit) return this.joinUnitOfWork(unit, work, 'READ COMMITTED', []);
    if (scopeNeedsSettings(this.scope())) return this.inTransaction(work, 'READ COMMITTED', undefined);
    return this.connections.run(async () => {
      const runner = await this.connect();
      const committed: (() => Promise<void>)[] = [];
      try {
        const result = await work(new Sql(runner, committed));
        for (const after of committed) await runAfterCommit(after);
        return result;
      } finally {
        await runner.release();
      }
    });
  }
}

/** What pg-pool says when no connection came free within its connect timeout (a new one failing to connect says "Connection terminated ..."). */
const POOL_WAIT_TIMEOUT = /timeout exceeded when trying to connect/;

/** An open Database.unitOfWork: the transaction its parts join. */
interface UnitOfWork {
  database: Database;
  sql: Sql;
  /** The scope it was opened with (scopeKey): a part under another scope runs on its own. */
  scope: string;
  participant: CommitParticipant | undefined;
  open: boolean;
  failure: Error | null;
}

const unitsOfWork = new AsyncLocalStorage<UnitOfWork>();

function scopeKey(scope: DatabaseScope): string {
  return JSON.stringify(scopeSettings(scope));
}

/** After-commit work is best effort by contract and reports its own failures; it never fails the committed call. */
async function runAfterCommit(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch {
    // deliberately ignored: see Sql.afterCommit
  }
}
