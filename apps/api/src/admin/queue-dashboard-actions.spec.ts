import { dashboardActionOf } from './queue-dashboard-actions';

describe('queue dashboard actions, as the audit log names them', () => {
  it.each([
    ['PUT', '/api/queues/reports/pause', { action: 'queues.pause', queue: 'reports', details: {} }],
    ['PUT', '/api/queues/reports/resume', { action: 'queues.resume', queue: 'reports', details: {} }],
    ['PUT', '/api/queues/pause', { action: 'queues.pause_all', queue: null, details: {} }],
    ['PUT', '/api/queues/deliveries/retry/failed', { action: 'queues.retry_all', queue: 'deliveries', details: { jobStatus: 'failed' } }],
    ['PUT', '/api/queues/deliveries/clean/completed', { action: 'queues.clean', queue: 'deliveries', details: { jobStatus: 'completed' } }],
    ['PUT', '/api/queues/reminders/rem%3A42%3A1/retry/failed', { action: 'queues.job.retry', queue: 'reminders', details: { jobId: 'rem:42:1', jobStatus: 'failed' } }],
    ['PUT', '/api/queues/reminders/7/retry', { action: 'queues.job.retry', queue: 'reminders', details: { jobId: '7' } }],
    ['PUT', '/api/queues/reminders/7/clean', { action: 'queues.job.remove', queue: 'reminders', details: { jobId: '7' } }],
    ['PUT', '/api/queues/system/job-schedulers/heartbeat/run', { action: 'queues.scheduler.run', queue: 'system', details: { schedulerId: 'heartbeat' } }],
    ['DELETE', '/api/queues/system/job-schedulers/heartbeat/remove', { action: 'queues.scheduler.remove', queue: 'system', details: { schedulerId: 'heartbeat' } }],
    ['PUT', '/api/queues/system/empty', { action: 'queues.empty', queue: 'system', details: {} }],
  ])('%s %s', (method, path, expected) => {
    expect(dashboardActionOf(method, path)).toEqual(expected);
  });

  it('an unknown route is still recorded, by method and path', () => {
    expect(dashboardActionOf('post', '/api/something/new')).toEqual({ action: 'queues.other POST /api/something/new', queue: null, details: {} });
  });

  it('a malformed escape does not throw', () => {
    expect(dashboardActionOf('PUT', '/api/queues/%E0%A4%A/pause').queue).toBe('%E0%A4%A');
  });
});
