import type { EventStore, EventSubscription, RecordedEvent } from '../ports/event-store.port.js';
import type { Logger } from '../ports/logger.port.js';

type Listener = (event: RecordedEvent) => void;

const RESTART_DELAY_MS = 1000;

/**
 * The log as it grows, for the consoles connected to this process: one subscription from the end
 * of the log, however many consoles listen, opened with the first listener and closed with the
 * last (no console open, no cost). Every process reads the shared log itself, so a console sees
 * what any process appends without a fan-out between processes.
 *
 * @example
 * const feed = new LiveFeed(store, logger);
 * const stop = feed.listen((event) => socket.emit('live-event', toLiveEvent(event)));
 * stop();
 */
export class LiveFeed {
  readonly #listeners = new Set<Listener>();
  #subscription: EventSubscription | undefined;
  #following: Promise<void> | undefined;
  #restart: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    private readonly store: Pick<EventStore, 'subscribeToAll'>,
    private readonly logger: Pick<Logger, 'error'>,
  ) {}

  /**
   * Adds a listener, which hears events appended from now on (with the embedded store, "now" is
   * fixed when this returns). Returns the function that removes it.
   */
  listen(listener: Listener): () => void {
    this.#listeners.add(listener);
    if (!this.#subscription && !this.#restart) this.#follow();
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) void this.#unfollow();
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#listeners.clear();
    await this.#unfollow();
  }

  #follow(): void {
    if (this.#closed) return;
    let subscription: EventSubscription;
    try {
      subscription = this.store.subscribeToAll({ from: 'end' });
    } catch (error) {
      // A store closing under us (shutdown): the consoles get nothing more, nothing breaks.
      this.logger.error({ err: error }, 'the console live feed could not follow the log');
      return;
    }
    this.#subscription = subscription;
    this.#following = (async () => {
      for await (const event of subscription) {
        for (const listener of this.#listeners) {
          // One console's failure must not end the feed of the others.
          try {
            listener(event);
          } catch (error) {
            this.logger.error({ err: error }, 'a console live listener failed');
          }
        }
      }
    })().catch((error: unknown) => {
      this.logger.error({ err: error }, 'the console live feed stopped following the log');
      if (this.#subscription !== subscription) return;
      this.#subscription = undefined;
      if (this.#listeners.size > 0 && !this.#closed) {
        this.#restart = setTimeout(() => {
          this.#restart = undefined;
          if (this.#listeners.size > 0 && !this.#subscription) this.#follow();
        }, RESTART_DELAY_MS);
      }
    });
  }

  async #unfollow(): Promise<void> {
    clearTimeout(this.#restart);
    this.#restart = undefined;
    const subscription = this.#subscription;
    const following = this.#following;
    this.#subscription = undefined;
    this.#following = undefined;
    await subscription?.close();
    await following;
  }
}
