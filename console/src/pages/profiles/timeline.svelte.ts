import { api, segment } from '../../lib/api.js';
import { messageOf } from '../../lib/errors.js';
import type { TimelineEvent, TimelinePage } from './profile.js';

const PAGE_SIZE = 50;

/** A profile's timeline, newest first, loaded one older page at a time with `before`/`next`. */
export class Timeline {
  events = $state.raw<TimelineEvent[]>([]);
  loading = $state(false);
  error = $state<string>();
  /** True once the oldest event is loaded. */
  finished = $state(false);
  #before: number | undefined;

  constructor(private readonly identifier: string) {}

  get canLoadMore(): boolean {
    return !this.loading && !this.finished && !this.error;
  }

  async more(): Promise<void> {
    if (!this.canLoadMore) return;
    const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (this.#before !== undefined) params.set('before', String(this.#before));
    this.loading = true;
    try {
      const page = await api.get<TimelinePage>(
        `/v1/profiles/${segment(this.identifier)}/events?${params.toString()}`,
      );
      this.events = [...this.events, ...page.events];
      this.#before = page.next;
      this.finished = page.next === undefined;
    } catch (error) {
      this.error = messageOf(error);
    } finally {
      this.loading = false;
    }
  }

  async retry(): Promise<void> {
    this.error = undefined;
    await this.more();
  }
}
