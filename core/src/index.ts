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
