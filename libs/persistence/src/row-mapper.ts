import { Sql } from './sql';

/**
 * How the rows of one table (or one query) become a domain type, in one function. `Row` is the
 * row as the driver hands it over (snake_case columns; timestamptz a Date, date a 'YYYY-MM-DD'
 * string, int4 a number, int8 and numeric strings, jsonb parsed): declaring it is the one place a
 * row's shape is taken on trust, instead of a cast per column in every method that reads the table.
 */
export class RowMapper<Row, Domain> {
  constructor(readonly decode: (row: Row) => Domain) {}

  async all(sql: Sql, text: string, params: readonly unknown[] = []): Promise<Domain[]> {
    return (await sql.query<Row>(text, params)).map((row) => this.decode(row));
  }

  async one(sql: Sql, text: string, params: readonly unknown[] = []): Promise<Domain | null> {
    const row = await sql.one<Row>(text, params);
    return row ? this.decode(row) : null;
  }
}
