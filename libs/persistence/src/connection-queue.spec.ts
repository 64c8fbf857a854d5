import { isConnectionFailure } from './connection-failure';
import { ConnectionQueue, DatabaseBusyError, withoutWaitingForConnection } from './connection-queue';

/** Lets pending promise callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A promise's state without waiting for it. */
function watch<T>(promise: Promise<T>): { readonly state: 'pending' | 'resolved' | 'rejected'; readonly value?: T; readonly error?: unknown } {
  const seen: { state: 'pending' | 'resolved' | 'rejected'; value?: T; error?: unknown } = { state: 'pending' };
  promise.then(
    (value) => Object.assign(seen, { state: 'resolved', value }),
    (error: unknown) => Object.assign(seen, { state: 'rejected', error }),
  );
  return seen;
}

describe('ConnectionQueue', () => {
  afterEach(() => jest.useRealTimers());

  it('lets as many callers through as the pool has connections, the rest wait', async () => {
    const queue = new ConnectionQueue({ connections: 2, limit: 10, timeoutMs: 1000 });
    const a = watch(queue.acquire());
    const b = watch(queue.acquire());
    const c = watch(queue.acquire());
    await settle();
    expect([a.state, b.state, c.state]).toEqual(['resolved', 'resolved', 'pending']);
    expect(queue.inUse).toBe(2);
    expect(queue.waiting).toBe(1);
    a.value!();
    await settle();
    expect(c.state).toBe('resolved');
    expect(queue.waiting).toBe(0);
    expect(queue.inUse).toBe(2);
  });

  it('hands turns on in the order callers came (FIFO)', async () => {
    const queue = new ConnectionQueue({ connections: 1, limit: 10, timeoutMs: 1000 });
    const first = await queue.acquire();
    const order: number[] = [];
    const waiting = [1, 2, 3, 4].map((n) => queue.acquire().then((handOn) => {
      order.push(n);
      handOn();
    }));
    first();
    await Promise.all(waiting);
    expect(order).toEqual([1, 2, 3, 4]);
    expect(queue.inUse).toBe(0);
  });

  it('refuses the caller past the bound at once, as busy, and takes the next once there is room', async () => {
    const queue = new ConnectionQueue({ connections: 1, limit: 2, timeoutMs: 1000 });
    const held = await queue.acquire();
    const w1 = watch(queue.acquire());
    const w2 = watch(queue.acquire());
    const refused = await queue.acquire().then(() => null, (e: unknown) => e);
    expect(refused).toBeInstanceOf(DatabaseBusyError);
    expect(refused).toMatchObject({ code: 'unavailable', why: 'queue_full', details: { retryAfterSeconds: 1 } });
    expect((refused as Error).message).toMatch(/busy.*Nothing was saved/);
    expect(isConnectionFailure(refused)).toBe(true);
    held();
    await settle();
    expect(w1.state).toBe('resolved');
    const w3 = watch(queue.acquire());
    await settle();
    expect([w2.state, w3.state]).toEqual(['pending', 'pending']);
    expect(queue.waiting).toBe(2);
  });

  it('a caller that waited its time out is refused as busy and leaves the queue; the next in line keeps its place', async () => {
    jest.useFakeTimers();
    const queue = new ConnectionQueue({ connections: 1, limit: 10, timeoutMs: 30_000 });
    const held = await queue.acquire();
    const early = watch(queue.acquire());
    jest.advanceTimersByTime(10_000);
    const late = watch(queue.acquire());
    jest.advanceTimersByTime(20_000);
    await Promise.resolve();
    expect(early.state).toBe('rejected');
    expect(early.error).toMatchObject({ why: 'timed_out' });
    expect(late.state).toBe('pending');
    expect(queue.waiting).toBe(1);
    held();
    await Promise.resolve();
    expect(late.state).toBe('resolved');
    // Its timer is cleared once it holds a turn: nothing fires later.
    jest.advanceTimersByTime(60_000);
    await Promise.resolve();
    expect(late.state).toBe('resolved');
  });

  it('handing a turn on twice frees one connection only', async () => {
    const queue = new ConnectionQueue({ connections: 1, limit: 10, timeoutMs: 1000 });
    const handOn = await queue.acquire();
    handOn();
    handOn();
    expect(queue.inUse).toBe(0);
    await queue.acquire();
    expect(queue.inUse).toBe(1);
    expect(watch(queue.acquire()).state).toBe('pending');
  });

  it('run hands the turn on when the work fails, so nothing leaks', async () => {
    const queue = new ConnectionQueue({ connections: 2, limit: 10, timeoutMs: 1000 });
    const failures = await Promise.all(
      Array.from({ length: 10 }, () => queue.run(async () => {
        await settle();
        throw new Error('statement failed');
      }).then(() => null, (e: unknown) => e)),
    );
    expect(failures.every((e) => e instanceof Error && e.message === 'statement failed')).toBe(true);
    expect(queue.inUse).toBe(0);
    expect(queue.waiting).toBe(0);
    await expect(queue.run(async () => 'still works')).resolves.toBe('still works');
  });

  it('run hands the turn on early when the work says its connection is back', async () => {
    const queue = new ConnectionQueue({ connections: 1, limit: 10, timeoutMs: 1000 });
    let next: { state: string } | undefined;
    await queue.run(async (handOn) => {
      next = watch(queue.acquire());
      handOn();
      await settle();
      expect(next.state).toBe('resolved'); // while this work still runs (its after-commit part)
    });
    expect(queue.inUse).toBe(1); // the one next holds, not a second release of this turn
  });

  it('a caller holding a turn does not queue behind others for a second connection', async () => {
    const queue = new ConnectionQueue({ connections: 1, limit: 10, timeoutMs: 1000 });
    const inner = await queue.run(async () => {
      const waiter = watch(queue.acquire()); // someone else, queued behind this turn
      const nested = await queue.run(async () => 'nested ran');
      expect(waiter.state).toBe('pending');
      return nested;
    });
    expect(inner).toBe('nested ran');
    await settle();
    expect(queue.inUse).toBe(1); // the waiter's
  });

  it('without waiting: a turn if one is free now, else busy at once', async () => {
    const queue = new ConnectionQueue({ connections: 1, limit: 10, timeoutMs: 1000 });
    const free = await withoutWaitingForConnection(() => queue.acquire());
    const refused = await withoutWaitingForConnection(() => queue.acquire()).then(() => null, (e: unknown) => e);
    expect(refused).toMatchObject({ why: 'none_free' });
    expect(queue.waiting).toBe(0);
    free();
    expect(queue.inUse).toBe(0);
  });

  it('failWaiting fails every waiter with the error (a database that is down), the holders keep theirs', async () => {
    const queue = new ConnectionQueue({ connections: 1, limit: 10, timeoutMs: 1000 });
    const held = await queue.acquire();
    const waiters = [watch(queue.acquire()), watch(queue.acquire())];
    const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    queue.failWaiting(down);
    await settle();
    expect(waiters.map((w) => [w.state, w.error])).toEqual([['rejected', down], ['rejected', down]]);
    expect(queue.waiting).toBe(0);
    held();
    expect(queue.inUse).toBe(0);
  });
});
