/**
 * The plugin API: what a plugin author imports (`@uspa/sdk/plugin`). Types, plus `definePlugin`,
 * which only returns its argument, so a bundled plugin carries no host code.
 */
export * from './define-plugin.js';
export * from './plugin-context.js';
export * from './plugin-event.js';
export * from './tracking-event.js';
