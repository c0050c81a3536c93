import type { EventFields, PluginEvent, TrackingEvent } from '@uspa/sdk';
import type ivm from 'isolated-vm';
import { decodeFieldAnswer, decodeOutcomes } from './enrich-outcomes.js';
import { FieldColumns } from './field-columns.js';
import { PluginIsolate, type PluginIsolateOptions } from './plugin-isolate.js';
import { manifestFromOutline } from './plugin-manifest.js';
import {
  PluginCallError,
  type EnrichOutcome,
  type FieldOutcome,
  type PluginBridge,
  type PluginHook,
  type PluginManifest,
  type PluginRuntime,
  type RuntimeLimits,
} from './plugin-runtime.js';

export type IsolatedPluginRuntimeOptions = PluginIsolateOptions;

type CallSite = PluginHook | 'projection';

/**
 * A third-party plugin in a V8 isolate of its own (isolated-vm): no `require`, `process`, timers
 * or host objects, only the `ctx` built over the bridge. Each call runs within `limits.timeoutMs`
 * and the isolate within `limits.memoryMb`. A plugin that throws, hangs or blows its memory loses
 * that call only: after a timeout or memory fault the next call gets a fresh isolate (bundle run
 * again, `setup` again if it had run).
 *
 * Calls are served one at a time, in order, so each one's time limit starts when it starts.
 *
 * @example
 * const runtime = await IsolatedPluginRuntime.load(bundle, {
 *   config: { apiKey: '…' },
 *   bridge,
 *   limits: { timeoutMs: 500, memoryMb: 64 },
 * });
 * await runtime.setup();
 * const outcomes = await runtime.enrich(events); // one isolate call for the whole batch
 */
export class IsolatedPluginRuntime implements PluginRuntime {
  readonly isolated = true;
  private current: PluginIsolate | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private setUp = false;
  private disposed = false;

  private constructor(
    readonly manifest: PluginManifest,
    private readonly code: string,
    private readonly options: IsolatedPluginRuntimeOptions,
    isolate: PluginIsolate,
  ) {
    this.current = isolate;
  }

  /**
   * Runs a bundle (a classic script that sets `globalThis.__uspaPlugin`) in a new isolate and
   * reads its manifest. Does not call `setup`.
   *
   * @throws {PluginCallError} hook `load`, when the bundle fails or its definition is invalid.
   */
  static async load(
    code: string,
    options: IsolatedPluginRuntimeOptions,
  ): Promise<IsolatedPluginRuntime> {
    const { isolate, outline } = await PluginIsolate.open(code, options);
    try {
      return new IsolatedPluginRuntime(manifestFromOutline(outline), code, options, isolate);
    } catch (error) {
      isolate.dispose();
      throw error;
    }
  }

  async setup(): Promise<void> {
    await this.hook('setup');
    this.setUp = true;
  }

  async enrich(events: readonly TrackingEvent[]): Promise<EnrichOutcome[]> {
    this.refuseIfDisposed('enrich');
    if (!this.manifest.hooks.includes('enrich') || events.length === 0) {
      return events.map((event) => ({ kind: 'ok', event }));
    }
    const answer = await this.serial('enrich', (isolate) =>
      isolate.call('enrich', 'enrich', [events]),
    );
    return decodeOutcomes(answer, events.length);
  }

  /**
   * Only the declared fields of the events cross into the isolate, as one column per field
   * (shared with other plugins that read it, see `FieldColumns`), and only what the plugin
   * changed crosses back (see `isolate-fields.ts`).
   */
  async enrichChanges(
    events: readonly TrackingEvent[],
    fields: EventFields,
    columns = new FieldColumns(events),
  ): Promise<FieldOutcome[]> {
    this.refuseIfDisposed('enrich');
    if (!this.manifest.hooks.includes('enrich') || events.length === 0) {
      return events.map(() => ({ kind: 'ok', changes: { changes: [] } }));
    }
    const parts = fields.paths.map((path) => columns.of(path));
    const answer = await this.serial('enrich', (isolate) =>
      isolate.call('enrich', 'enrichFields', [parts, fields.paths, events.length]),
    );
    return decodeFieldAnswer(answer, events.length);
  }

  /**
   * `enrich` over a batch relayed between isolates (see `enrichInIsolates`): the answer is the
   * relay state as this plugin left it, still outside the host's heap.
   */
  async relay(batch: ivm.ExternalCopy<unknown>): Promise<ivm.ExternalCopy<unknown>> {
    this.refuseIfDisposed('enrich');
    if (!this.manifest.hooks.includes('enrich')) return batch;
    return this.serial('enrich', (isolate) => isolate.relay(batch));
  }

  onEvent(event: PluginEvent): Promise<void> {
    return this.hook('onEvent', event);
  }

  onBatch(events: readonly PluginEvent[]): Promise<void> {
    return this.hook('onBatch', events);
  }

  /** @throws {PluginCallError} also when the plugin declares no projection of that name. */
  async project(projection: string, events: readonly PluginEvent[]): Promise<void> {
    const failure = await this.serial('projection', (isolate) =>
      isolate.call('projection', 'project', [projection, events]),
    );
    if (typeof failure === 'string') throw new PluginCallError('error', 'projection', failure);
  }

  teardown(): Promise<void> {
    return this.hook('teardown');
  }

  dispose(): void {
    this.disposed = true;
    this.current?.dispose();
    this.current = undefined;
  }

  private async hook(hook: PluginHook, payload?: unknown): Promise<void> {
    this.refuseIfDisposed(hook);
    if (!this.manifest.hooks.includes(hook)) return;
    const args = payload === undefined ? [hook] : [hook, payload];
    const failure = await this.serial(hook, (isolate) => isolate.call(hook, 'invoke', args));
    if (typeof failure === 'string') throw new PluginCallError('error', hook, failure);
  }

  private serial<T>(site: CallSite, work: (isolate: PluginIsolate) => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => work(await this.live(site)));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The isolate to call: the current one, or a fresh one when the last call killed it. */
  private async live(site: CallSite): Promise<PluginIsolate> {
    this.refuseIfDisposed(site);
    if (this.current?.healthy) return this.current;
    this.current = undefined;
    const { isolate } = await PluginIsolate.open(this.code, this.options);
    try {
      this.refuseIfDisposed(site);
      if (this.setUp && this.manifest.hooks.includes('setup')) {
        const failure = await isolate.call('setup', 'invoke', ['setup']);
        if (typeof failure === 'string') throw new PluginCallError('error', 'setup', failure);
      }
    } catch (error) {
      isolate.dispose();
      throw error;
    }
    this.current = isolate;
    return isolate;
  }

  private refuseIfDisposed(site: CallSite): void {
    if (this.disposed) throw new PluginCallError('error', site, 'the plugin runtime was disposed');
  }
}

/** A bridge for reading a manifest: the bundle's top level has no `ctx`, only `console`. */
const manifestReadingBridge: PluginBridge = {
  log: () => undefined,
  fetch: () => Promise.reject(new Error('not available while reading a manifest')),
  storeGet: () => Promise.reject(new Error('not available while reading a manifest')),
  storeSet: () => Promise.reject(new Error('not available while reading a manifest')),
  storeDelete: () => Promise.reject(new Error('not available while reading a manifest')),
  storeIncrement: () => Promise.reject(new Error('not available while reading a manifest')),
  metric: () => undefined,
};

/**
 * Reads a bundle's manifest in a throwaway isolate (at install time, before any config exists).
 *
 * @throws {PluginCallError} hook `load`, when the bundle fails or its definition is invalid.
 * @example
 * const manifest = await readManifest(bundle, { timeoutMs: 1_000, memoryMb: 64 });
 * manifest.permissions.network; // → ['api.crm.example']
 */
export async function readManifest(code: string, limits: RuntimeLimits): Promise<PluginManifest> {
  const { isolate, outline } = await PluginIsolate.open(code, {
    config: {},
    bridge: manifestReadingBridge,
    limits,
  });
  isolate.dispose();
  return manifestFromOutline(outline);
}
