// Helpers that start the apps (the API, the worker) for the integration, end-to-end and browser
// suites. They live here, not in libs/testing, because a library never imports an app.
export * from '@app/testing';
export * from './api-harness';
export * from './reminder-harness';
export * from './tcp-proxy';
