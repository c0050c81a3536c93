import type {
  EventFields,
  PluginContext,
  PluginDefinition,
  PluginEvent,
  TrackingEvent,
} from '@uspa/sdk';
import { bridgeContext } from './bridge-context.js';
import { messageOf, withinDeadline } from './call-deadline.js';
import { outcomeOf } from './enrich-outcomes.js';
import { manifestOf } from './plugin-manifest.js';
import {
  PluginCallError,
  type EnrichOutcome,
  type FieldOutcome,
  type PluginBridge,
  type PluginHook,
  type PluginManifest,
  type PluginRuntime,
  type RuntimeLimits,
  timeoutFor,
} from './plugin-runtime.js';

export interface InProcessPluginRuntimeOptions {
  config: Record<string, unknown>;
  bridge: PluginBridge;
  /** Only `timeoutMs` applies: a trusted plugin shares the host's heap. */
  limits: RuntimeLimits;
}

type CallSite = PluginHook | 'projection';

/**
 * A trusted built-in plugin, called directly in the host's process: same `ctx`, same outcomes
 * and errors as an isolated one, without the cost of crossing into an isolate. The time limit
 * covers asynchronous work only (a timer cannot interrupt a synchronous loop in this thread),
 * and there is no memory limit: only code shipped with USPA runs here.
 *
 * @example
 * const runtime = new InProcessPluginRuntime(geoPlugin, {
 *   config: { anonymizeIp: true },
 *   bridge,
 *   limits: { timeoutMs: 500, memoryMb: 64 },
 * });
 * await runtime.setup();
 */
export class InProcessPluginRuntime implements PluginRuntime {
  readonly isolated = false;
  readonly manifest: PluginManifest;
  private readonly context: PluginContext<never>;
  private disposed = false;

  /** @throws {PluginCallError} hook `load`, when the definition is invalid. */
  constructor(
    private readonly definition: PluginDefinition<never>,
    private readonly options: InProcessPluginRuntimeOptions,
  ) {
    this.manifest = manifestOf(definition);
    this.context = bridgeContext(options.config, options.bridge);
  }

  setup(): Promise<void> {
    return this.call('setup', () => this.definition.setup?.(this.context));
  }

  async enrich(events: readonly TrackingEvent[]): Promise<EnrichOutcome[]> {
    this.refuseIfDisposed('enrich');
    const enrich = this.definition.enrich?.bind(this.definition);
    if (!enrich) return events.map((event) => ({ kind: 'ok', event }));
    // Synchronous results are kept as they come; only async ones are waited for, all at once,
    // and only they run against the deadline: a timer per call would cost more than most
    // enrichers, and a synchronous one could not be stopped by it anyway.
    const outcomes = new Array<EnrichOutcome>(events.length);
    const pending: Promise<void>[] = [];
    events.forEach((event, index) => {
      try {
        const result = enrich(event, this.context);
        if (!isThenable(result)) {
          outcomes[index] = outcomeOf(result);
          return;
        }
        pending.push(
          Promise.resolve(result).then(
            (value) => {
              outcomes[index] = outcomeOf(value);
            },
            (error: unknown) => {
              outcomes[index] = failed(error);
            },
          ),
        );
      } catch (error) {
        outcomes[index] = failed(error);
      }
    });
    if (pending.length > 0) await this.timed('enrich', () => Promise.all(pending));
    return outcomes;
  }

  async enrichChanges(
    events: readonly TrackingEvent[],
    fields: EventFields,
  ): Promise<FieldOutcome[]> {
    const outcomes = await this.enrich(
      events.map((event) => fields.narrow(event) as unknown as TrackingEvent),
    );
    return outcomes.map((outcome, index): FieldOutcome => {
      if (outcome.kind !== 'ok') return outcome;
      const result = outcome.event as unknown as Record<string, unknown>;
      const changes = fields.changesOf(result, events[index]);
      return 'error' in changes
        ? { kind: 'error', message: changes.error }
        : { kind: 'ok', changes };
    });
  }

  onEvent(event: PluginEvent): Promise<void> {
    return this.call('onEvent', () => this.definition.onEvent?.(event, this.context));
  }

  onBatch(events: readonly PluginEvent[]): Promise<void> {
    return this.call('onBatch', () => this.definition.onBatch?.(events, this.context));
  }

  /** @throws {PluginCallError} also when the plugin declares no projection of that name. */
  project(projection: string, events: readonly PluginEvent[]): Promise<void> {
    return this.call('projection', () => {
      const found = this.definition.projections?.find(({ name }) => name === projection);
      if (!found) throw new Error(`no projection named ${projection}`);
      return found.handle(events, this.context);
    });
  }

  teardown(): Promise<void> {
    return this.call('teardown', () => this.definition.teardown?.(this.context));
  }

  dispose(): void {
    this.disposed = true;
  }

  /** Runs a hook; a throw or rejection becomes a {@link PluginCallError} of kind `error`. */
  private call(site: CallSite, hook: () => void | Promise<void>): Promise<void> {
    return this.timed(site, async () => {
      try {
        await hook();
      } catch (error) {
        throw new PluginCallError('error', site, messageOf(error));
      }
    });
  }

  private async timed<T>(site: CallSite, work: () => Promise<T>): Promise<T> {
    this.refuseIfDisposed(site);
    const timeoutMs = timeoutFor(site, this.options.limits);
    return withinDeadline(
      work(),
      timeoutMs,
      () =>
        new PluginCallError('timeout', site, `${site} ran past its time limit of ${timeoutMs} ms`),
    );
  }

  private refuseIfDisposed(site: CallSite): void {
    if (this.disposed) throw new PluginCallError('error', site, 'the plugin runtime was disposed');
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function failed(error: unknown): EnrichOutcome {
  return { kind: 'error', message: messageOf(error) };
}
