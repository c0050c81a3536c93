import { Ajv, type ErrorObject } from 'ajv';
import type { PluginDefinition } from '../plugin/index.js';

// The host's options: defaults filled in, unknown keywords (`writeOnly`, `description`) allowed.
// A config that passes here is one the host would start the plugin with.
const ajv = new Ajv({ useDefaults: true, strict: false, allErrors: false });

/**
 * The configuration a plugin starts with: a copy of `config` checked against the plugin's
 * `configSchema`, with the schema's defaults filled in. Throws an Error naming the field when the
 * configuration is invalid.
 *
 * @example
 * validPluginConfig(webhookPlugin, { url: 'https://hooks.example/uspa' });
 * // Error: invalid config of plugin webhook: secret is required
 */
export function validPluginConfig<Config>(
  plugin: Pick<PluginDefinition<Config>, 'name' | 'configSchema'>,
  config: Readonly<Record<string, unknown>>,
): Readonly<Config> {
  const copy = structuredClone(config) as Record<string, unknown>;
  if (plugin.configSchema) {
    const validate = ajv.compile(plugin.configSchema);
    if (!validate(copy)) {
      throw new Error(`invalid config of plugin ${plugin.name}: ${describe(validate.errors?.[0])}`);
    }
  }
  // Frozen all the way down, as in the host's isolate: a plugin that changes its config fails here.
  return deepFreeze(copy) as Readonly<Config>;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** `secret must NOT have fewer than 16 characters`, `headers.x-team must be string`, … */
function describe(error: ErrorObject | undefined): string {
  if (!error) return 'it does not match the schema';
  const path = error.instancePath.slice(1).replaceAll('/', '.');
  const within = (name: unknown) => (path ? `${path}.${String(name)}` : String(name));
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') return `${within(params.missingProperty)} is required`;
  if (error.keyword === 'additionalProperties') {
    return `${within(params.additionalProperty)} is not a known setting`;
  }
  return `${path || 'the config'} ${error.message ?? 'is invalid'}`;
}
