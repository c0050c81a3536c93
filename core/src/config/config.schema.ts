/** JSON Schema of {@link UspaConfig}; defaults live here, so a missing setting has one answer. */
export const configSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'server',
    'dataDir',
    'log',
    'eventStore',
    'keys',
    'enrichment',
    'readModels',
    'projections',
    'identity',
    'realtime',
    'segments',
    'demo',
    'plugins',
    'console',
  ],
  properties: {
    server: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        host: { type: 'string', minLength: 1, default: '0.0.0.0' },
        port: { type: 'integer', minimum: 0, maximum: 65535, default: 8080 },
        shutdownTimeoutMs: { type: 'integer', minimum: 0, maximum: 600_000, default: 10_000 },
        trustProxy: { type: 'boolean', default: false },
      },
    },
    keys: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        bootstrapWriteKey: { type: 'string', minLength: 16, maxLength: 256 },
        bootstrapAdminKey: { type: 'string', minLength: 16, maxLength: 256 },
      },
    },
    enrichment: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        plugins: {
          type: 'array',
          items: { enum: ['user-agent', 'geo', 'campaign', 'topics'] },
          uniqueItems: true,
          default: ['user-agent', 'geo', 'campaign', 'topics'],
        },
        config: { type: 'object', default: {} },
      },
    },
    dataDir: { type: 'string', minLength: 1, default: './data' },
    log: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        level: {
          enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
          default: 'info',
        },
      },
    },
    eventStore: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        adapter: { enum: ['sqlite', 'eventstoredb'], default: 'sqlite' },
        sqlite: {
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            synchronous: { enum: ['FULL', 'NORMAL'], default: 'FULL' },
            pollIntervalMs: { type: 'integer', minimum: 5, maximum: 60_000, default: 100 },
          },
        },
        eventstoredb: {
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            url: {
              type: 'string',
              pattern: '^esdb(\\+discover)?://',
              description: 'an esdb:// or esdb+discover:// connection string',
            },
          },
        },
      },
    },
    readModels: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        adapter: { enum: ['embedded', 'opensearch-redis'], default: 'embedded' },
        opensearch: {
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            url: { type: 'string', pattern: '^https?://', default: 'http://127.0.0.1:9200' },
            indexPrefix: { type: 'string', pattern: '^[a-z0-9_-]*$', default: 'uspa-' },
          },
        },
        redis: {
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            url: { type: 'string', pattern: '^rediss?://', default: 'redis://127.0.0.1:6379' },
            keyPrefix: { type: 'string', default: 'uspa:' },
          },
        },
      },
    },
    projections: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        enabled: { type: 'boolean', default: true },
        batchSize: { type: 'integer', minimum: 1, maximum: 100_000, default: 2000 },
        thread: { type: 'boolean', default: false },
      },
    },
    identity: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        uniqueIdentifierTypes: {
          type: 'array',
          items: { enum: ['user_id', 'email', 'phone'] },
          uniqueItems: true,
          default: ['user_id'],
        },
        maxAnonymousIds: { type: 'integer', minimum: 1, maximum: 100_000, default: 100 },
        junkValues: { type: 'array', items: { type: 'string' }, default: [] },
      },
    },
    realtime: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        enabled: { type: 'boolean', default: true },
        identitySecret: { type: 'string', minLength: 16, maxLength: 256 },
        redisUrl: {
          type: 'string',
          pattern: '^rediss?://',
          description: 'a redis:// or rediss:// URL',
        },
      },
    },
    segments: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        reevaluateIntervalMs: {
          type: 'integer',
          minimum: 100,
          maximum: 86_400_000,
          default: 60_000,
        },
      },
    },
    demo: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        enabled: { type: 'boolean', default: true },
      },
    },
    plugins: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        catalogFile: { type: 'string', minLength: 1 },
        registry: {
          type: 'string',
          pattern: '^https?://',
          default: 'https://registry.npmjs.org',
          description: 'an http(s) URL',
        },
        allowFolderInstall: { type: 'boolean', default: true },
        fetchPrivateNetworks: { type: 'boolean', default: false },
        enrichTimeoutMs: { type: 'integer', minimum: 5, maximum: 60_000, default: 1_000 },
        consumerTimeoutMs: { type: 'integer', minimum: 5, maximum: 300_000, default: 30_000 },
        memoryMb: { type: 'integer', minimum: 8, maximum: 4_096, default: 64 },
        faultLimit: { type: 'integer', minimum: 1, maximum: 10_000, default: 5 },
        faultWindowMs: { type: 'integer', minimum: 1_000, maximum: 86_400_000, default: 60_000 },
        consumerBatchSize: { type: 'integer', minimum: 1, maximum: 10_000, default: 100 },
        consumerAttempts: { type: 'integer', minimum: 1, maximum: 100, default: 5 },
        consumerRetryDelayMs: { type: 'integer', minimum: 1, maximum: 600_000, default: 200 },
        secretKey: { type: 'string', minLength: 32, maxLength: 256 },
      },
    },
    console: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        distDir: { type: 'string', minLength: 1 },
        sessionSecret: { type: 'string', minLength: 32, maxLength: 256 },
      },
    },
  },
} as const;

/**
 * Environment variables and the setting each one sets. Any other `USPA_*` variable is refused,
 * so a typo fails the start instead of being silently ignored.
 */
export const ENVIRONMENT_SETTINGS: Readonly<Record<string, string>> = {
  HOST: 'server.host',
  PORT: 'server.port',
  USPA_SHUTDOWN_TIMEOUT_MS: 'server.shutdownTimeoutMs',
  USPA_TRUST_PROXY: 'server.trustProxy',
  USPA_BOOTSTRAP_WRITE_KEY: 'keys.bootstrapWriteKey',
  USPA_BOOTSTRAP_ADMIN_KEY: 'keys.bootstrapAdminKey',
  USPA_DATA_DIR: 'dataDir',
  USPA_LOG_LEVEL: 'log.level',
  USPA_EVENT_STORE: 'eventStore.adapter',
  USPA_SQLITE_SYNCHRONOUS: 'eventStore.sqlite.synchronous',
  USPA_SQLITE_POLL_INTERVAL_MS: 'eventStore.sqlite.pollIntervalMs',
  EVENTSTORE_URL: 'eventStore.eventstoredb.url',
  USPA_READ_MODELS: 'readModels.adapter',
  OPENSEARCH_URL: 'readModels.opensearch.url',
  REDIS_URL: 'readModels.redis.url',
  USPA_PROJECTIONS: 'projections.enabled',
  USPA_PROJECTION_BATCH_SIZE: 'projections.batchSize',
  USPA_PROJECTION_THREAD: 'projections.thread',
  USPA_MAX_ANONYMOUS_IDS: 'identity.maxAnonymousIds',
  USPA_REALTIME: 'realtime.enabled',
  USPA_IDENTITY_SECRET: 'realtime.identitySecret',
  USPA_REALTIME_REDIS_URL: 'realtime.redisUrl',
  USPA_SEGMENT_REEVALUATE_INTERVAL_MS: 'segments.reevaluateIntervalMs',
  USPA_DEMO: 'demo.enabled',
  USPA_PLUGIN_CATALOG: 'plugins.catalogFile',
  USPA_PLUGIN_REGISTRY: 'plugins.registry',
  USPA_PLUGIN_FOLDER_INSTALL: 'plugins.allowFolderInstall',
  USPA_PLUGIN_FETCH_PRIVATE_NETWORKS: 'plugins.fetchPrivateNetworks',
  USPA_PLUGIN_ENRICH_TIMEOUT_MS: 'plugins.enrichTimeoutMs',
  USPA_PLUGIN_CONSUMER_TIMEOUT_MS: 'plugins.consumerTimeoutMs',
  USPA_PLUGIN_MEMORY_MB: 'plugins.memoryMb',
  USPA_PLUGIN_FAULT_LIMIT: 'plugins.faultLimit',
  USPA_PLUGIN_FAULT_WINDOW_MS: 'plugins.faultWindowMs',
  USPA_PLUGIN_CONSUMER_ATTEMPTS: 'plugins.consumerAttempts',
  USPA_PLUGIN_CONSUMER_RETRY_DELAY_MS: 'plugins.consumerRetryDelayMs',
  USPA_PLUGIN_SECRET_KEY: 'plugins.secretKey',
  USPA_CONSOLE_DIST_DIR: 'console.distDir',
  USPA_CONSOLE_SESSION_SECRET: 'console.sessionSecret',
};

/** Settings whose values are secrets: an error about one names it but never repeats its value. */
export const SECRET_SETTINGS: ReadonlySet<string> = new Set([
  'keys.bootstrapWriteKey',
  'keys.bootstrapAdminKey',
  'realtime.identitySecret',
  'console.sessionSecret',
  'plugins.secretKey',
]);

/** Names the optional JSON config file; settings from the environment override it. */
export const CONFIG_FILE_VARIABLE = 'USPA_CONFIG_FILE';
