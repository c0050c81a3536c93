import { eventTypeFilter, streamNameFilter, type Filter } from '@eventstore/db-client';
import type { EventFilter } from '../../ports/event-store.port.js';
import { CLAIM_STREAM_PREFIX, isVisible } from './eventstoredb-mapping.js';

/** Matches nothing: the server's .NET regex engine supports an empty negative lookahead. */
export const NO_MATCH = '(?!)';

/**
 * Escapes a literal for the server's .NET regex engine, where a backslash before any non-word
 * character stands for that character. Whitespace and `#` are only special with
 * IgnorePatternWhitespace, which the server does not set; `#` is escaped anyway, harmlessly.
 */
export function escapeRegex(literal: string): string {
  return literal.replace(/[\\^$.|?*+()[\]{}#]/g, '\\$&');
}

/** `^(?:a|b)\z`: `\z` rather than `$`, which in .NET also matches before a final newline. */
export function exactTypesRegex(types: readonly string[]): string {
  if (types.length === 0) return NO_MATCH;
  return `^(?:${types.map(escapeRegex).join('|')})\\z`;
}

/**
 * Prefixes go to the server as a regex rather than the client's `prefixes` option: the server
 * compares prefixes with .NET's culture-sensitive `StartsWith`, a regex compares ordinally, which
 * is what the port promises (`USER-` must not match `user-`, `é` must not match `e\u0301`).
 */
export function prefixesRegex(prefixes: readonly string[]): string {
  if (prefixes.length === 0) return NO_MATCH;
  return `^(?:${prefixes.map(escapeRegex).join('|')})`;
}

/** Everything but system streams and claim streams. */
export const VISIBLE_STREAMS_REGEX = `^(?!\\$|${escapeRegex(CLAIM_STREAM_PREFIX)})`;

/**
 * The server-side filter of a subscription. It only narrows what travels over the wire: the
 * adapter checks every event again with {@link matchesFilter}, so a server that over-matches
 * cannot leak an event, and system events in user streams (tombstones) are dropped there too.
 */
export function toServerFilter(filter: EventFilter | undefined): Filter {
  if (filter?.eventTypes) return eventTypeFilter({ regex: exactTypesRegex(filter.eventTypes) });
  if (filter?.streamPrefixes) {
    return streamNameFilter({ regex: prefixesRegex(filter.streamPrefixes) });
  }
  return streamNameFilter({ regex: VISIBLE_STREAMS_REGEX });
}

/** The exact, client-side test of an event against the port's filter and visibility rules. */
export function matchesFilter(
  filter: EventFilter | undefined,
  streamId: string,
  type: string,
): boolean {
  if (!isVisible(streamId, type)) return false;
  if (filter?.eventTypes) return filter.eventTypes.includes(type);
  if (filter?.streamPrefixes) return filter.streamPrefixes.some((p) => streamId.startsWith(p));
  return true;
}
