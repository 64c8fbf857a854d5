export * from './job-handler';
export * from './jobs';
export * from './redis';
export * from './producer';
export * from './redis-durability';
