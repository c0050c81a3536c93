import type { PluginDefinition } from '@uspa/sdk';
import type { KeyValueStore } from '@uspa/projections';
import { streamOf } from '../../domain/streams.js';
import type { EventStore } from '../../ports/event-store.port.js';
import type { Logger } from '../../ports/logger.port.js';
import type { PluginSettings } from '../../config/config.js';
import { createPluginBridge } from '../context/plugin-bridge.js';
import { pluginKeyPrefix } from '../context/plugin-store.js';
import type { PluginLogBook } from '../context/plugin-log-book.js';
import type { PluginMetrics } from '../context/plugin-metrics.js';
import type { InstalledPlugin, PluginDirectory } from '../domain/plugin-directory.js';
import {
  PLUGIN_DISABLED,
  PLUGIN_FAULTED,
  type PluginFaultedData,
} from '../domain/plugin-events.js';
import { InProcessPluginRuntime } from '../sandbox/in-process-plugin-runtime.js';
import { IsolatedPluginRuntime } from '../sandbox/isolated-plugin-runtime.js';
import { PluginCallError, type PluginRuntime } from '../sandbox/plugin-runtime.js';
import { FaultWindow } from './plugin-faults.js';
import type { PluginConsumer } from './plugin-consumer.js';
import { pluginConsumers } from './plugin-consumers.js';
import type { PluginDeadLetters } from './plugin-dead-letters.js';

export interface PluginHostDeps {
  directory: PluginDirectory;
  store: EventStore;
  keyValues: KeyValueStore;
  logBook: PluginLogBook;
  metrics: PluginMetrics;
  deadLetters: PluginDeadLetters;
  logger: Logger;
  settings: PluginSettings;
  /** Built-in plugins by name, in the order their `enrich` hooks run. */
  builtIns: ReadonlyMap<string, PluginDefinition<never>>;
  /** Run `onEvent`/`onBatch`/projection consumers here (off in write-only processes). */
  consumers: boolean;
}

/** A plugin running in this process. */
interface Running {
  name: string;
  /** What it was started from; a change of it restarts the plugin. */
  fingerprint: string;
  runtime: PluginRuntime;
  consumers: PluginConsumer[];
  faults: FaultWindow;
  /** Set once its `setup` has succeeded: only then does ingestion call its `enrich`. */
  ready: boolean;
  /** Set once the fault limit is reached: no more calls while the disabling is recorded. */
  stopping: boolean;
  order: number;
}

/**
 * Runs the enabled plugins of this process: starts each (in an isolate unless built in), keeps
 * its consumers, restarts it when its version or configuration changes, stops it when disabled
 * or uninstalled, and turns faults into `PluginFaulted` events — disabling the plugin with a
 * reason once faults reach the limit within the window. Nothing here ever fails ingestion.
 */
export class PluginHost {
  readonly #running = new Map<string, Running>();
  /** The enrichers in order, kept until a plugin becomes ready or stops: asked for every call. */
  #enrichers: { name: string; runtime: PluginRuntime }[] | undefined;
  /** Reconciliations per plugin run one after another. */
  readonly #queues = new Map<string, Promise<void>>();
  #unsubscribe: (() => void) | undefined;
  #stopped = false;

  constructor(private readonly deps: PluginHostDeps) {}

  async start(): Promise<void> {
    this.#unsubscribe = this.deps.directory.onChange((name) => void this.#reconcile(name));
    await Promise.all(
      this.deps.directory.list().map((plugin) => this.#reconcile(plugin.release.name)),
    );
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe?.();
    await Promise.all([...this.#queues.values()]);
    await Promise.all([...this.#running.keys()].map((name) => this.#stopRunning(name)));
  }

  /** The running plugins with an `enrich` hook, built-ins first in their order, then by install. */
  enrichers(): { name: string; runtime: PluginRuntime }[] {
    this.#enrichers ??= [...this.#running.values()]
      .filter(
        (running) =>
          running.ready && !running.stopping && running.runtime.manifest.hooks.includes('enrich'),
      )
      .sort((a, b) => a.order - b.order)
      .map(({ name, runtime }) => ({ name, runtime }));
    return this.#enrichers;
  }

  /** The runtime of a running plugin (dead-letter replays go through it). */
  runtime(name: string): PluginRuntime | undefined {
    const running = this.#running.get(name);
    return running?.ready && !running.stopping ? running.runtime : undefined;
  }

  /** Whether the plugin is running in this process now. */
  isRunning(name: string): boolean {
    return this.runtime(name) !== undefined;
  }

  /** Resolves once every change seen so far has been applied to the running plugins. */
  async settled(): Promise<void> {
    await Promise.all([...this.#queues.values()]);
  }

  /**
   * Records a fault of the plugin's current runtime: a metric; a `PluginFaulted` event while
   * under the limit; the fault that reaches the limit also disables the plugin, with the reason,
   * for every process.
   *
   * A fault of a runtime the plugin no longer runs on is none of its doing: calls that were on
   * their way when a new version or configuration replaced it find it disposed. Counting those
   * against the new runtime could disable a plugin for being reconfigured under load.
   */
  fault(name: string, error: PluginCallError, runtime?: PluginRuntime): void {
    const running = this.#running.get(name);
    if (runtime !== undefined && running?.runtime !== runtime) return;
    this.deps.metrics.fault(name, error.kind);
    if (!running || running.stopping) return;
    const count = running.faults.record(Date.now());
    const plugin = this.deps.directory.get(name);
    const data: PluginFaultedData = {
      name,
      version: plugin?.release.version ?? '?',
      hook: error.hook,
      kind: error.kind,
      message: error.message.slice(0, 1000),
      at: new Date().toISOString(),
    };
    this.deps.logBook.record(name, 'error', `${error.kind} in ${error.hook}: ${data.message}`);
    const events: { type: string; data: unknown }[] = [{ type: PLUGIN_FAULTED, data }];
    if (running.faults.reached(count)) {
      this.#markStopping(running);
      const seconds = Math.round(this.deps.settings.faultWindowMs / 1000);
      events.push({
        type: PLUGIN_DISABLED,
        data: {
          name,
          by: 'host',
          reason: `${count} faults within ${seconds} s; the last: ${error.kind} in ${error.hook}: ${data.message}`,
        },
      });
    }
    this.deps.store.append(streamOf.plugin(name), events).catch((failure: unknown) => {
      this.deps.logger.error({ plugin: name, err: failure }, 'could not record a plugin fault');
    });
  }

  #reconcile(name: string): Promise<void> {
    const previous = this.#queues.get(name) ?? Promise.resolve();
    const next = previous
      .then(() => this.#apply(name))
      .catch((error: unknown) =>
        this.deps.logger.error({ plugin: name, err: error }, 'plugin reconciliation failed'),
      );
    this.#queues.set(name, next);
    return next;
  }

  async #apply(name: string): Promise<void> {
    const plugin = this.deps.directory.get(name);
    const wanted = plugin?.enabled && !this.#stopped ? fingerprintOf(plugin) : undefined;
    const running = this.#running.get(name);
    if (running && running.fingerprint === wanted) return;
    if (running) await this.#stopRunning(name);
    // Uninstalled: its store and checkpoints go too, so a reinstall starts afresh.
    if (!plugin) {
      await this.deps.keyValues.deletePrefix(pluginKeyPrefix(name));
      this.deps.metrics.forget(name);
    }
    if (!plugin || wanted === undefined) return;
    await this.#startRunning(plugin, wanted);
  }

  async #startRunning(plugin: InstalledPlugin, fingerprint: string): Promise<void> {
    const { deps } = this;
    const { release } = plugin;
    const name = release.name;
    const bridge = createPluginBridge({
      plugin: name,
      network: release.manifest.permissions.network,
      config: plugin.config,
      keyValues: deps.keyValues,
      logBook: deps.logBook,
      metrics: deps.metrics,
      privateNetworks: deps.settings.fetchPrivateNetworks,
    });
    const limits = {
      timeoutMs: deps.settings.enrichTimeoutMs,
      consumerTimeoutMs: deps.settings.consumerTimeoutMs,
      memoryMb: deps.settings.memoryMb,
    };
    const running: Running = {
      name,
      fingerprint,
      runtime: undefined as unknown as PluginRuntime,
      consumers: [],
      faults: new FaultWindow(deps.settings.faultLimit, deps.settings.faultWindowMs),
      ready: false,
      stopping: false,
      order: orderOf(deps.builtIns, plugin),
    };
    this.#running.set(name, running);
    try {
      // A secret it cannot open would reach it as missing: it does not start, and says why.
      if (plugin.configProblem) throw new PluginCallError('error', 'setup', plugin.configProblem);
      const builtIn = deps.builtIns.get(name);
      if (release.origin.kind === 'builtin') {
        if (!builtIn)
          throw new PluginCallError('error', 'load', `No built-in plugin ${name} in this USPA`);
        running.runtime = new InProcessPluginRuntime(builtIn, {
          config: plugin.config,
          bridge,
          limits,
        });
      } else {
        running.runtime = await IsolatedPluginRuntime.load(release.code ?? '', {
          config: plugin.config,
          bridge,
          limits,
        });
      }
      await running.runtime.setup();
    } catch (error) {
      const failure =
        error instanceof PluginCallError
          ? error
          : new PluginCallError('error', 'setup', String(error));
      this.fault(name, failure);
      // A plugin that cannot start is not running: stop calling it until it changes.
      this.#markStopping(running);
      return;
    }
    if (running.stopping) return;
    running.ready = true;
    this.#enrichers = undefined;
    if (deps.consumers) {
      running.consumers = pluginConsumers(running.runtime, plugin.release.manifest, {
        ...deps,
        onFault: (error) => this.fault(name, error, running.runtime),
      });
      for (const consumer of running.consumers) consumer.start();
    }
    deps.logBook.record(name, 'info', `started ${release.version}`);
  }

  #markStopping(running: Running): void {
    running.stopping = true;
    this.#enrichers = undefined;
  }

  async #stopRunning(name: string): Promise<void> {
    const running = this.#running.get(name);
    if (!running) return;
    this.#running.delete(name);
    this.#markStopping(running);
    await Promise.all(running.consumers.map((consumer) => consumer.stop()));
    // A runtime that failed to load has nothing to tear down.
    if (running.runtime === undefined) return;
    try {
      await running.runtime.teardown();
    } catch (error) {
      this.deps.logger.warn({ plugin: name, err: error }, 'plugin teardown failed');
    }
    running.runtime.dispose();
    this.deps.logBook.record(name, 'info', 'stopped');
  }
}

/** What a running plugin depends on: its code and its configuration. */
function fingerprintOf(plugin: InstalledPlugin): string {
  const { release } = plugin;
  return `${release.version}|${release.integrity ?? 'builtin'}|${JSON.stringify(plugin.config)}|${plugin.releaseRevision}`;
}

function orderOf(builtIns: ReadonlyMap<string, unknown>, plugin: InstalledPlugin): number {
  const index = [...builtIns.keys()].indexOf(plugin.release.name);
  return index >= 0 ? index : builtIns.size + Date.parse(plugin.installedAt);
}
