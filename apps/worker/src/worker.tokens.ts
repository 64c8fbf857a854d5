export const WORKER_REDIS = Symbol('WorkerRedis');
