import { DataSource, QueryRunner } from 'typeorm';

/** One connection's worth of SQL: inside a transaction, or a plain read. */
export class Sql {
  constructor(private readonly runner: QueryRunner) {}

  async query<T>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    const result = await this.runner.query(text, [...params], true);
    return result.records as T[];
  }

  async one<T>(text: string, params: readonly unknown[] = []): Promise<T | null> {
    const rows = await this.query<T>(text, params);
    return rows[0] ?? null;
  }

  /** Runs a statement and returns how many rows it changed. */
  async execute(text: string, params: readonly unknown[] = []): Promise<number> {
    const result = await this.runner.query(text, [...params], true);
    return result.affected ?? 0;
  }
}

export type IsolationLevel = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

/** The unit of work: everything inside `transaction` commits together or not at all. */
export class Database {
  constructor(readonly dataSource: DataSource) {}

  async transaction<T>(work: (sql: Sql) => Promise<T>, isolation: IsolationLevel = 'READ COMMITTED'): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction(isolation);
      try {
        const result = await work(new Sql(runner));
        await runner.commitTransaction();
        return result;
      } catch (error) {
        if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
        throw error;
      }
    } finally {
      await runner.release();
    }
  }

  /** Reads outside a transaction (each statement autocommits). */
  async read<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      return await work(new Sql(runner));
    } finally {
      await runner.release();
    }
  }
}
