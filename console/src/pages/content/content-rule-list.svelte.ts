import { messageOf } from '../../lib/errors.js';
import { segmentsApi } from '../segments/segments-api.js';
import { contentRulesApi, type ContentRule } from './content-rules-api.js';

/** The content rules, by slot then priority (the order in which they compete). */
export class ContentRuleListState {
  rules = $state.raw<ContentRule[]>([]);
  /** Segment id → name, to show audiences by name. */
  segmentNames = $state.raw<Map<string, string>>(new Map());
  slot = $state('');
  loaded = $state(false);
  error = $state<string>();

  get slots(): string[] {
    return [...new Set(this.rules.map((rule) => rule.slot))].sort();
  }

  get shown(): ContentRule[] {
    return this.slot === '' ? this.rules : this.rules.filter((rule) => rule.slot === this.slot);
  }

  async load(): Promise<void> {
    try {
      const [rules, segments] = await Promise.all([
        contentRulesApi.list(),
        segmentsApi.list().catch(() => []),
      ]);
      this.rules = [...rules].sort(
        (a, b) => a.slot.localeCompare(b.slot) || b.priority - a.priority,
      );
      this.segmentNames = new Map(segments.map((s) => [s.id, s.name]));
      this.error = undefined;
    } catch (error) {
      this.error = messageOf(error);
    } finally {
      this.loaded = true;
    }
  }
}
