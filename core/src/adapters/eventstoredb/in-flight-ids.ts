/**
 * Serialises, within this process, appends that share an event id: a retry that arrives while
 * the first attempt is still writing waits for it and then finds its result, instead of both
 * racing for the same claim. All ids of an append are taken at once or not at all, so two appends
 * holding overlapping ids can never wait on each other.
 *
 * @example
 * const release = await inFlight.acquire(['4f1c…', '9a2e…']);
 * try { await appendOnce(); } finally { release(); }
 */
export class InFlightIds {
  readonly #held = new Map<string, Promise<void>>();

  async acquire(ids: readonly string[]): Promise<() => void> {
    for (;;) {
      const busy = ids.flatMap((id) => this.#held.get(id) ?? []);
      if (busy.length === 0) break;
      await Promise.all(busy);
    }
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    for (const id of ids) this.#held.set(id, done);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const id of ids) if (this.#held.get(id) === done) this.#held.delete(id);
      release();
    };
  }

  /** How many ids are held right now. */
  get size(): number {
    return this.#held.size;
  }
}
