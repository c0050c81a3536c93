import { createContext, runInContext } from 'node:vm';
import type { PluginDefinition, TrackingEvent } from '@uspa/sdk/plugin';
import { PLUGIN_GLOBAL } from './plugin-source.js';

/**
 * Sources and helpers shared by the package tests: a geo plugin that needs a dependency of its
 * own, and a plain `vm` context standing in for the isolate (no `process`, no `require`).
 */

/** A plugin whose `enrich` calls its dependency `tiny-geo` and reads `process.env.NODE_ENV`. */
export const GEO_PLUGIN = `
import { definePlugin } from '@uspa/sdk/plugin';
import { countryOf } from 'tiny-geo';

export default definePlugin({
  name: 'geo',
  version: '1.0.0',
  host: '>=0.1.0',
  enrich(event) {
    const country = countryOf(String(event.context.ip));
    return { ...event, enrichment: { ...event.enrichment, geo: { country, mode: process.env.NODE_ENV } } };
  },
});
`;

/** `tiny-geo`: CommonJS, as many npm packages still are. */
export const TINY_GEO = `exports.countryOf = (ip) => (ip.startsWith('81.2.') ? 'GB' : 'unknown');`;

export const aPageView = (ip: string): TrackingEvent => ({
  type: 'page',
  messageId: 'm-1',
  anonymousId: 'a-1',
  name: 'Pricing',
  timestamp: '2026-11-29T10:00:00.000Z',
  receivedAt: '2026-11-29T10:00:00.120Z',
  context: { ip },
  properties: {},
  traits: {},
  enrichment: {},
});

/** Runs bundled plugin code as the sandbox will, as a classic script, and returns its definition. */
export function definitionOf(code: string): PluginDefinition {
  const context = createContext({});
  runInContext(code, context, { timeout: 5_000 });
  const definition = (context as Record<string, unknown>)[PLUGIN_GLOBAL];
  if (typeof definition !== 'object' || definition === null) {
    throw new Error(`The code did not set globalThis.${PLUGIN_GLOBAL}`);
  }
  return definition as PluginDefinition;
}

/** Calls `enrich` with a context the test does not need (the geo plugin reads none of it). */
export async function enrichWith(code: string, event: TrackingEvent): Promise<unknown> {
  const definition = definitionOf(code);
  if (!definition.enrich) throw new Error('The plugin has no enrich hook');
  const result = await definition.enrich(event, {} as never);
  // Objects made in the vm context carry its prototypes; compare them as plain data.
  return JSON.parse(JSON.stringify(result)) as unknown;
}
