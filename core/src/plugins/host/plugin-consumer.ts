import type { PluginEvent } from '@uspa/sdk';
import { backoffDelay, eventBatches, sleep, type KeyValueStore } from '@uspa/projections';
import type { EventStore } from '../../ports/event-store.port.js';
import { pluginKeyPrefix } from '../context/plugin-store.js';
import type { Logger } from '../../ports/logger.port.js';
import { PluginCallError } from '../sandbox/plugin-runtime.js';
import type { ConsumerName, PluginDeadLetters } from './plugin-dead-letters.js';
import { toPluginEvent } from './plugin-events.js';

export interface ConsumerSettings {
  batchSize: number;
  attempts: number;
  retryDelayMs: number;
}

export interface ConsumerDeps {
  name: string;
  consumer: ConsumerName;
  /** Event types it receives (the plugin's `permissions.events`, or a projection's `handles`). */
  eventTypes: readonly string[];
  /** Start from the beginning of the log when it never ran (projections), else from now. */
  fromStart: boolean;
  /** Hands a batch to the plugin; rejects with a {@link PluginCallError} when it fails. */
  deliver: (events: readonly PluginEvent[]) => Promise<void>;
  /** Whether `deliver` takes the whole batch at once (`onBatch`) or one event at a time. */
  whole: boolean;
  onFault: (error: PluginCallError) => void;
  log: EventStore;
  keyValues: KeyValueStore;
  deadLetters: PluginDeadLetters;
  logger: Logger;
  settings: ConsumerSettings;
}

/** The key of a consumer's checkpoint in the read side's key-value store. */
export function consumerCheckpointKey(name: string, consumer: ConsumerName): string {
  return `${pluginKeyPrefix(name)}checkpoint:${consumer}`;
}

/**
 * One plugin consumer: a checkpointed subscription to the log, filtered to the event types the
 * plugin may see. Delivery is at least once: the checkpoint moves after a batch is delivered or
 * parked. A failing call is retried with backoff; after the last attempt its events go to the
 * plugin's dead letters and the consumer moves on (one broken destination never holds the log).
 */
export class PluginConsumer {
  readonly #controller = new AbortController();
  #running: Promise<void> | undefined;

  constructor(private readonly deps: ConsumerDeps) {}

  start(): void {
    this.#running = this.#run().catch((error: unknown) => {
      if (this.#controller.signal.aborted) return;
      this.deps.logger.error(
        { plugin: this.deps.name, consumer: this.deps.consumer, err: error },
        'plugin consumer stopped',
      );
    });
  }

  async stop(): Promise<void> {
    this.#controller.abort();
    await this.#running;
  }

  async #run(): Promise<void> {
    const { deps } = this;
    const signal = this.#controller.signal;
    const key = consumerCheckpointKey(deps.name, deps.consumer);
    const stored = await deps.keyValues.get(key);
    let from: number | 'start' | 'end' = stored === undefined ? 'end' : Number(stored);
    if (stored === undefined) {
      from = deps.fromStart ? 0 : await this.#head();
      await deps.keyValues.write([{ op: 'set', key, value: String(from) }]);
    }
    const subscription = deps.log.subscribeToAll({
      from: from === 0 ? 'start' : from,
      filter: { eventTypes: deps.eventTypes },
      signal,
    });
    for await (const batch of eventBatches(subscription, deps.settings.batchSize)) {
      if (batch.length === 0) continue;
      const events = batch.map(toPluginEvent);
      if (deps.whole) await this.#deliver(events);
      else for (const event of events) await this.#deliver([event]);
      if (signal.aborted) return;
      const position = batch[batch.length - 1]!.position;
      await deps.keyValues.write([{ op: 'set', key, value: String(position) }]);
    }
  }

  /** Tries `attempts` times, then parks the events; returns early (unparked) when stopped. */
  async #deliver(events: readonly PluginEvent[]): Promise<void> {
    const { deps } = this;
    const signal = this.#controller.signal;
    let last: PluginCallError | undefined;
    for (let attempt = 1; attempt <= deps.settings.attempts; attempt++) {
      if (signal.aborted) return;
      try {
        await deps.deliver(events);
        return;
      } catch (error) {
        last =
          error instanceof PluginCallError
            ? error
            : new PluginCallError('error', deps.whole ? 'onBatch' : 'onEvent', String(error));
        // A throw is the plugin's answer (a destination is down); running out of time or memory
        // is a fault of the plugin itself, and counts towards disabling it.
        if (last.kind !== 'error') deps.onFault(last);
        if (attempt < deps.settings.attempts) {
          const policy = {
            handlerAttempts: 0,
            baseDelayMs: deps.settings.retryDelayMs,
            maxDelayMs: 30_000,
          };
          await sleep(backoffDelay(policy, attempt), signal);
        }
      }
    }
    if (signal.aborted || !last) return;
    for (const event of events) {
      await deps.deadLetters.park({
        name: deps.name,
        consumer: deps.consumer,
        event,
        error: { kind: last.kind, message: last.message },
        attempts: deps.settings.attempts,
      });
    }
    deps.logger.warn(
      { plugin: deps.name, consumer: deps.consumer, events: events.length, err: last.message },
      'plugin consumer parked events in its dead letters',
    );
  }

  async #head(): Promise<number> {
    const [last] = await this.deps.log.readAll({ direction: 'backwards', maxCount: 1 });
    return last?.position ?? 0;
  }
}
