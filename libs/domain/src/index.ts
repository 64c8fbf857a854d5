export * from './errors';
export * from './detainer/types';
