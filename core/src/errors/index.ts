export * from './uspa-error.js';
export * from './event-store.errors.js';
