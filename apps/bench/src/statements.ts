import { Client } from 'pg';

/**
 * Counts every statement any pg client of this process sends (the API's pool and a baseline's),
 * and, while `capture` runs, keeps their text: to print what one operation sends
 * (BENCH_SHOW_STATEMENTS=1).
 */
export class StatementCounter {
  private count = 0;
  private captured: string[] | null = null;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called on each client (`original.apply(this, args)`)
  private readonly original = Client.prototype.query;

  install(): void {
    const original = this.original as (...a: unknown[]) => unknown;
    const record = (q: unknown) => {
      this.count += 1;
      if (this.captured) {
        const text = typeof q === 'string' ? q : typeof (q as { text?: unknown })?.text === 'string' ? (q as { text: string }).text : '(stream)';
        this.captured.push(text.replace(/\s+/g, ' ').slice(0, 160));
      }
    };
    (Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function counted(this: Client, ...args: unknown[]) {
      record(args[0]);
      return original.apply(this, args);
    };
  }

  uninstall(): void {
    (Client.prototype as unknown as { query: unknown }).query = this.original;
  }

  get total(): number {
    return this.count;
  }

  /** Runs `work` and answers with the statements sent meanwhile (by anything in the process). */
  async capture<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
    this.captured = [];
    try {
      const result = await work();
      return { result, statements: this.captured };
    } finally {
      this.captured = null;
    }
  }
}

export const showStatements = process.env.BENCH_SHOW_STATEMENTS === '1';
