export { loadPluginPackage } from './plugin-package.js';
export type { LoadPluginPackageOptions, PluginPackage, PluginSource } from './plugin-source.js';
export { PLUGIN_GLOBAL } from './plugin-source.js';
