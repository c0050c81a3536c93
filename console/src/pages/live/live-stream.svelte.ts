import {
  openConsoleSocket,
  type ConsoleSocket,
  type LiveEvent,
  type LiveFilter,
} from '../../lib/console-socket.js';
import { LIVE_ROW_LIMIT, matchesLiveFilter, withArrivals } from './live-filter.js';

/** Arrivals are drawn in batches: one table update per tick, however fast events come. */
const FLUSH_MS = 150;

/**
 * The live stream of the `/console` namespace: the rows on screen, what arrived while paused,
 * and the filter the server applies (sent again after every reconnect, since a new socket
 * starts unfiltered).
 */
export class LiveStream {
  rows = $state.raw<LiveEvent[]>([]);
  filter = $state.raw<LiveFilter>({});
  paused = $state(false);
  /** Events that arrived while paused; shown on resume (the newest {@link LIVE_ROW_LIMIT}). */
  arrivedWhilePaused = $state(0);
  /** Events the server skipped because this page could not keep up. */
  dropped = $state(0);
  connected = $state(false);
  #socket: ConsoleSocket | undefined;
  #arrivals: LiveEvent[] = [];
  #held: LiveEvent[] = [];
  #flush: ReturnType<typeof setTimeout> | undefined;

  start(): () => void {
    const socket = openConsoleSocket();
    socket.on('connect', () => {
      this.connected = true;
      socket.emit('filter', this.filter);
    });
    socket.on('disconnect', () => (this.connected = false));
    socket.on('live-event', (event) => this.#receive(event));
    socket.on('dropped', ({ count }) => (this.dropped += count));
    this.#socket = socket;
    return () => this.stop();
  }

  stop(): void {
    clearTimeout(this.#flush);
    this.#socket?.removeAllListeners();
    this.#socket?.disconnect();
    this.#socket = undefined;
    this.connected = false;
  }

  applyFilter(filter: LiveFilter): void {
    this.filter = filter;
    this.rows = this.rows.filter((event) => matchesLiveFilter(event, filter));
    this.#held = this.#held.filter((event) => matchesLiveFilter(event, filter));
    this.#socket?.emit('filter', filter);
  }

  pause(): void {
    this.paused = true;
    this.arrivedWhilePaused = 0;
  }

  resume(): void {
    this.#drain();
    this.rows = withArrivals(this.rows, this.#held);
    this.#held = [];
    this.arrivedWhilePaused = 0;
    this.paused = false;
  }

  clear(): void {
    this.rows = [];
    this.#held = [];
    this.#arrivals = [];
    this.arrivedWhilePaused = 0;
    this.dropped = 0;
  }

  #receive(event: LiveEvent): void {
    if (!matchesLiveFilter(event, this.filter)) return;
    if (this.paused) {
      this.arrivedWhilePaused += 1;
      this.#held = keepNewest(this.#held, event);
      return;
    }
    this.#arrivals = keepNewest(this.#arrivals, event);
    this.#flush ??= setTimeout(() => this.#drain(), FLUSH_MS);
  }

  #drain(): void {
    clearTimeout(this.#flush);
    this.#flush = undefined;
    if (this.#arrivals.length === 0) return;
    this.rows = withArrivals(this.rows, this.#arrivals);
    this.#arrivals = [];
  }
}

/** Appends in place and trims only now and then, so a burst costs no copy per event. */
function keepNewest(events: LiveEvent[], event: LiveEvent): LiveEvent[] {
  events.push(event);
  return events.length > 2 * LIVE_ROW_LIMIT ? events.slice(-LIVE_ROW_LIMIT) : events;
}
