/** Restarts a thread may have within {@link RESTART_WINDOW_MS}; one more stop is too many. */
export const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60_000;

/**
 * When a worker thread stopped without being asked to, for the policy the store's threads share:
 * restart it, unless it stopped more than {@link MAX_RESTARTS} times within a minute, since a
 * request (or a file) that kills it would otherwise kill it for ever.
 *
 * @example
 * stops.record();
 * if (stops.tooMany()) giveUp(`stopped ${MAX_RESTARTS + 1} times within a minute`);
 */
export class ThreadStops {
  readonly #at: number[] = [];

  /** Notes a stop now; only the last {@link MAX_RESTARTS} + 1 are kept. */
  record(): void {
    this.#at.push(Date.now());
    if (this.#at.length > MAX_RESTARTS + 1) this.#at.shift();
  }

  /** More than {@link MAX_RESTARTS} stops within the last minute. */
  tooMany(): boolean {
    const since = Date.now() - RESTART_WINDOW_MS;
    return this.#at.filter((at) => at > since).length > MAX_RESTARTS;
  }
}
