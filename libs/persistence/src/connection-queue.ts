import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource } from 'typeorm';
// Relative, not @app/domain: data-source.ts (which uses this) is loaded by tools without the path aliases.
import { DomainError } from '../../domain/src/errors';

export interface ConnectionQueueOptions {
  /** Connections of the pool: that many callers hold one at a time. */
  connections: number;
  /** Callers that may wait for a connection at once; the next one is refused at once. */
  limit: number;
  /** How long a caller waits for a connection before it is refused. */
  timeoutMs: number;
}

/** DATABASE_QUEUE_LIMIT and DATABASE_QUEUE_TIMEOUT_MS when unset. */
export const CONNECTION_QUEUE_DEFAULTS = { limit: 1000, timeoutMs: 30_000 } as const;

/**
 * Every connection of the pool is in use and this caller could not wait for one (the queue was
 * full, or it waited its time out). Nothing of its work ran. A connection failure to the API (503
 * with Retry-After), but a busy service rather than a database that is down.
 */
export class DatabaseBusyError extends DomainError {
  constructor(readonly why: 'queue_full' | 'timed_out' | 'none_free') {
    super('unavailable', `The service is busy: ${WHY[why]}. Nothing was saved; retry shortly.`, { retryAfterSeconds: 1 });
    this.name = 'DatabaseBusyError';
  }
}

const WHY: Record<DatabaseBusyError['why'], string> = {
  queue_full: 'too many requests are already waiting for a database connection',
  timed_out: 'no database connection came free in time',
  none_free: 'no database connection is free',
};

interface Waiter {
  grant: (handOn: () => void) => void;
  fail: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** What a caller that holds a turn carries through its async work (see ConnectionQueue.run). */
interface Turn {
  held: boolean;
}

const notWaiting = new AsyncLocalStorage<true>();

/**
 * Runs `work` without waiting for a connection: a turn is taken only if one is free now, else the
 * caller gets DatabaseBusyError at once (e.g. the audit entry of a request refused as busy, which
 * then goes to the spool rather than into the queue it was just refused from).
 */
export function withoutWaitingForConnection<T>(work: () => T): T {
  return notWaiting.run(true, work);
}

/**
 * The queue in front of the pool. pg's pool lets any number of callers wait and fails each after
 * its connect timeout, which must stay short so that a database that is down fails fast; so under
 * load a busy pool looked like a dead database. Here as many callers as the pool has connections
 * hold a turn, the rest wait in order (FIFO), bounded in number and in time; a turn is handed on
 * when its connection is back in the pool, so the pool itself never has anyone waiting.
 */
export class ConnectionQueue {
  private free: number;
  private readonly waiters: Waiter[] = [];
  private readonly turns = new AsyncLocalStorage<Turn>();

  constructor(readonly options: ConnectionQueueOptions) {
    if (!(options.connections >= 1 && options.limit >= 0 && options.timeoutMs >= 0)) throw new Error(`bad connection queue options ${JSON.stringify(options)}`);
    this.free = options.connections;
  }

  /** Callers waiting for a turn. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** Turns held (connections taken or being taken). */
  get inUse(): number {
    return this.options.connections - this.free;
  }

  /** Waits for a turn; resolves with the function that hands it on (once; later calls do nothing). */
  acquire(): Promise<() => void> {
    if (this.free > 0 && this.waiters.length === 0) {
      this.free -= 1;
      return Promise.resolve(this.handOnOnce());
    }
    if (notWaiting.getStore()) return Promise.reject(new DatabaseBusyError('none_free'));
    if (this.waiters.length >= this.options.limit) return Promise.reject(new DatabaseBusyError('queue_full'));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: resolve,
        fail: reject,
        timer: setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          reject(new DatabaseBusyError('timed_out'));
        }, this.options.timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /**
   * Runs `work` holding a turn, handed on when it ends or when `work` calls `handOn` (once its
   * connection is back in the pool, before work that needs none). A caller that already holds a
   * turn and needs a second connection (a transaction under another scope inside a unit of work)
   * does not queue: it would wait behind callers who wait for its own turn. It goes to the pool
   * directly, as every caller did before.
   */
  async run<T>(work: (handOn: () => void) => Promise<T>): Promise<T> {
    if (this.turns.getStore()?.held) return work(() => undefined);
    const release = await this.acquire();
    const turn: Turn = { held: true };
    const handOn = () => {
      turn.held = false;
      release();
    };
    try {
      return await this.turns.run(turn, () => work(handOn));
    } finally {
      handOn();
    }
  }

  /**
   * Fails every caller waiting now with `error`: a connection could not be made (refused, timed
   * out), so the database is down or unreachable, not busy, and they would only wait to fail.
   */
  failWaiting(error: Error): void {
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.fail(error);
    }
  }

  private handOnOnce(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.waiters.shift();
      if (!next) {
        this.free += 1;
        return;
      }
      clearTimeout(next.timer);
      next.grant(this.handOnOnce());
    };
  }
}

const queues = new WeakMap<DataSource, ConnectionQueue>();

/** Puts `queue` in front of `dataSource`'s pool (createDataSource does, with the pool's size). */
export function useConnectionQueue(dataSource: DataSource, queue: ConnectionQueue): void {
  queues.set(dataSource, queue);
}

/**
 * The queue in front of `dataSource`'s pool, shared by every Database over it (two queues over one
 * pool would each let the pool's size through). A data source made elsewhere gets the defaults.
 */
export function connectionQueueOf(dataSource: DataSource): ConnectionQueue {
  let queue = queues.get(dataSource);
  if (!queue) {
    const connections = (dataSource.options.extra as { max?: number } | undefined)?.max ?? 10;
    queue = new ConnectionQueue({ connections, ...CONNECTION_QUEUE_DEFAULTS });
    queues.set(dataSource, queue);
  }
  return queue;
}
