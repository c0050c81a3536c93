import type { JsonObject } from '../collect/segment-message.js';
import {
  readCookie,
  readItem,
  readJson,
  removeCookie,
  uuid,
  writeCookie,
  writeItem,
} from './browser-storage.js';

/**
 * Where the tracker keeps what it remembers about the visitor (cookie and localStorage names).
 *
 * @example
 * localStorage.getItem(STORAGE_KEYS.userId); // 'user-42'
 */
export const STORAGE_KEYS = {
  anonymousId: 'uspa_aid',
  userId: 'uspa_uid',
  traits: 'uspa_traits',
  userHash: 'uspa_uhash',
  queue: 'uspa_queue',
  consent: 'uspa_consent',
} as const;

/**
 * Who the visitor is: the anonymous id (cookie `uspa_aid` and localStorage, so either survives
 * the other being cleared), and once known the user id, traits and the user hash that proves the
 * user id to the realtime gateway.
 *
 * Until {@link VisitorIdentity.persist} is switched on (consent), everything stays in memory:
 * existing values are read, nothing is written.
 *
 * @example
 * const visitor = new VisitorIdentity();
 * visitor.persist(true); // writes the cookie and localStorage
 * visitor.identify('user-42', { plan: 'pro' });
 */
export class VisitorIdentity {
  anonymousId: string;
  userId: string | undefined;
  traits: JsonObject;
  userHash: string | undefined;
  private persistent = false;

  constructor() {
    this.anonymousId =
      readCookie(STORAGE_KEYS.anonymousId) ?? readItem(STORAGE_KEYS.anonymousId) ?? uuid();
    this.userId = readItem(STORAGE_KEYS.userId);
    this.traits = readJson<JsonObject>(STORAGE_KEYS.traits, {});
    this.userHash = readItem(STORAGE_KEYS.userHash);
  }

  /** Switches storage on (writes what is in memory) or off (erases what was stored). */
  persist(enabled: boolean): void {
    this.persistent = enabled;
    if (enabled) this.save();
    else {
      removeCookie(STORAGE_KEYS.anonymousId);
      for (const key of Object.values(STORAGE_KEYS)) writeItem(key, undefined);
    }
  }

  /**
   * Remembers the user. A different user id forgets the previous user's traits and hash; the
   * anonymous id stays, so the server can link the visits before sign-in to the user.
   */
  identify(userId: string | undefined, traits: JsonObject = {}, userHash?: string): void {
    if (userId !== undefined && userId !== this.userId) {
      if (this.userId !== undefined) this.traits = {};
      this.userId = userId;
      this.userHash = undefined;
    }
    this.traits = { ...this.traits, ...traits };
    if (userHash !== undefined) this.userHash = userHash;
    this.save();
  }

  /** Forgets the user and starts a new anonymous visitor (on sign-out). */
  reset(): void {
    this.anonymousId = uuid();
    this.userId = this.userHash = undefined;
    this.traits = {};
    this.save();
  }

  private save(): void {
    if (!this.persistent) return;
    writeCookie(STORAGE_KEYS.anonymousId, this.anonymousId);
    writeItem(STORAGE_KEYS.anonymousId, this.anonymousId);
    writeItem(STORAGE_KEYS.userId, this.userId);
    writeItem(STORAGE_KEYS.userHash, this.userHash);
    const hasTraits = Object.keys(this.traits).length > 0;
    writeItem(STORAGE_KEYS.traits, hasTraits ? JSON.stringify(this.traits) : undefined);
  }
}
