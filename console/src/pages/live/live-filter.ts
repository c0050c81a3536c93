import type { LiveEvent, LiveFilter } from '../../lib/console-socket.js';

/** Rows the live table keeps; older ones fall off the bottom. */
export const LIVE_ROW_LIMIT = 500;

/** What the filter form holds: names as typed (comma-separated), types as ticked. */
export interface LiveFilterForm {
  types: string[];
  names: string;
  writeKeyId: string;
}

export const EMPTY_FILTER_FORM: LiveFilterForm = { types: [], names: '', writeKeyId: '' };

/**
 * The `filter` message for the server: trimmed, without duplicates, and without empty fields
 * (an absent field matches everything, an empty list might be read as "match nothing").
 *
 * @example
 * toLiveFilter({ types: ['Tracked'], names: ' Signed Up, ,Order Completed ', writeKeyId: '' })
 * // { types: ['Tracked'], names: ['Signed Up', 'Order Completed'] }
 */
export function toLiveFilter(form: LiveFilterForm): LiveFilter {
  const filter: LiveFilter = {};
  const types = distinct(form.types);
  const names = distinct(form.names.split(','));
  const writeKeyId = form.writeKeyId.trim();
  if (types.length > 0) filter.types = types;
  if (names.length > 0) filter.names = names;
  if (writeKeyId) filter.writeKeyId = writeKeyId;
  return filter;
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values.map((value) => value.trim()).filter(Boolean))];
}

/**
 * The name a `names` filter matches, as the server reads it: a track call's event name, a page
 * or screen view's name; other events have none.
 */
export function eventNameOf(event: LiveEvent): string | undefined {
  if (typeof event.data !== 'object' || event.data === null) return undefined;
  const data = event.data as { event?: unknown; name?: unknown };
  const name =
    event.type === 'Tracked'
      ? data.event
      : event.type === 'PageViewed' || event.type === 'ScreenViewed'
        ? data.name
        : undefined;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

export function writeKeyOf(event: LiveEvent): string | undefined {
  const id = event.metadata?.writeKeyId;
  return typeof id === 'string' ? id : undefined;
}

/**
 * Whether an event passes the filter. The server filters too; this catches events already on
 * the wire when the filter changed, and rows kept from before.
 */
export function matchesLiveFilter(event: LiveEvent, filter: LiveFilter): boolean {
  if (filter.types && !filter.types.includes(event.type)) return false;
  if (filter.names) {
    const name = eventNameOf(event);
    if (name === undefined || !filter.names.includes(name)) return false;
  }
  return !filter.writeKeyId || writeKeyOf(event) === filter.writeKeyId;
}

/**
 * The table after new arrivals: newest first, at most `limit` rows. `arrivals` are in the order
 * they came (oldest first).
 */
export function withArrivals(
  rows: readonly LiveEvent[],
  arrivals: readonly LiveEvent[],
  limit = LIVE_ROW_LIMIT,
): LiveEvent[] {
  const newest = arrivals.slice(-limit).reverse();
  return [...newest, ...rows.slice(0, Math.max(0, limit - newest.length))];
}
