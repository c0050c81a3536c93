import { messageOf } from '../../lib/errors.js';
import { segmentsApi, type Segment } from './segments-api.js';

/** The segments with their sizes, filtered by what the operator types. */
export class SegmentListState {
  segments = $state.raw<Segment[]>([]);
  filter = $state('');
  loaded = $state(false);
  error = $state<string>();

  get shown(): Segment[] {
    const needle = this.filter.trim().toLowerCase();
    if (needle === '') return this.segments;
    return this.segments.filter((s) =>
      `${s.name} ${s.id} ${s.description ?? ''}`.toLowerCase().includes(needle),
    );
  }

  async load(): Promise<void> {
    try {
      const segments = await segmentsApi.list();
      this.segments = [...segments].sort((a, b) => a.name.localeCompare(b.name));
      this.error = undefined;
    } catch (error) {
      this.error = messageOf(error);
    } finally {
      this.loaded = true;
    }
  }
}
