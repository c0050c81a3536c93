import type { MinuteCount } from '../../lib/console-socket.js';

const MINUTE_MS = 60_000;

/** One point of the events-per-minute chart, at the start of its minute (epoch ms). */
export interface MinutePoint {
  at: number;
  count: number;
}

function startOf(minute: string | number): number {
  const at = typeof minute === 'number' ? minute : Date.parse(minute);
  return Number.isNaN(at) ? Number.NaN : Math.floor(at / MINUTE_MS) * MINUTE_MS;
}

/**
 * The last `limit` minutes up to the newest one known, one point per minute: minutes without
 * events are zeros, so a quiet gap shows as a dip rather than a line drawn across it. A minute's
 * count only grows, so when two sources report the same minute the larger count is the newer.
 *
 * @example
 * perMinuteSeries([{ minute: '2026-11-29T10:00:00Z', count: 3 }], 2)
 * // [{ at: <09:59>, count: 0 }, { at: <10:00>, count: 3 }]
 */
export function perMinuteSeries(counts: readonly MinuteCount[], limit = 60): MinutePoint[] {
  const byMinute = new Map<number, number>();
  for (const { minute, count } of counts) {
    const at = startOf(minute);
    if (!Number.isNaN(at)) byMinute.set(at, Math.max(byMinute.get(at) ?? 0, count));
  }
  if (byMinute.size === 0) return [];
  const newest = Math.max(...byMinute.keys());
  const points: MinutePoint[] = [];
  for (let index = limit - 1; index >= 0; index--) {
    const at = newest - index * MINUTE_MS;
    points.push({ at, count: byMinute.get(at) ?? 0 });
  }
  return points;
}

/**
 * Adds a live `minute` update: the server repeats the current minute's running count every few
 * seconds, so a known minute is updated, a new one is appended and the oldest falls off.
 */
export function withMinute(
  series: readonly MinutePoint[],
  update: MinuteCount,
  limit = 60,
): MinutePoint[] {
  const at = startOf(update.minute);
  if (Number.isNaN(at)) return [...series];
  const oldest = series[0]?.at;
  if (oldest !== undefined && at < oldest) return [...series];
  return perMinuteSeries([...asCounts(series), update], limit);
}

/** Points back in the shape of the API's counts, to combine them with fresh ones. */
export function asCounts(series: readonly MinutePoint[]): MinuteCount[] {
  return series.map((point) => ({ minute: point.at, count: point.count }));
}

/** `10:05` in the reader's locale, for the chart's axis. */
export function minuteLabel(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}
