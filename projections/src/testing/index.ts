export * from './document-store.contract.js';
export * from './key-value.contract.js';
export * from './an-interaction.js';
export * from './read-side-harness.js';
