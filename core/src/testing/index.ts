export * from './collect-events.js';
export * from './event-store.contract.js';
export * from './services.js';
export * from './test-read-sides.js';
export * from './eventually.js';
