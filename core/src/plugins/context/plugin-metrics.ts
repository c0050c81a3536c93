import { Counter, Histogram, type Registry } from 'prom-client';
import type { PluginFaultKind, PluginHook } from '../sandbox/plugin-runtime.js';

/** How one call into a plugin ended. */
export type PluginCallOutcome = 'ok' | PluginFaultKind;

/** A plugin's numbers for the API. */
export interface PluginMetricsSnapshot {
  /** Calls of every hook, whatever their outcome. */
  calls: number;
  /** Calls by outcome (`ok`, `error`, `timeout`, `memory`). */
  outcomes: Record<PluginCallOutcome, number>;
  faults: number;
  /** The plugin's own `ctx.metrics` counters, by sanitised name. */
  custom: Record<string, number>;
}

/** What became of a plugin's own counter increment. */
export type CustomMetricResult =
  | 'counted'
  /** The plugin has used up its distinct names: this one is dropped, and so are later ones. */
  | 'limit_reached'
  /** Dropped, as every new name after the limit; the caller has been told once already. */
  | 'ignored';

/** Distinct `ctx.metrics` names per plugin: each is a Prometheus series the host keeps forever. */
export const MAX_CUSTOM_METRICS = 50;

interface Tally {
  /**
   * Calls by hook and outcome, and how many of them the registry's counter has been given; the
   * hooks are also the label values `forget` removes (prom-client has no wildcard).
   */
  calls: Map<
    string,
    { counted: Record<PluginCallOutcome, number>; reported: Record<PluginCallOutcome, number> }
  >;
  faults: number;
  custom: Map<string, number>;
  limitReported: boolean;
  /** Label values seen, to remove exactly those series in `forget`. */
  faultKinds: Set<string>;
}

/**
 * Prometheus metrics of the plugins on the host's registry, and the same numbers per plugin for
 * the API (prom-client only reads asynchronously and per series, so a tally is kept beside it):
 * `uspa_plugin_calls_total{plugin,hook,outcome}`, `uspa_plugin_call_duration_seconds{plugin,hook}`,
 * `uspa_plugin_faults_total{plugin,kind}` and `uspa_plugin_metric_total{plugin,name}`.
 *
 * @example
 * const metrics = new PluginMetrics(registry);
 * metrics.call('geo', 'enrich', 'ok', 0.002);
 * metrics.snapshot('geo'); // { calls: 1, outcomes: { ok: 1, … }, faults: 0, custom: {} }
 */
export class PluginMetrics {
  readonly #calls: Counter<'plugin' | 'hook' | 'outcome'>;
  readonly #durations: Histogram<'plugin' | 'hook'>;
  readonly #faults: Counter<'plugin' | 'kind'>;
  readonly #custom: Counter<'plugin' | 'name'>;
  readonly #tallies = new Map<string, Tally>();

  constructor(registry: Registry) {
    const registers = [registry];
    // Calls are counted in the tallies and handed to the counter when the registry is read:
    // built-in enrichers are called several times per tracking call, where a labelled
    // increment costs as much as the plugin itself.
    const tallies = this.#tallies;
    this.#calls = new Counter({
      name: 'uspa_plugin_calls_total',
      help: 'Calls into plugins, by hook and outcome (ok, error, timeout, memory)',
      labelNames: ['plugin', 'hook', 'outcome'],
      registers,
      collect() {
        for (const [plugin, tally] of tallies) {
          for (const [hook, { counted, reported }] of tally.calls) {
            for (const outcome of OUTCOMES) {
              const calls = counted[outcome] - reported[outcome];
              if (calls > 0) this.inc({ plugin, hook, outcome }, calls);
              reported[outcome] = counted[outcome];
            }
          }
        }
      },
    });
    this.#durations = new Histogram({
      name: 'uspa_plugin_call_duration_seconds',
      help: 'Wall-clock time of one call into a plugin (a batch of events is one call)',
      labelNames: ['plugin', 'hook'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.#faults = new Counter({
      name: 'uspa_plugin_faults_total',
      help: 'Faults of plugins (errors, timeouts, memory), as the host recorded them',
      labelNames: ['plugin', 'kind'],
      registers,
    });
    this.#custom = new Counter({
      name: 'uspa_plugin_metric_total',
      help: "Plugins' own counters (ctx.metrics.increment)",
      labelNames: ['plugin', 'name'],
      registers,
    });
  }

  /** One call into a plugin: how it ended and how long it took. */
  call(
    plugin: string,
    hook: PluginHook | 'projection',
    outcome: PluginCallOutcome,
    seconds: number,
  ): void {
    if (Number.isFinite(seconds) && seconds >= 0)
      this.#durations.observe({ plugin, hook }, seconds);
    const tally = this.#tally(plugin);
    let calls = tally.calls.get(hook);
    if (!calls) tally.calls.set(hook, (calls = { counted: noCalls(), reported: noCalls() }));
    calls.counted[outcome] += 1;
  }

  fault(plugin: string, kind: string): void {
    this.#faults.inc({ plugin, kind });
    const tally = this.#tally(plugin);
    tally.faults += 1;
    tally.faultKinds.add(kind);
  }

  /**
   * The plugin's own counter. Names are sanitised to `[a-z0-9_]`; past {@link MAX_CUSTOM_METRICS}
   * distinct names per plugin, new names are dropped (the result says when to warn, once).
   */
  custom(plugin: string, name: string, by = 1): CustomMetricResult {
    if (!Number.isFinite(by) || by < 0) {
      throw new Error(
        `ctx.metrics.increment(${JSON.stringify(name)}): by must be a number ≥ 0: ${by}`,
      );
    }
    const metric = sanitiseMetricName(name);
    if (metric === '')
      throw new Error(`ctx.metrics.increment: not a metric name: ${JSON.stringify(name)}`);
    const tally = this.#tally(plugin);
    if (!tally.custom.has(metric) && tally.custom.size >= MAX_CUSTOM_METRICS) {
      if (tally.limitReported) return 'ignored';
      tally.limitReported = true;
      return 'limit_reached';
    }
    this.#custom.inc({ plugin, name: metric }, by);
    tally.custom.set(metric, (tally.custom.get(metric) ?? 0) + by);
    return 'counted';
  }

  snapshot(plugin: string): PluginMetricsSnapshot {
    const tally = this.#tallies.get(plugin) ?? newTally();
    const outcomes = noCalls();
    for (const { counted } of tally.calls.values())
      for (const outcome of OUTCOMES) outcomes[outcome] += counted[outcome];
    const calls = Object.values(outcomes).reduce((sum, count) => sum + count, 0);
    return { calls, outcomes, faults: tally.faults, custom: Object.fromEntries(tally.custom) };
  }

  /** Drops a plugin's numbers and series (uninstalled): its names count afresh if it returns. */
  forget(plugin: string): void {
    const tally = this.#tallies.get(plugin);
    if (!tally) return;
    this.#tallies.delete(plugin);
    for (const hook of tally.calls.keys()) {
      this.#durations.remove({ plugin, hook });
      for (const outcome of OUTCOMES) this.#calls.remove({ plugin, hook, outcome });
    }
    for (const kind of tally.faultKinds) this.#faults.remove({ plugin, kind });
    for (const name of tally.custom.keys()) this.#custom.remove({ plugin, name });
  }

  #tally(plugin: string): Tally {
    let tally = this.#tallies.get(plugin);
    if (!tally) {
      tally = newTally();
      this.#tallies.set(plugin, tally);
    }
    return tally;
  }
}

const OUTCOMES: readonly PluginCallOutcome[] = ['ok', 'error', 'timeout', 'memory'];

const noCalls = (): Record<PluginCallOutcome, number> => ({
  ok: 0,
  error: 0,
  timeout: 0,
  memory: 0,
});

function newTally(): Tally {
  return {
    calls: new Map(),
    faults: 0,
    custom: new Map(),
    limitReported: false,
    faultKinds: new Set(),
  };
}

/**
 * `Contacts Synced` → `contacts_synced`: lower case, anything outside `[a-z0-9_]` to `_`, runs
 * of `_` collapsed and trimmed, at most 64 characters.
 */
export function sanitiseMetricName(name: string): string {
  return String(name)
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '')
    .slice(0, 64);
}
