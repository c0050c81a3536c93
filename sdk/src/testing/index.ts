export * from './browser-bundle.js';
export * from './chromium.js';
export * from './collector-stub.js';
export * from './build-when-stale.js';
