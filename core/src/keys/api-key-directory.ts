import { inject, injectable } from '../composition/decorators.js';
import {
  API_KEY_CREATED,
  API_KEY_REVOKED,
  hashKeySecret,
  type ApiKey,
  type ApiKeyCreated,
  type ApiKeyRevoked,
} from '../domain/api-keys.js';
import { STREAM_PREFIX } from '../domain/streams.js';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '../ports/event-store.port.js';
import { LOGGER, type Logger } from '../ports/logger.port.js';
import { LogFollower } from '../read-models/log-follower.js';

export const API_KEY_DIRECTORY = Symbol('ApiKeyDirectory');

/**
 * Every API key, kept in memory and followed live from the `apikey-*` streams, so a key created
 * or revoked by another process (the CLI) takes effect within the store's poll interval.
 */
@injectable()
export class ApiKeyDirectory {
  readonly #byId = new Map<string, ApiKey>();
  readonly #byHash = new Map<string, ApiKey>();
  readonly #follower: LogFollower;

  constructor(@inject(EVENT_STORE) store: EventStore, @inject(LOGGER) logger: Logger) {
    this.#follower = new LogFollower(store, logger, STREAM_PREFIX.apiKey, (event) =>
      this.apply(event),
    );
  }

  /** Loads every key, then follows changes in the background. */
  /** Loads every stored event, then follows changes in the background. */
  start(): Promise<void> {
    return this.#follower.start();
  }

  stop(): Promise<void> {
    return this.#follower.stop();
  }

  apply(event: Pick<RecordedEvent, 'type' | 'data'>): void {
    if (event.type === API_KEY_CREATED) {
      const key = { ...(event.data as ApiKeyCreated) };
      if (this.#byId.get(key.id)?.revokedAt) return;
      this.#byId.set(key.id, key);
      this.#byHash.set(key.secretHash, key);
    } else if (event.type === API_KEY_REVOKED) {
      const { id, revokedAt } = event.data as ApiKeyRevoked;
      const key = this.#byId.get(id);
      if (key) key.revokedAt ??= revokedAt;
    }
  }

  /** The active key with this secret, if any. */
  findBySecret(secret: string): ApiKey | undefined {
    const key = this.#byHash.get(hashKeySecret(secret));
    return key && !key.revokedAt ? key : undefined;
  }

  get(id: string): ApiKey | undefined {
    return this.#byId.get(id);
  }

  list(): ApiKey[] {
    return [...this.#byId.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }
}
