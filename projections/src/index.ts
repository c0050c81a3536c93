export * from './ports/document-store.port.js';
export * from './ports/key-value.port.js';
export * from './ports/read-model-store.port.js';
