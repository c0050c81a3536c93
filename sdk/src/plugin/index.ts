/**
 * The plugin API: what a plugin author imports (`@uspa/sdk/plugin`). Types, plus `definePlugin`,
 * which only returns its argument, and `withEnrichment`, a few lines: a bundled plugin carries
 * no host code.
 */
export * from './define-plugin.js';
export * from './plugin-context.js';
export * from './plugin-event.js';
export * from './tracking-event.js';
export * from './with-enrichment.js';
