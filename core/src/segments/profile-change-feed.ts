import type { ProfileChange } from '@uspa/projections';

/**
 * The profile changes this process's profile projection committed (memberships, identifiers),
 * for realtime delivery. In-process; the realtime gateway fans them out to other processes.
 */
export class ProfileChangeFeed {
  readonly #listeners = new Set<(change: ProfileChange) => void>();

  publish(changes: readonly ProfileChange[]): void {
    for (const change of changes) for (const listener of this.#listeners) listener(change);
  }

  subscribe(listener: (change: ProfileChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
