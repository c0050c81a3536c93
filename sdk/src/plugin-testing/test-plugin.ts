import type { PluginDefinition, PluginEvent, TrackingEvent } from '../plugin/index.js';
import type { FetchResponder } from './harness-fetch.js';
import { MemoryPluginStore } from './memory-store.js';
import { validPluginConfig } from './plugin-config.js';
import { recordingContext, type Recording, type RecordingContext } from './recording-context.js';
import { runDelivery, runEnrich, type DeliveryOutcomes, type EnrichOutcomes } from './run-hooks.js';

/**
 * What the plugin did through its context during one `send` or `sendStored` (its `setup` included,
 * on the first), and its store after it.
 *
 * @example
 * const { logs, fetches, store, metrics } = await harness.send(events);
 * expect(logs).toContainEqual({ level: 'warn', message: 'no email', fields: { messageId } });
 * expect(store).toEqual({ 'identifies:acme.co.uk': 1 });
 */
export interface HarnessReport extends Recording {
  /** Every live key of the plugin's store and its value, after the call. */
  store: Record<string, unknown>;
}

/**
 * The result of {@link PluginHarness.send}.
 *
 * @example
 * const { events, dropped, errors } = await harness.send([visit, bot]);
 * expect(dropped).toEqual([{ messageId: bot.messageId, reason: 'bot' }]);
 */
export interface EnrichReport extends EnrichOutcomes, HarnessReport {}

/**
 * The result of {@link PluginHarness.sendStored}.
 *
 * @example
 * const { delivered, ignored, errors } = await harness.sendStored([order, segmentEntered]);
 * expect(errors).toEqual([{ id: order.id, hook: 'onEvent', message: 'webhook … answered 503' }]);
 */
export interface DeliveryReport extends DeliveryOutcomes, HarnessReport {}

interface HarnessOptions {
  config: Readonly<Record<string, unknown>>;
  responder?: FetchResponder;
  store: Readonly<Record<string, unknown>>;
}

interface Started<Config> extends RecordingContext<Config> {
  store: MemoryPluginStore;
}

/**
 * Runs a plugin in process the way the host calls it: config validated with the schema's
 * defaults, `setup` once, then `enrich` on tracking events or `onEvent`/`onBatch` on stored ones,
 * with a recording context. Each `with…` returns a new harness with its own store and state.
 *
 * @example
 * const harness = testPlugin(myPlugin).withConfig({ apiKey: 'k' });
 * const { events, dropped, errors, logs } = await harness.send([aTrackingEvent()]);
 */
export class PluginHarness<Config> {
  readonly #plugin: PluginDefinition<Config>;
  readonly #options: HarnessOptions;
  #started: Promise<Started<Config>> | undefined;

  constructor(plugin: PluginDefinition<Config>, options: HarnessOptions) {
    this.#plugin = plugin;
    this.#options = options;
  }

  /**
   * The configuration to validate and start with (defaults are filled in from the schema).
   *
   * @example
   * testPlugin(webhookPlugin).withConfig({ url: 'https://hooks.acme.example/uspa', secret });
   */
  withConfig(config: Partial<Config> | Readonly<Record<string, unknown>>): PluginHarness<Config> {
    return this.#with({ config });
  }

  /**
   * Answers the plugin's allowed requests with `responder`; without one, they go to the real
   * network. Either way, hosts outside `permissions.network` are refused and every call recorded.
   *
   * @example
   * testPlugin(crmPlugin).withFetch(() => ({ status: 200, body: { company: 'Acme' } }));
   */
  withFetch(responder?: FetchResponder): PluginHarness<Config> {
    const { responder: _previous, ...rest } = this.#options;
    return new PluginHarness(this.#plugin, { ...rest, ...(responder && { responder }) });
  }

  /**
   * What the plugin's store holds before the first call (without TTLs).
   *
   * @example
   * testPlugin(myPlugin).withStore({ 'orders:u-1': 2 });
   */
  withStore(initial: Readonly<Record<string, unknown>> = {}): PluginHarness<Config> {
    return this.#with({ store: initial });
  }

  /**
   * Validates the configuration and runs `setup`, once; `send` and `sendStored` do it on their
   * first call. Resolves to the configuration the plugin got; rejects when it is invalid.
   *
   * @example
   * expect(await testPlugin(myPlugin).setUp()).toEqual({ timeoutMs: 10_000 });
   */
  async setUp(): Promise<Readonly<Config>> {
    return (await this.#start()).context.config;
  }

  /**
   * Sends tracking events through `enrich`, in order. A throw of `enrich` is reported in `errors`
   * and the event goes on unenriched, as in the host.
   *
   * @example
   * const { events, dropped } = await testPlugin(botFilter).send([aTrackingEvent(), aPageView()]);
   */
  async send(events: TrackingEvent | readonly TrackingEvent[]): Promise<EnrichReport> {
    const started = await this.#start();
    const outcomes = await runEnrich(this.#plugin, started.context, list(events));
    return { ...outcomes, ...report(started) };
  }

  /**
   * Delivers stored events as the host's consumer would: only those whose type is in
   * `permissions.events`, to `onBatch` all at once when the plugin has it, else to `onEvent` one
   * at a time, in order. Throws are reported per event in `errors` (the host would retry them
   * with backoff, then park them in the plugin's dead letters).
   *
   * @example
   * const { errors, fetches } = await testPlugin(webhookPlugin)
   *   .withConfig(config)
   *   .withFetch(() => ({ status: 204 }))
   *   .sendStored([aStoredEvent()]);
   */
  async sendStored(events: PluginEvent | readonly PluginEvent[]): Promise<DeliveryReport> {
    const started = await this.#start();
    const outcomes = await runDelivery(this.#plugin, started.context, list(events));
    return { ...outcomes, ...report(started) };
  }

  /**
   * Runs the plugin's `teardown`, when it was set up.
   *
   * @example
   * afterAll(() => harness.teardown());
   */
  async teardown(): Promise<void> {
    if (!this.#started) return;
    const { context } = await this.#started;
    await this.#plugin.teardown?.(context);
  }

  #start(): Promise<Started<Config>> {
    this.#started ??= (async () => {
      const config = validPluginConfig<Config>(this.#plugin, this.#options.config);
      const store = new MemoryPluginStore(this.#options.store);
      const recording = recordingContext(this.#plugin, config, store, this.#options.responder);
      await this.#plugin.setup?.(recording.context);
      return { ...recording, store };
    })();
    return this.#started;
  }

  #with(changes: Partial<HarnessOptions>): PluginHarness<Config> {
    return new PluginHarness(this.#plugin, { ...this.#options, ...changes });
  }
}

/**
 * A harness for `plugin`: configure it with `withConfig`, `withFetch` and `withStore`, then
 * `send` tracking events or `sendStored` log events and assert on the report.
 *
 * @example
 * import { aTrackingEvent, testPlugin } from '@uspa/sdk/plugin-testing';
 *
 * const { events, logs } = await testPlugin(myPlugin)
 *   .withConfig({ header: 'x-tenant' })
 *   .send([aTrackingEvent({ context: { 'x-tenant': 'acme' } })]);
 * expect(events[0]?.enrichment.tenant).toBe('acme');
 */
export function testPlugin<Config>(plugin: PluginDefinition<Config>): PluginHarness<Config> {
  return new PluginHarness(plugin, { config: {}, store: {} });
}

function report<Config>(started: Started<Config>): HarnessReport {
  return { ...started.takeRecording(), store: started.store.snapshot() };
}

const list = <T extends object>(events: T | readonly T[]): readonly T[] =>
  Array.isArray(events) ? (events as readonly T[]) : [events as T];
