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

export const API_KEY_DIRECTORY = Symbol('ApiKeyDirectory');

/**
 * Every API key, kept in memory and followed live from the `apikey-*` streams, so a key created
 * or revoked by another process (the CLI) takes effect within the store's poll interval.
 */
@injectable()
export class ApiKeyDirectory {
  readonly #byId = new Map<string, ApiKey>();
  readonly #byHash = new Map<string, ApiKey>();
  readonly #controller = new AbortController();
  #following: Promise<void> | undefined;

  constructor(
    @inject(EVENT_STORE) private readonly store: EventStore,
    @inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Loads every key, then follows changes in the background. */
  async start(): Promise<void> {
    let after = 0;
    for (;;) {
      const page = await this.store.readAll({
        after,
        maxCount: 1000,
        filter: { streamPrefixes: [STREAM_PREFIX.apiKey] },
      });
      page.forEach((event) => this.apply(event));
      if (page.length < 1000) break;
      after = page[page.length - 1]!.position;
    }
    const subscription = this.store.subscribeToAll({
      from: after === 0 ? 'end' : after,
      filter: { streamPrefixes: [STREAM_PREFIX.apiKey] },
      signal: this.#controller.signal,
    });
    this.#following = (async () => {
      for await (const event of subscription) this.apply(event);
    })().catch((error: unknown) => this.logger.error({ err: error }, 'API key directory stopped'));
  }

  async stop(): Promise<void> {
    this.#controller.abort();
    await this.#following;
  }

  /** Applies a key event; applying the same event twice changes nothing. */
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
