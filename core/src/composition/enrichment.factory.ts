import { Ajv } from 'ajv';
import type { PluginDefinition, PluginLog } from '@uspa/sdk';
import type { ActivePlugin } from '../collect/pipeline/enrich-event.js';
import { ConfigError } from '../errors/index.js';
import type { Logger } from '../ports/logger.port.js';

const ajv = new Ajv({ useDefaults: true, strict: false, allErrors: false });

/**
 * Validates each plugin's configuration against its schema (filling defaults), gives it a log of
 * its own and runs its setup. A plugin whose configuration is wrong stops the start with a clear
 * line; one whose setup fails is left out and reported, and ingestion goes on without it.
 */
export async function startEnrichmentPlugins(
  definitions: readonly PluginDefinition<never>[],
  configs: Readonly<Record<string, unknown>>,
  logger: Logger,
): Promise<ActivePlugin[]> {
  const active: ActivePlugin[] = [];
  for (const definition of definitions) {
    const config = structuredClone(configs[definition.name] ?? {}) as Record<string, unknown>;
    if (definition.configSchema) {
      const validate = ajv.compile(definition.configSchema);
      if (!validate(config)) {
        const error = validate.errors?.[0];
        throw new ConfigError(
          `Invalid configuration: plugin ${definition.name}${error?.instancePath ?? ''} ${error?.message ?? 'is invalid'}`,
        );
      }
    }
    const context = {
      config: Object.freeze(config) as never,
      log: pluginLog(logger, definition.name),
    };
    try {
      await definition.setup?.(context);
      active.push({ definition, context });
    } catch (error) {
      logger.error({ plugin: definition.name, err: error }, 'plugin setup failed; plugin left out');
    }
  }
  return active;
}

function pluginLog(logger: Logger, name: string): PluginLog {
  const child = logger.child({ plugin: name });
  return {
    debug: (message, fields = {}) => child.debug(fields, message),
    info: (message, fields = {}) => child.info(fields, message),
    warn: (message, fields = {}) => child.warn(fields, message),
    error: (message, fields = {}) => child.error(fields, message),
  };
}
