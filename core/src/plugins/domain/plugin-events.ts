import type { PluginFaultKind, PluginHook, PluginManifest } from '../sandbox/plugin-runtime.js';

/**
 * The plugin lifecycle as events in `plugin-{name}` streams (design §2: configuration is
 * event-sourced): the marketplace's history, and what every process follows to know which
 * plugins run, in which version, with which configuration.
 */
export const PLUGIN_INSTALLED = 'PluginInstalled';
export const PLUGIN_VERSION_CHANGED = 'PluginVersionChanged';
export const PLUGIN_CONFIGURED = 'PluginConfigured';
export const PLUGIN_ENABLED = 'PluginEnabled';
export const PLUGIN_DISABLED = 'PluginDisabled';
export const PLUGIN_FAULTED = 'PluginFaulted';
export const PLUGIN_UNINSTALLED = 'PluginUninstalled';

/** Where an installed version came from. */
export type PluginOrigin =
  | { kind: 'builtin' }
  | { kind: 'folder'; path: string }
  | { kind: 'tarball' }
  | { kind: 'npm'; spec: string; tarball: string };

/** One installable version: its manifest and, for third-party plugins, its bundled code. */
export interface PluginRelease {
  name: string;
  version: string;
  manifest: PluginManifest;
  origin: PluginOrigin;
  /** SRI hash of what was installed (tarball, or bundle for folders); absent for built-ins. */
  integrity?: string;
  /**
   * The bundled code, kept in the event so every process (and a rebuilt one) runs the same
   * bytes without a shared disk. Absent for built-ins, which ship with USPA.
   */
  code?: string;
}

/** Who did it: an API key id, `config` (seeded at start) or `host` (decided by USPA). */
export interface Actor {
  by: string;
}

export type PluginInstalledData = PluginRelease & Actor;
export type PluginVersionChangedData = PluginRelease & Actor & { from: string };
export interface PluginConfiguredData extends Actor {
  name: string;
  config: Record<string, unknown>;
}
export interface PluginEnabledData extends Actor {
  name: string;
}
export interface PluginDisabledData extends Actor {
  name: string;
  reason: string;
}
export interface PluginFaultedData {
  name: string;
  version: string;
  hook: PluginHook | 'projection' | 'load';
  kind: PluginFaultKind;
  message: string;
  at: string;
}
export interface PluginUninstalledData extends Actor {
  name: string;
}
