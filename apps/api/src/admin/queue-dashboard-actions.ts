/**
 * What a request to bull-board's API does, for the audit log: a stable action name
 * (`queues.pause`, `queues.job.retry`, ...), the queue and the job or job status it names.
 * Routes as @bull-board/api 9 declares them; an unknown one is still recorded, by its path.
 */
export interface DashboardAction {
  action: string;
  queue: string | null;
  details: Record<string, string>;
}

const ROUTES: [RegExp, string, string[]][] = [
  [/^\/api\/queues\/pause$/, 'queues.pause_all', []],
  [/^\/api\/queues\/resume$/, 'queues.resume_all', []],
  [/^\/api\/queues\/([^/]+)\/add$/, 'queues.add_job', ['queue']],
  [/^\/api\/queues\/([^/]+)\/retry\/([^/]+)$/, 'queues.retry_all', ['queue', 'jobStatus']],
  [/^\/api\/queues\/([^/]+)\/promote$/, 'queues.promote_all', ['queue']],
  [/^\/api\/queues\/([^/]+)\/clean\/([^/]+)$/, 'queues.clean', ['queue', 'jobStatus']],
  [/^\/api\/queues\/([^/]+)\/pause$/, 'queues.pause', ['queue']],
  [/^\/api\/queues\/([^/]+)\/resume$/, 'queues.resume', ['queue']],
  [/^\/api\/queues\/([^/]+)\/concurrency$/, 'queues.set_concurrency', ['queue']],
  [/^\/api\/queues\/([^/]+)\/rate-limit\/release$/, 'queues.release_rate_limit', ['queue']],
  [/^\/api\/queues\/([^/]+)\/rate-limit$/, 'queues.set_rate_limit', ['queue']],
  [/^\/api\/queues\/([^/]+)\/empty$/, 'queues.empty', ['queue']],
  [/^\/api\/queues\/([^/]+)\/obliterate$/, 'queues.obliterate', ['queue']],
  [/^\/api\/queues\/([^/]+)\/job-schedulers\/([^/]+)\/remove$/, 'queues.scheduler.remove', ['queue', 'schedulerId']],
  [/^\/api\/queues\/([^/]+)\/job-schedulers\/([^/]+)\/run$/, 'queues.scheduler.run', ['queue', 'schedulerId']],
  [/^\/api\/queues\/([^/]+)\/job-schedulers\/([^/]+)$/, 'queues.scheduler.update', ['queue', 'schedulerId']],
  [/^\/api\/queues\/([^/]+)\/([^/]+)\/retry(?:\/([^/]+))?$/, 'queues.job.retry', ['queue', 'jobId', 'jobStatus']],
  [/^\/api\/queues\/([^/]+)\/([^/]+)\/clean$/, 'queues.job.remove', ['queue', 'jobId']],
  [/^\/api\/queues\/([^/]+)\/([^/]+)\/promote$/, 'queues.job.promote', ['queue', 'jobId']],
  [/^\/api\/queues\/([^/]+)\/([^/]+)\/update-data$/, 'queues.job.update_data', ['queue', 'jobId']],
  [/^\/api\/queues\/([^/]+)\/([^/]+)\/delay$/, 'queues.job.delay', ['queue', 'jobId']],
  [/^\/api\/queues\/([^/]+)\/([^/]+)\/priority$/, 'queues.job.priority', ['queue', 'jobId']],
  [/^\/api\/queues\/([^/]+)\/([^/]+)\/remove-unprocessed-children$/, 'queues.job.remove_children', ['queue', 'jobId']],
];

export function dashboardActionOf(method: string, path: string): DashboardAction {
  for (const [pattern, action, names] of ROUTES) {
    const m = pattern.exec(path);
    if (!m) continue;
    const values: Record<string, string> = {};
    names.forEach((name, i) => {
      const v = m[i + 1];
      if (v !== undefined) values[name] = safeDecode(v).slice(0, 200);
    });
    const { queue = null, ...details } = values;
    return { action, queue, details };
  }
  return { action: `queues.other ${method.toUpperCase()} ${path.slice(0, 200)}`, queue: null, details: {} };
}

function safeDecode(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}
