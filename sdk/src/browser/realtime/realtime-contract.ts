import type { PersonalizeAuth, SlotContent } from '../../realtime/personalize-protocol.js';

/**
 * Every slot's current content, `null` where a rule's content was withdrawn.
 *
 * @example
 * uspa.on('content', (content: ContentBySlot) => console.log(content.hero?.content.title));
 */
export type ContentBySlot = Record<string, SlotContent | null>;

/**
 * What the tracker hands the lazily loaded realtime client (`uspa-realtime.js`). Types only: the
 * tracker bundle stays free of socket.io and DOMPurify.
 *
 * @example
 * const controller = startRealtime({
 *   host, auth: () => ({ writeKey, anonymousId, url: location.href }),
 *   onContent: (content) => console.log(content), onSegments: (ids) => console.log(ids),
 * });
 */
export interface RealtimeHooks {
  host: string;
  /** Read at every (re)connection, so it always carries the current visitor and page. */
  auth(): PersonalizeAuth;
  onContent(content: ContentBySlot): void;
  onSegments(segments: string[]): void;
}

/**
 * The running realtime client.
 *
 * @example
 * controller.reconnect(); // after identify with a user hash
 * controller.close(); // consent withdrawn
 */
export interface RealtimeController {
  /** Connects again with a fresh {@link RealtimeHooks.auth} (after identify or reset). */
  reconnect(): void;
  /** Disconnects and stops watching the page. */
  close(): void;
}

/**
 * The shape of the `uspa-realtime.js` module.
 *
 * @example
 * const realtime = (await import(url)) as RealtimeModule;
 * realtime.startRealtime(hooks);
 */
export interface RealtimeModule {
  startRealtime(hooks: RealtimeHooks): RealtimeController;
}
