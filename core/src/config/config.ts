import type { SqliteSynchronous } from '../adapters/sqlite/sqlite-schema.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** The whole, validated, frozen configuration of one USPA process. */
export interface UspaConfig {
  readonly server: {
    readonly host: string;
    readonly port: number;
    /** How long in-flight requests may take to finish after SIGTERM. */
    readonly shutdownTimeoutMs: number;
  };
  /** Where the embedded adapters keep their files. */
  readonly dataDir: string;
  readonly log: { readonly level: LogLevel };
  readonly eventStore: {
    readonly adapter: 'sqlite' | 'eventstoredb';
    readonly sqlite: {
      readonly synchronous: SqliteSynchronous;
      readonly pollIntervalMs: number;
    };
    readonly eventstoredb: { readonly url?: string };
  };
}

export const CONFIG = Symbol('UspaConfig');
