import type { JsonObject, SegmentMessage } from '../collect/segment-message.js';
import { readItem, writeItem } from './browser-storage.js';
import { DeliveryQueue } from './delivery-queue.js';
import type { ConsentState, LoadOptions } from './load-options.js';
import { buildMessage, pageFields } from './message-builder.js';
import { Personalization, type UspaEvents } from './personalization.js';
import { STORAGE_KEYS, VisitorIdentity } from './visitor-identity.js';

const CALLS = ['load', 'page', 'track', 'identify', 'group', 'alias', 'reset', 'consent', 'on'];

/**
 * The browser tracker behind `window.uspa`: Segment-style calls, batched delivery, consent gate
 * and, loaded on demand, realtime personalisation. Calls made before `load` are kept and sent
 * once it runs.
 *
 * @example
 * uspa.load('uspa_wk_…', { host: 'https://cdp.example.com', consent: 'required' });
 * uspa.page();
 * uspa.track('Plan Selected', { plan: 'pro' });
 * banner.onAccept = () => uspa.consent(true);
 * uspa.on('content', (content) => console.log(content.hero?.content.title));
 */
export class UspaTracker {
  private loaded: { writeKey: string; options: LoadOptions; queue: DeliveryQueue } | undefined;
  private early: SegmentMessage[] = [];
  private state: ConsentState = 'pending';
  private identity: VisitorIdentity | undefined;
  private readonly personalization = new Personalization();

  /** Starts the tracker with a write key; later calls to `load` are ignored. */
  load(writeKey: string, options: LoadOptions): void {
    if (this.loaded) return;
    const host = options.host.replace(/\/+$/, '');
    const queue = new DeliveryQueue({
      url: `${host}/v1/batch`,
      writeKey,
      flushAt: options.flushAt ?? 20,
      flushIntervalMs: options.flushIntervalMs ?? 2000,
    });
    this.loaded = { writeKey, options: { ...options, host }, queue };
    addEventListener('pagehide', () => queue.beacon());
    addEventListener('online', () => void queue.flush());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') queue.beacon();
    });
    const remembered = readItem(STORAGE_KEYS.consent) === 'granted';
    if (this.state === 'pending' && (options.consent !== 'required' || remembered)) {
      this.state = 'granted';
    }
    for (const message of this.early.splice(0)) queue.enqueue(message);
    if (this.state === 'granted') this.start();
  }

  /** Records a page view; `name` is optional and properties describe the page by default. */
  page(name?: string | JsonObject, properties: JsonObject = {}): void {
    if (typeof name === 'object') [name, properties] = [undefined, name];
    const named = name === undefined ? {} : { name };
    this.send('page', { ...named, properties: { ...pageFields(), ...named, ...properties } });
  }

  /** Records an action, e.g. `track('Order Completed', { total: 42 })`. */
  track(event: string, properties: JsonObject = {}): void {
    this.send('track', { event, properties });
  }

  /**
   * Says who the visitor is. `userHash` (HMAC-SHA256 of the user id, computed by the site's
   * server) lets the realtime gateway trust the user id and personalise for the known user.
   */
  identify(userId?: string, traits: JsonObject = {}, options: { userHash?: string } = {}): void {
    const before = this.authKey();
    this.visitor.identify(userId, traits, options.userHash);
    this.send('identify', { traits: this.visitor.traits });
    if (this.authKey() !== before) this.personalization.reconnect(false);
  }

  /** Associates the visitor with a group (company, account). */
  group(groupId: string, traits: JsonObject = {}): void {
    this.send('group', { groupId, traits });
  }

  /** Links `previousId` (default: the current user or anonymous id) to `userId`. */
  alias(userId: string, previousId?: string): void {
    const visitor = this.visitor;
    this.send('alias', { userId, previousId: previousId ?? visitor.userId ?? visitor.anonymousId });
  }

  /** Forgets the user (sign-out): new anonymous id, no user id or traits. */
  reset(): void {
    this.visitor.reset();
    this.personalization.reconnect(true);
  }

  /**
   * Grants (`true`) or withdraws (`false`) consent; without an argument, tells the current state.
   * A grant is remembered, so later pages load granted; a withdrawal erases what was stored and
   * drops what was waiting.
   */
  consent(granted?: boolean): ConsentState {
    if (granted === true && this.state !== 'granted') {
      this.state = 'granted';
      writeItem(STORAGE_KEYS.consent, 'granted');
      if (this.loaded) this.start();
    } else if (granted === false) {
      this.state = 'denied';
      this.early = [];
      this.visitor.persist(false);
      this.loaded?.queue.clear();
      this.personalization.disconnect();
    }
    return this.state;
  }

  /** Listens to personalisation; returns the function that stops listening. */
  on<K extends keyof UspaEvents>(event: K, callback: (value: UspaEvents[K]) => void): () => void {
    const stop = this.personalization.on(event, callback);
    this.startRealtime(true);
    return stop;
  }

  /** The visitor's ids. */
  user(): { anonymousId: string; userId: string | undefined } {
    return { anonymousId: this.visitor.anonymousId, userId: this.visitor.userId };
  }

  /** Runs a queued snippet call: `uspa.push(['track', 'Signed Up'])`. */
  push(call: unknown[]): void {
    const [name, ...args] = call;
    if (typeof name !== 'string' || !CALLS.includes(name)) return;
    (this[name as 'track'] as (...values: unknown[]) => void).apply(this, args);
  }

  private get visitor(): VisitorIdentity {
    return (this.identity ??= new VisitorIdentity());
  }

  private send(type: SegmentMessage['type'], fields: Partial<SegmentMessage>): void {
    if (this.state === 'denied') return;
    const message = buildMessage(type, fields, this.visitor);
    if (this.loaded) this.loaded.queue.enqueue(message);
    else this.early.push(message);
  }

  private start(): void {
    this.visitor.persist(true);
    this.loaded?.queue.activate();
    this.startRealtime(false);
  }

  private startRealtime(requested: boolean): void {
    const loaded = this.loaded;
    if (!loaded || this.state !== 'granted' || this.personalization.connected) return;
    const slots = document.querySelector('[data-uspa-slot]') !== null;
    if (requested || slots || loaded.options.personalize || this.personalization.wanted) {
      const { host, realtimeUrl = `${host}/sdk/uspa-realtime.js` } = loaded.options;
      this.personalization.connect(realtimeUrl, host, () => ({
        writeKey: loaded.writeKey,
        url: location.href,
        ...this.authFields(),
      }));
    } else if (document.readyState === 'loading') {
      // Slots may still be in the part of the page not parsed yet.
      document.addEventListener('DOMContentLoaded', () => this.startRealtime(false), {
        once: true,
      });
    }
  }

  /** The gateway trusts a user id only with its hash, so without one the visitor stays anonymous. */
  private authFields() {
    const { anonymousId, userId, userHash } = this.visitor;
    return userId !== undefined && userHash !== undefined
      ? { anonymousId, userId, userHash }
      : { anonymousId };
  }

  private authKey(): string {
    return JSON.stringify(this.authFields());
  }
}
