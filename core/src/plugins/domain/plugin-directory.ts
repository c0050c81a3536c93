import type { RecordedEvent } from '../../ports/event-store.port.js';
import type { SecretSealer } from '../../secrets/sealed-secret.js';
import { openSecrets } from './plugin-config.js';
import {
  PLUGIN_CONFIGURED,
  PLUGIN_DISABLED,
  PLUGIN_ENABLED,
  PLUGIN_FAULTED,
  PLUGIN_INSTALLED,
  PLUGIN_UNINSTALLED,
  PLUGIN_VERSION_CHANGED,
  type PluginConfiguredData,
  type PluginDisabledData,
  type PluginFaultedData,
  type PluginInstalledData,
  type PluginRelease,
  type PluginVersionChangedData,
} from './plugin-events.js';

export const PLUGIN_DIRECTORY = Symbol('PluginDirectory');

/** The recent faults kept per plugin for operators (all of them stay in the log). */
const RECENT_FAULTS = 20;

/** An installed plugin as the host runs it and operators see it. */
export interface InstalledPlugin {
  release: PluginRelease;
  config: Record<string, unknown>;
  /** Whether an operator (or the start-up configuration) has configured it. */
  configured: boolean;
  /** Why its configuration cannot be used as stored (a secret sealed under another key). */
  configProblem?: string;
  enabled: boolean;
  /** Why it is not running, when it was disabled. */
  disabled?: { reason: string; by: string; at: string };
  faults: PluginFaultedData[];
  faultCount: number;
  installedAt: string;
  updatedAt: string;
  /** The revision of its stream: the expected revision of the next command. */
  revision: number;
  /** The stream revision at which this release was installed; faults before it are history. */
  releaseRevision: number;
}

type Listener = (name: string, plugin: InstalledPlugin | undefined) => void;

/**
 * The installed plugins, followed live from the `plugin-*` streams of every process. The plugin
 * host reconciles its runtimes from the changes it announces. Configurations are kept with their
 * secrets opened: the log holds them sealed.
 */
export class PluginDirectory {
  readonly #plugins = new Map<string, InstalledPlugin>();
  readonly #listeners = new Set<Listener>();

  constructor(private readonly sealer: SecretSealer) {}

  apply(event: Pick<RecordedEvent, 'type' | 'data' | 'revision' | 'recordedAt'>): void {
    const at = event.recordedAt.toISOString();
    const name = (event.data as { name?: string }).name;
    if (typeof name !== 'string') return;
    const current = this.#plugins.get(name);
    if (current && event.revision <= current.revision) return;
    const next = evolve(current, event, at, this.sealer);
    if (next) this.#plugins.set(name, next);
    else this.#plugins.delete(name);
    if (next || current) for (const listener of this.#listeners) listener(name, next);
  }

  /** Calls `listener` after every change of a plugin (undefined once uninstalled). */
  onChange(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get(name: string): InstalledPlugin | undefined {
    return this.#plugins.get(name);
  }

  /** In installation order. */
  list(): InstalledPlugin[] {
    return [...this.#plugins.values()];
  }
}

function evolve(
  current: InstalledPlugin | undefined,
  event: Pick<RecordedEvent, 'type' | 'data' | 'revision'>,
  at: string,
  sealer: SecretSealer,
): InstalledPlugin | undefined {
  const revision = event.revision;
  switch (event.type) {
    case PLUGIN_INSTALLED: {
      const { by: _by, ...release } = event.data as PluginInstalledData;
      return {
        release,
        config: {},
        configured: false,
        enabled: false,
        faults: [],
        faultCount: 0,
        installedAt: at,
        updatedAt: at,
        revision,
        releaseRevision: revision,
      };
    }
    case PLUGIN_UNINSTALLED:
      return undefined;
  }
  if (!current) return undefined;
  const base = { ...current, revision, updatedAt: at };
  switch (event.type) {
    case PLUGIN_VERSION_CHANGED: {
      const { by: _by, from: _from, ...release } = event.data as PluginVersionChangedData;
      return { ...base, release, releaseRevision: revision, faults: [], faultCount: 0 };
    }
    case PLUGIN_CONFIGURED: {
      const { config, problem } = openSecrets((event.data as PluginConfiguredData).config, sealer);
      const { configProblem: _previous, ...rest } = base;
      return { ...rest, config, configured: true, ...(problem && { configProblem: problem }) };
    }
    case PLUGIN_ENABLED: {
      const { disabled: _disabled, ...rest } = base;
      return { ...rest, enabled: true, faults: [], faultCount: 0 };
    }
    case PLUGIN_DISABLED: {
      const { reason, by } = event.data as PluginDisabledData;
      return { ...base, enabled: false, disabled: { reason, by, at } };
    }
    case PLUGIN_FAULTED: {
      const fault = event.data as PluginFaultedData;
      return {
        ...base,
        updatedAt: current.updatedAt,
        faults: [...current.faults, fault].slice(-RECENT_FAULTS),
        faultCount: current.faultCount + 1,
      };
    }
    default:
      return current;
  }
}
