import type { ProfileChange } from '@uspa/projections';

/** How long a read waits for decided changes to be committed before it reads anyway. */
const COMMIT_WAIT_MS = 1_000;

/**
 * The profile changes of this process's profile projection (memberships, identifiers), for
 * realtime delivery. A live batch's changes are `decided` first, before its commit, and
 * `published` again after it; catch-up and settling changes are only published.
 *
 * Local listeners hear each change once, as early as it comes. Committed listeners hear each
 * after its commit: what they do may read the read model (another process does, once the change
 * is fanned out to it). {@link committed} lets a local read of the read model wait for the
 * changes its listeners already heard.
 *
 * @example
 * feed.subscribe((change) => visitors.applyProfileChange(change));
 * feed.subscribeCommitted((change) => fanOut.emit(change));
 * await feed.committed(); // before reading a visitor's segments
 */
export class ProfileChangeFeed {
  readonly #listeners = new Set<(change: ProfileChange) => void>();
  readonly #committedListeners = new Set<(change: ProfileChange) => void>();
  /** Changes heard as decided and not published since. */
  readonly #decided = new WeakSet<ProfileChange>();
  #uncommitted: { promise: Promise<void>; resolve: () => void } | undefined;

  /** A live batch's changes, before its commit. */
  decide(changes: readonly ProfileChange[]): void {
    if (changes.length === 0) return;
    if (this.#uncommitted === undefined) {
      let resolve!: () => void;
      const promise = new Promise<void>((done) => (resolve = done));
      this.#uncommitted = { promise, resolve };
    }
    for (const change of changes) {
      this.#decided.add(change);
      for (const listener of this.#listeners) listener(change);
    }
  }

  /** Changes after their commit: those decided already go to committed listeners only. */
  publish(changes: readonly ProfileChange[]): void {
    const uncommitted = this.#uncommitted;
    this.#uncommitted = undefined;
    for (const change of changes) {
      if (!this.#decided.delete(change)) {
        for (const listener of this.#listeners) listener(change);
      }
      for (const listener of this.#committedListeners) listener(change);
    }
    uncommitted?.resolve();
  }

  /** Hears each change once, when decided or else when published. */
  subscribe(listener: (change: ProfileChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Hears each change once its commit is done. */
  subscribeCommitted(listener: (change: ProfileChange) => void): () => void {
    this.#committedListeners.add(listener);
    return () => this.#committedListeners.delete(listener);
  }

  /**
   * Resolves once the changes decided so far are committed (at once when none wait), or after
   * `timeoutMs` if their commit does not come (the projection may be failing).
   */
  async committed(timeoutMs = COMMIT_WAIT_MS): Promise<void> {
    const uncommitted = this.#uncommitted;
    if (uncommitted === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    try {
      await Promise.race([uncommitted.promise, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
