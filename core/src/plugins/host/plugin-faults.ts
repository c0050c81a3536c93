/**
 * Counts a plugin's faults in a sliding window. The host records each fault as an event until the
 * limit is reached, then disables the plugin with a reason (PostHog's plugins were disabled
 * silently; here the operator sees every fault and why the plugin stopped).
 */
export class FaultWindow {
  readonly #times: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Records a fault at `now`; returns how many fell in the window, this one included. */
  record(now: number): number {
    this.#times.push(now);
    while (this.#times.length > 0 && this.#times[0]! <= now - this.windowMs) this.#times.shift();
    if (this.#times.length > this.limit) this.#times.splice(0, this.#times.length - this.limit);
    return this.#times.length;
  }

  /** The fault that reaches the limit disables the plugin. */
  reached(count: number): boolean {
    return count >= this.limit;
  }
}
