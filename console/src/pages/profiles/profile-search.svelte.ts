import { api } from '../../lib/api.js';
import { messageOf } from '../../lib/errors.js';
import type { ProfileHit, ProfileSearchPage } from './profile.js';

const PAGE_SIZE = 25;

/** Results of `GET /v1/profiles` for one query, page after page. */
export class ProfileSearch {
  hits = $state.raw<ProfileHit[]>([]);
  total = $state<number>();
  next = $state<string>();
  loading = $state(false);
  error = $state<string>();
  #query = '';
  #generation = 0;

  /** Starts over with a new query; an answer to an older query is ignored. */
  async run(query: string): Promise<void> {
    this.#query = query;
    this.hits = [];
    this.total = undefined;
    this.next = undefined;
    await this.#load();
  }

  async more(): Promise<void> {
    if (this.next !== undefined && !this.loading) await this.#load(this.next);
  }

  async #load(after?: string): Promise<void> {
    const generation = ++this.#generation;
    const params = new URLSearchParams({ size: String(PAGE_SIZE) });
    if (this.#query) params.set('q', this.#query);
    if (after) params.set('after', after);
    this.loading = true;
    this.error = undefined;
    try {
      const page = await api.get<ProfileSearchPage>(`/v1/profiles?${params.toString()}`);
      if (generation !== this.#generation) return;
      this.hits = after ? [...this.hits, ...page.hits] : page.hits;
      this.total = page.total;
      this.next = page.next;
    } catch (error) {
      if (generation === this.#generation) this.error = messageOf(error);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }
}
