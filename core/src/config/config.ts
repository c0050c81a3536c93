import type { SqliteSynchronous } from '../adapters/sqlite/sqlite-schema.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** The whole, validated, frozen configuration of one USPA process. */
export interface UspaConfig {
  readonly server: {
    readonly host: string;
    readonly port: number;
    /** How long in-flight requests may take to finish after SIGTERM. */
    readonly shutdownTimeoutMs: number;
    /** Take the client address from X-Forwarded-For (behind a trusted proxy). */
    readonly trustProxy: boolean;
  };
  readonly keys: {
    /** A write key seeded at start, for automation and docker-compose. */
    readonly bootstrapWriteKey?: string;
    /** A secret key with the admin scope seeded at start. */
    readonly bootstrapAdminKey?: string;
  };
  readonly enrichment: {
    /** Built-in enrichment plugins to run, in order. */
    readonly plugins: readonly string[];
    /** Configuration per plugin name, validated against the plugin's schema. */
    readonly config: Readonly<Record<string, unknown>>;
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
  /** Where read models live: embedded SQLite, or OpenSearch (search) + Redis (lookups). */
  readonly readModels: {
    readonly adapter: 'embedded' | 'opensearch-redis';
    readonly opensearch: { readonly url: string; readonly indexPrefix: string };
    readonly redis: { readonly url: string; readonly keyPrefix: string };
  };
  readonly projections: {
    /** Run the projections in this process (off for API-only processes of a scale-out install). */
    readonly enabled: boolean;
    /** Most events handled in one batch (and one commit). */
    readonly batchSize: number;
    /**
     * Run them on a thread of their own, beside the event loop that serves HTTP and the realtime
     * gateway (embedded event store only; with EventStoreDB they run on the event loop). Off by
     * default: on two cores it answers tracking calls much sooner under load, but costs more CPU
     * in all and delays realtime pushes more (see the README's benchmarks).
     */
    readonly thread: boolean;
  };
  /** Guards of identity resolution (design §6). */
  readonly identity: {
    /** Two profiles holding different values of these types never merge. */
    readonly uniqueIdentifierTypes: readonly ('user_id' | 'email' | 'phone')[];
    readonly maxAnonymousIds: number;
    /** Values never used as identifiers, in addition to the built-in list (`null`, `0`, …). */
    readonly junkValues: readonly string[];
  };
  /** Realtime personalization over socket.io (design §9). */
  readonly realtime: {
    /** Serve the realtime gateway in this process. */
    readonly enabled: boolean;
    /**
     * Key of the HMAC-SHA256 with which a site's server proves a visitor's user id; without it,
     * no user id is trusted and a handshake claiming one is refused.
     */
    readonly identitySecret?: string;
    /**
     * Redis that carries realtime changes to the gateways of other processes. Unset: the read
     * models' Redis when they are on Redis, else this process only.
     */
    readonly redisUrl?: string;
  };
  readonly segments: {
    /** How often memberships whose time window moved are evaluated again. */
    readonly reevaluateIntervalMs: number;
  };
  /** The demo site at `/demo/` (with its own write key, segment and content rule). */
  readonly demo: {
    readonly enabled: boolean;
  };
  /** The plugin host and marketplace (design §11). */
  readonly plugins: PluginSettings;
  /** The operations console, served at `/`, and its sign-in. */
  readonly console: {
    /** The built console (`index.html`, `assets/`); the repository's `console/dist` by default. */
    readonly distDir?: string;
    /**
     * Key of the HMAC signing session cookies. Unset: 32 random bytes kept in
     * `<dataDir>/console-session-secret`; set it when processes do not share a data directory.
     */
    readonly sessionSecret?: string;
  };
}

export const CONFIG = Symbol('UspaConfig');

export interface PluginSettings {
  /** A JSON catalog of installable plugins shown beside the built-ins. */
  readonly catalogFile?: string;
  /** The npm registry plugins are installed from by `name@version`. */
  readonly registry: string;
  /** Whether operators may install a plugin from a folder on the server's disk. */
  readonly allowFolderInstall: boolean;
  /**
   * Whether plugins' declared host names may resolve to loopback, private or link-local
   * addresses (internal webhooks, a CRM inside the network). Off: only public addresses.
   */
  readonly fetchPrivateNetworks: boolean;
  /** Time limit of one `enrich` call (one batch of events). */
  readonly enrichTimeoutMs: number;
  /** Time limit of one `onEvent` / `onBatch` / projection call. */
  readonly consumerTimeoutMs: number;
  /** Heap limit of each isolated plugin. */
  readonly memoryMb: number;
  /** Faults within `faultWindowMs` that disable a plugin. */
  readonly faultLimit: number;
  readonly faultWindowMs: number;
  /** Most events handed to a consumer at once. */
  readonly consumerBatchSize: number;
  /** Attempts of a consumer call before its events go to the plugin's dead letters. */
  readonly consumerAttempts: number;
  /** First delay between attempts; doubled each time, up to 30 s. */
  readonly consumerRetryDelayMs: number;
  /**
   * The secret that plugin configuration secrets are sealed with before they reach the log;
   * when unset, 32 random bytes kept in `<dataDir>/plugin-secret-key`. Set it when processes
   * do not share a data directory, and keep it: secrets sealed under a lost key are lost.
   */
  readonly secretKey?: string;
}
