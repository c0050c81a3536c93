import { builtInPlugins } from '@uspa/plugins';
import type { PluginDefinition } from '@uspa/sdk';

/** The built-in enrichment plugins named in the configuration, in its order. */
export function loadBuiltInEnrichment(names: readonly string[]): PluginDefinition<never>[] {
  const byName = new Map(builtInPlugins.map((plugin) => [plugin.name, plugin]));
  return names.map((name) => {
    const plugin = byName.get(name);
    if (!plugin) throw new Error(`No built-in enrichment plugin named ${name}`);
    return plugin;
  });
}
