/** Events per second over a sliding window of one-second buckets. */
export class ThroughputMeter {
  readonly #buckets = new Map<number, number>();

  constructor(
    private readonly windowSeconds = 10,
    private readonly now: () => number = Date.now,
  ) {}

  add(count: number): void {
    const second = Math.floor(this.now() / 1000);
    this.#buckets.set(second, (this.#buckets.get(second) ?? 0) + count);
    for (const key of this.#buckets.keys()) {
      if (key <= second - this.windowSeconds) this.#buckets.delete(key);
    }
  }

  /** Average over the window's complete seconds plus the current one. */
  rate(): number {
    const nowMs = this.now();
    const second = Math.floor(nowMs / 1000);
    let total = 0;
    for (const [key, count] of this.#buckets) {
      if (key > second - this.windowSeconds) total += count;
    }
    const elapsed = this.windowSeconds - 1 + (nowMs % 1000) / 1000;
    return total / elapsed;
  }
}
