/**
 * The realtime personalisation protocol between the browser SDK and the USPA gateway (socket.io,
 * namespace {@link PERSONALIZE_NAMESPACE}). Shared by both sides so they cannot drift.
 *
 * 1. The client connects with {@link PersonalizeAuth} as the socket.io handshake `auth`.
 * 2. A refused handshake ends with a `connect_error` whose `data` is a {@link PersonalizeRefusal}.
 * 3. On connect the server emits {@link PERSONALIZE_EVENTS.snapshot} with the visitor's segments
 *    and the content of every slot for the page; afterwards it emits
 *    {@link PERSONALIZE_EVENTS.changed} only when the segments or a slot's content change.
 * 4. The client emits {@link PERSONALIZE_EVENTS.page} when it navigates (single-page apps), and
 *    gets a fresh snapshot for the new URL.
 *
 * @example
 * import { io } from 'socket.io-client';
 * const socket = io(`${host}${PERSONALIZE_NAMESPACE}`, {
 *   auth: { writeKey, anonymousId, url: location.href } satisfies PersonalizeAuth,
 * });
 * socket.on(PERSONALIZE_EVENTS.snapshot, (snapshot: PersonalizationSnapshot) => render(snapshot));
 */
export const PERSONALIZE_NAMESPACE = '/personalize';

export const PERSONALIZE_EVENTS = {
  snapshot: 'snapshot',
  changed: 'changed',
  page: 'page',
} as const;

export interface PersonalizeAuth {
  writeKey: string;
  anonymousId: string;
  /** A known user: only trusted with a valid {@link userHash}. */
  userId?: string;
  /** Hex HMAC-SHA256 of `userId` with the workspace's identity secret, computed by the site's server. */
  userHash?: string;
  /** The page the visitor is on: content rules may target URL patterns. */
  url?: string;
}

/** Why a handshake was refused (the `data` of socket.io's `connect_error`). */
export interface PersonalizeRefusal {
  code: 'invalid_write_key' | 'missing_anonymous_id' | 'invalid_user_hash' | 'origin_not_allowed';
  message: string;
}

/** What a content rule delivers to a slot: the rule's JSON content plus where it came from. */
export interface SlotContent {
  ruleId: string;
  slot: string;
  /** Any JSON fields: `title`, `body`, `html`, `image`, `link`, … */
  content: Record<string, unknown>;
}

export interface PersonalizationSnapshot {
  /** Ids of the segments the visitor's profile is in. */
  segments: string[];
  /** Per slot with an active rule, its content; `null` when a slot's content was withdrawn. */
  content: Record<string, SlotContent | null>;
}

/** A change: only what changed (`segments` when they did, the slots whose content did). */
export interface PersonalizationChange {
  segments?: string[];
  content?: Record<string, SlotContent | null>;
}

/** Emitted by the client on navigation. */
export interface PageChange {
  url: string;
}
