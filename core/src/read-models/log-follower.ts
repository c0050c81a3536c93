import type { EventStore, RecordedEvent } from '../ports/event-store.port.js';
import type { Logger } from '../ports/logger.port.js';

/**
 * Keeps an in-memory read model current: reads every event of the given stream prefixes, then
 * follows new ones live (from this process at once, from other processes within the poll
 * interval). Used for small, hot models such as API keys and tracking plans.
 *
 * @example
 * const follower = new LogFollower(store, logger, 'apikey-', (event) => keys.apply(event));
 * await follower.start();
 */
export class LogFollower {
  readonly #controller = new AbortController();
  #following: Promise<void> | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly logger: Logger,
    private readonly streamPrefix: string,
    private readonly apply: (event: RecordedEvent) => void,
  ) {}

  /** Resolves once every stored event is applied; later ones are applied as they come. */
  async start(): Promise<void> {
    const filter = { streamPrefixes: [this.streamPrefix] };
    let after = 0;
    for (;;) {
      const page = await this.store.readAll({ after, maxCount: 1000, filter });
      page.forEach(this.apply);
      if (page.length < 1000) break;
      after = page[page.length - 1]!.position;
    }
    const subscription = this.store.subscribeToAll({
      from: after === 0 ? 'end' : after,
      filter,
      signal: this.#controller.signal,
    });
    this.#following = (async () => {
      for await (const event of subscription) this.apply(event);
    })().catch((error: unknown) =>
      this.logger.error(
        { err: error, streamPrefix: this.streamPrefix },
        'read model stopped following the log',
      ),
    );
  }

  async stop(): Promise<void> {
    this.#controller.abort();
    await this.#following;
  }
}
