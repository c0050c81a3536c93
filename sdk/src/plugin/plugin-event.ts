/**
 * An event from the log as `onEvent`, `onBatch` and plugin projections receive it: JSON only
 * (dates as ISO strings), so it crosses into an isolated plugin unchanged.
 *
 * @example
 * onEvent(event, ctx) {
 *   if (event.type === 'Tracked' && event.data.event === 'Order Completed') {
 *     ctx.metrics.increment('orders');
 *   }
 * }
 */
export interface PluginEvent<Data = Record<string, unknown>> {
  id: string;
  /** `Tracked`, `PageViewed`, `Identified`, `SegmentEntered`, … */
  type: string;
  streamId: string;
  /** Position in the global log; increases with every event a consumer receives. */
  position: number;
  /** ISO timestamp of when the log recorded it. */
  recordedAt: string;
  data: Data;
  metadata: Record<string, unknown>;
}
