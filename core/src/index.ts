export * from './errors/index.js';
export * from './ports/event-store.port.js';
export * from './ports/logger.port.js';
export * from './config/config.js';
export { loadConfig } from './config/load-config.js';
export {
  SqliteEventStore,
  SQLITE_EVENT_STORE_CONFIG,
} from './adapters/sqlite/sqlite-event-store.js';
export type { SqliteEventStoreConfig } from './adapters/sqlite/sqlite-event-store.js';
export { startUspaServer, type UspaServer } from './composition/uspa-server.js';
export { sendProblem, PROBLEM_CONTENT_TYPE, type Problem } from './http/problem-details.js';
export {
  SqliteKeyValueStore,
  type SqliteKeyValueStoreOptions,
} from './adapters/sqlite/sqlite-key-value-store.js';
export {
  RedisKeyValueStore,
  type RedisConnectOptions,
  type RedisKeyValueStoreOptions,
} from './adapters/redis/redis-key-value-store.js';
export { SqliteReadModelStore } from './adapters/sqlite/sqlite-read-model-store.js';
export { ScaleOutReadModelStore } from './adapters/read-models/scale-out-read-model-store.js';
export {
  SqliteDocumentStore,
  type SqliteDocumentStoreOptions,
} from './adapters/sqlite/sqlite-document-store.js';
export {
  OpenSearchDocumentStore,
  type OpenSearchDocumentStoreOptions,
} from './adapters/opensearch/opensearch-document-store.js';
