import {
  API_KEY_CREATED,
  API_KEY_REVOKED,
  hashKeySecret,
  type ApiKey,
  type ApiKeyCreated,
  type ApiKeyRevoked,
} from '../domain/api-keys.js';
import type { RecordedEvent } from '../ports/event-store.port.js';

export const API_KEY_DIRECTORY = Symbol('ApiKeyDirectory');

/**
 * Every API key, in memory. The composition root feeds it from the `apikey-*` streams with a
 * LogFollower, so a key created or revoked by another process (the CLI) takes effect
 * within the store's poll interval.
 */
export class ApiKeyDirectory {
  readonly #byId = new Map<string, ApiKey>();
  readonly #byHash = new Map<string, ApiKey>();
  /**
   * Ids of write keys by their secret, once seen: every tracking call presents one, and
   * hashing it each time cost more than some pipeline steps. Write keys are public (they sit in
   * web pages); secret keys are never kept in the clear, so they are hashed on every use. The
   * key itself is looked up by id, so a revocation is seen at once.
   */
  readonly #writeKeyIds = new Map<string, string>();
  readonly #revocationListeners = new Set<(keyId: string) => void>();

  apply(event: Pick<RecordedEvent, 'type' | 'data'>): void {
    if (event.type === API_KEY_CREATED) {
      const key = { ...(event.data as ApiKeyCreated) };
      if (this.#byId.get(key.id)?.revokedAt) return;
      this.#byId.set(key.id, key);
      this.#byHash.set(key.secretHash, key);
    } else if (event.type === API_KEY_REVOKED) {
      const { id, revokedAt } = event.data as ApiKeyRevoked;
      const key = this.#byId.get(id);
      if (!key || key.revokedAt) return;
      key.revokedAt = revokedAt;
      for (const listener of this.#revocationListeners) listener(id);
    }
  }

  /**
   * Calls `listener` with the id of each key revoked from now on (once per key), so what was
   * let in with it can be shown the door; returns the unsubscribe.
   *
   * @example
   * const stop = directory.onRevoked((keyId) => disconnectVisitorsOf(keyId));
   */
  onRevoked(listener: (keyId: string) => void): () => void {
    this.#revocationListeners.add(listener);
    return () => this.#revocationListeners.delete(listener);
  }

  /** The active key with this secret, if any. */
  findBySecret(secret: string): ApiKey | undefined {
    const id = this.#writeKeyIds.get(secret);
    const key = id === undefined ? this.#byHash.get(hashKeySecret(secret)) : this.#byId.get(id);
    if (id === undefined && key?.type === 'write') this.#writeKeyIds.set(secret, key.id);
    return key && !key.revokedAt ? key : undefined;
  }

  get(id: string): ApiKey | undefined {
    return this.#byId.get(id);
  }

  list(): ApiKey[] {
    return [...this.#byId.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }
}
