import { messageOf } from '../../lib/errors.js';
import { segmentsApi, type MembersPage } from './segments-api.js';

export const MEMBERS_PAGE_SIZE = 25;

/**
 * A segment's members, a page at a time. The API pages forward with a cursor (`after`); going
 * back re-asks with the cursor that opened the previous page, kept on a stack.
 */
export class SegmentMembersState {
  page = $state.raw<MembersPage>();
  loading = $state(false);
  error = $state<string>();
  /** The `after` cursor of each page shown so far; the last one opened the current page. */
  #cursors = $state.raw<(string | undefined)[]>([undefined]);

  constructor(private readonly segmentId: string) {}

  get pageNumber(): number {
    return this.#cursors.length;
  }

  get hasPrevious(): boolean {
    return this.#cursors.length > 1;
  }

  get hasNext(): boolean {
    return this.page?.next !== undefined;
  }

  /** Index of the first member of the page, counting from 1. */
  get firstIndex(): number {
    return (this.#cursors.length - 1) * MEMBERS_PAGE_SIZE + 1;
  }

  load(): Promise<void> {
    return this.#show(this.#cursors.at(-1));
  }

  async next(): Promise<void> {
    const after = this.page?.next;
    if (after === undefined) return;
    this.#cursors = [...this.#cursors, after];
    await this.#show(after);
  }

  async previous(): Promise<void> {
    if (!this.hasPrevious) return;
    this.#cursors = this.#cursors.slice(0, -1);
    await this.#show(this.#cursors.at(-1));
  }

  async #show(after: string | undefined): Promise<void> {
    this.loading = true;
    try {
      this.page = await segmentsApi.members(this.segmentId, MEMBERS_PAGE_SIZE, after);
      this.error = undefined;
    } catch (error) {
      this.error = messageOf(error);
    } finally {
      this.loading = false;
    }
  }
}
