/**
 * Test doubles of the personalization ports built from plain maps, and real write keys, for the
 * realtime gateway tests (the end-to-end tests run the real profile projection and content rules).
 */
import type { SlotContent } from '@uspa/sdk';
import { join } from 'node:path';
import { SqliteEventStore } from '../adapters/sqlite/sqlite-event-store.js';
import { createApiKey, revokeApiKey, type CreateApiKey } from '../keys/api-key-commands.js';
import { ApiKeyDirectory } from '../keys/api-key-directory.js';
import type {
  PersonalizationFeed,
  PersonalizationSource,
  ProfileChange,
  VisitorIdentity,
} from './personalization.port.js';

/** A content rule as the plain source reads it: the first match per slot wins. */
export interface PlainRule {
  ruleId: string;
  slot: string;
  /** Only for profiles in this segment. */
  segment?: string;
  /** Only on pages whose URL starts with this. */
  urlPrefix?: string;
  content: Record<string, unknown>;
}

/** The content a rule delivers, as the gateway sends it. */
/** The hero rules the gateway specs share: one for the `vip` segment, one for everyone. */
export const heroVip: PlainRule = {
  ruleId: 'r-vip',
  slot: 'hero',
  segment: 'vip',
  content: { title: 'Welcome back' },
};
export const heroAll: PlainRule = { ruleId: 'r-hero', slot: 'hero', content: { title: 'Hello' } };

export const slotOf = (rule: PlainRule): SlotContent => ({
  ruleId: rule.ruleId,
  slot: rule.slot,
  content: rule.content,
});

export class PlainPersonalization implements PersonalizationSource, PersonalizationFeed {
  /** Segments by identifier key: `anonymous_id:a1`, `user_id:42`. */
  readonly segments = new Map<string, string[]>();
  rules: PlainRule[];
  readonly #profileListeners = new Set<(change: ProfileChange) => void>();
  readonly #committedListeners = new Set<(change: ProfileChange) => void>();
  readonly #ruleListeners = new Set<() => void>();

  constructor(rules: PlainRule[] = []) {
    this.rules = rules;
  }

  async segmentsOf(visitor: VisitorIdentity): Promise<string[]> {
    const byUser = visitor.userId ? this.segments.get(`user_id:${visitor.userId}`) : undefined;
    return [...(byUser ?? this.segments.get(`anonymous_id:${visitor.anonymousId}`) ?? [])];
  }

  contentFor(segments: readonly string[], url: string | undefined): Record<string, SlotContent> {
    const content: Record<string, SlotContent> = {};
    for (const rule of this.rules) {
      if (content[rule.slot]) continue;
      if (rule.segment !== undefined && !segments.includes(rule.segment)) continue;
      if (rule.urlPrefix !== undefined && !url?.startsWith(rule.urlPrefix)) continue;
      content[rule.slot] = slotOf(rule);
    }
    return content;
  }

  /** What the profile projection does after a commit: store, then announce. */
  reportProfileChange(change: ProfileChange): void {
    for (const identifier of change.identifiers) this.segments.set(identifier, change.segments);
    for (const listener of this.#profileListeners) listener(change);
    for (const listener of this.#committedListeners) listener(change);
  }

  reportRulesChanged(rules: PlainRule[]): void {
    this.rules = rules;
    for (const listener of this.#ruleListeners) listener();
  }

  onProfileChanged(listener: (change: ProfileChange) => void): () => void {
    this.#profileListeners.add(listener);
    return () => this.#profileListeners.delete(listener);
  }

  onProfileCommitted(listener: (change: ProfileChange) => void): () => void {
    this.#committedListeners.add(listener);
    return () => this.#committedListeners.delete(listener);
  }

  onContentRulesChanged(listener: () => void): () => void {
    this.#ruleListeners.add(listener);
    return () => this.#ruleListeners.delete(listener);
  }

  /** Plain rules have no start or end times. */
  onContentTimeReached(): () => void {
    return () => undefined;
  }
}

/** API keys in a real event store, read into a real directory as the composition root does. */
export class KeyRing {
  readonly keys = new ApiKeyDirectory();
  readonly #store: SqliteEventStore;

  constructor(dataDir: string) {
    this.#store = new SqliteEventStore({
      file: join(dataDir, 'events.sqlite'),
      synchronous: 'NORMAL',
      pollIntervalMs: 50,
    });
  }

  /** Creates a key and returns its secret and id. */
  async create(command: CreateApiKey): Promise<{ id: string; secret: string }> {
    const { key, secret } = await createApiKey(this.#store, command);
    await this.reload();
    return { id: key.id, secret };
  }

  async revoke(id: string): Promise<void> {
    await revokeApiKey(this.#store, id, 'test');
    await this.reload();
  }

  /** Applies every key event in the store, as another process would on start. */
  async reload(): Promise<void> {
    for (const event of await this.#store.readAll({ maxCount: 10_000 })) this.keys.apply(event);
  }

  close(): Promise<void> {
    return this.#store.close();
  }
}
