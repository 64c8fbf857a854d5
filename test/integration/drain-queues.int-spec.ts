import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { deletePrefixedKeys, drainQueues, TEST_REDIS_URL } from '@test/support';

/** The worker tests' drainQueues: it waits for what is due, and fails when a job is never run. */
describe('drainQueues (integration, shared Redis under a prefix of its own)', () => {
  const prefix = `dwt_drain_${randomUUID().slice(0, 8)}`;
  const connection = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  // BullMQ does not close a connection it was given: the test does, or Jest never exits.
  const workerConnection = connection.duplicate();
  const queue = new Queue('drain-test', { connection, prefix });
  const ran: string[] = [];
  let worker: Worker | null = null;

  afterAll(async () => {
    await worker?.close();
    await queue.close();
    connection.disconnect();
    workerConnection.disconnect();
    await deletePrefixedKeys(TEST_REDIS_URL, prefix);
  });

  it('fails, naming the job, when no worker runs it', async () => {
    await queue.add('never-run', {});
    await expect(drainQueues([queue], { timeoutMs: 300 })).rejects.toThrow(/drain-test: 1 wait/);
  });

  it('returns once a worker has run every job waiting and every delayed one due soon, and only then', async () => {
    await queue.add('soon', {}, { delay: 800 });
    await queue.add('much-later', {}, { delay: 3_600_000 });
    worker = new Worker('drain-test', async (job) => {
      ran.push(job.name);
    }, { connection: workerConnection, prefix });
    await drainQueues([queue], { timeoutMs: 10_000, dueWithinMs: 2_000 });
    expect(ran.sort()).toEqual(['never-run', 'soon']);
  });
});
