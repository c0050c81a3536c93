import { Ajv } from 'ajv';
import type {
  EnrichResult,
  PluginContext,
  PluginDefinition,
  PluginLog,
  TrackingEvent,
} from '@uspa/sdk';
import { MemoryPluginStore } from '@uspa/sdk/plugin-testing';

// The host validates with the same options (core/src/plugins/domain/plugin-config.ts), so a
// config that passes here is one the host would start the plugin with.
const ajv = new Ajv({ useDefaults: true, strict: false, allErrors: false });

/** One log line a plugin wrote during a test. */
export interface LoggedLine {
  level: keyof PluginLog;
  message: string;
  fields?: Record<string, unknown>;
}

/** A plugin after `setup`, ready to enrich events the way the ingestion pipeline would call it. */
export interface PluginUnderTest<Config> {
  /** The configuration after schema validation, with the schema's defaults filled in. */
  readonly config: Readonly<Config>;
  /** Every line the plugin logged so far. */
  readonly logged: LoggedLine[];
  enrich(event: TrackingEvent): Promise<EnrichResult>;
  teardown(): Promise<void>;
}

/**
 * Validates `config` against the plugin's schema (filling defaults, as the host does), runs
 * `setup`, and returns a handle that calls `enrich` with the same context. Throws when the
 * configuration is invalid, so a test can assert that the schema rejects it.
 *
 * @example
 * const geo = await setUpPlugin(geoPlugin, { anonymizeIp: true });
 * const event = enrichedEvent(await geo.enrich(aTrackingEvent().withContext({ ip }).build()));
 */
export async function setUpPlugin<Config>(
  plugin: PluginDefinition<Config>,
  config: Record<string, unknown> = {},
): Promise<PluginUnderTest<Config>> {
  const validated = structuredClone(config);
  if (plugin.configSchema) {
    const validate = ajv.compile(plugin.configSchema);
    if (!validate(validated)) {
      const error = validate.errors?.[0];
      throw new Error(`invalid ${plugin.name} config: ${error?.instancePath} ${error?.message}`);
    }
  }
  const logged: LoggedLine[] = [];
  const line = (level: keyof PluginLog) => (message: string, fields?: Record<string, unknown>) =>
    void logged.push({ level, message, ...(fields ? { fields } : {}) });
  const context: PluginContext<Config> = {
    config: Object.freeze(validated) as Readonly<Config>,
    log: { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') },
    // The enrichment plugins declare no hosts, so the host would refuse every request too.
    fetch: (url) => Promise.reject(new Error(`${plugin.name} may not fetch ${url}`)),
    store: new MemoryPluginStore(),
    metrics: { increment: () => undefined },
  };
  await plugin.setup?.(context);
  return {
    config: context.config,
    logged,
    enrich: async (event) => (plugin.enrich ? plugin.enrich(event, context) : event),
    teardown: async () => plugin.teardown?.(context),
  };
}

/** The event from an enrich result; fails the test with the reason when it was dropped. */
export function enrichedEvent(result: EnrichResult): TrackingEvent {
  if ('drop' in result) throw new Error(`expected an enriched event, got drop: ${result.drop}`);
  return result;
}
