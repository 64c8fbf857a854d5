export * from './api-harness';
export * from './manual-clock';
export * from './test-config';
export * from './test-database';
export * from './world';
export * from './reminder-harness';
export * from './security';
export * from './openapi-contract';
