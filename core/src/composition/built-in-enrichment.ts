import type { PluginDefinition } from '@uspa/sdk';

/** The built-in enrichment plugins named in the configuration, in its order. */
export function loadBuiltInEnrichment(names: readonly string[]): PluginDefinition<never>[] {
  // Wired to the plugins workspace once its enrichment plugins land.
  void names;
  return [];
}
