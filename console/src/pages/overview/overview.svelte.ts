import { api } from '../../lib/api.js';
import { openConsoleSocket, type ConsoleSocket } from '../../lib/console-socket.js';
import { messageOf } from '../../lib/errors.js';
import type { AdminStats } from './admin-stats.js';
import { asCounts, perMinuteSeries, withMinute, type MinutePoint } from './per-minute.js';

/** Cards refresh this often; the chart follows the socket in between. */
const STATS_REFRESH_MS = 30_000;

/**
 * The overview's state: the stats, and the per-minute series that starts from the stats and then
 * follows the `/console` socket's `minute` updates.
 */
export class Overview {
  stats = $state.raw<AdminStats>();
  series = $state.raw<MinutePoint[]>([]);
  error = $state<string>();
  live = $state(false);
  #socket: ConsoleSocket | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;

  /** Loads, subscribes and refreshes until the returned function is called. */
  start(): () => void {
    void this.refresh();
    this.#timer = setInterval(() => void this.refresh(), STATS_REFRESH_MS);
    const socket = openConsoleSocket();
    socket.on('connect', () => (this.live = true));
    socket.on('disconnect', () => (this.live = false));
    socket.on('minute', (update) => {
      this.series = withMinute(this.series, update);
    });
    this.#socket = socket;
    return () => this.stop();
  }

  async refresh(): Promise<void> {
    try {
      const stats = await api.get<AdminStats>('/v1/admin/stats');
      this.stats = stats;
      // Live updates may already hold a newer count than the stats answer: keep the larger.
      this.series = perMinuteSeries([...stats.perMinute, ...asCounts(this.series)]);
      this.error = undefined;
    } catch (error) {
      this.error = messageOf(error);
    }
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#socket?.removeAllListeners();
    this.#socket?.disconnect();
    this.#socket = undefined;
    this.live = false;
  }
}
