export * from './errors';
export * from './common';
export * from './auth';
export * from './users';
export * from './projects';
export * from './audit';
export * from './health';
