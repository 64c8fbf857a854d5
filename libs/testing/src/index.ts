export * from './manual-clock';
export * from './test-config';
export * from './test-database';
export * from './world';
export * from './security';
export * from './openapi-contract';
export * from './contributions';
