import { ApiError } from '../../lib/api.js';
import { messageOf } from '../../lib/errors.js';
import type { SegmentOption } from './builder-context.js';
import type { Condition } from './condition-types.js';
import { problemMessages, splitByField } from './problem.js';
import { segmentsApi, type Segment } from './segments-api.js';

/**
 * One segment being created or edited: its fields, the condition the builder produced, and
 * what the server said about the last save, sorted by the field it is about.
 */
export class SegmentEditorState {
  segment = $state.raw<Segment>();
  name = $state('');
  description = $state('');
  condition = $state.raw<Condition>({ and: [] });
  /** Unfinished inputs in the builder; while there are any, nothing is sent. */
  problems = $state.raw<string[]>([]);
  /** Segments a membership condition may name: every other one. */
  others = $state.raw<SegmentOption[]>([]);
  loaded = $state(false);
  saving = $state(false);
  loadError = $state<string>();
  error = $state<string>();
  /** Said after a successful save. */
  notice = $state<string>();
  errorLines = $state.raw<string[]>([]);
  fieldErrors = $state.raw<Record<string, string[]>>({});
  /** Save errors about the condition, for the builder to place (`and[0].value: …`). */
  conditionErrors = $state.raw<string[]>([]);

  constructor(readonly id: string | undefined) {}

  get isNew(): boolean {
    return this.id === undefined;
  }

  async load(): Promise<void> {
    try {
      const [segment, all] = await Promise.all([
        this.id === undefined ? undefined : segmentsApi.get(this.id),
        segmentsApi.list(),
      ]);
      this.others = all.filter((s) => s.id !== this.id).map(({ id, name }) => ({ id, name }));
      if (segment) {
        this.segment = segment;
        this.name = segment.name;
        this.description = segment.description ?? '';
        this.condition = segment.condition;
      }
    } catch (error) {
      this.loadError = messageOf(error);
    } finally {
      this.loaded = true;
    }
  }

  setCondition(condition: Condition, problems: string[]): void {
    this.condition = condition;
    this.problems = problems;
    // Those errors were about the condition as it was when saved.
    this.conditionErrors = [];
  }

  /** Creates or redefines the segment; the saved segment, or undefined with the errors set. */
  async save(): Promise<Segment | undefined> {
    this.#clearErrors();
    if (this.problems.length > 0) {
      this.error = 'Finish the condition first:';
      this.errorLines = this.problems;
      return undefined;
    }
    const input = {
      name: this.name.trim(),
      ...(this.description.trim() === '' ? {} : { description: this.description.trim() }),
      condition: this.condition,
    };
    this.saving = true;
    try {
      const saved =
        this.id === undefined
          ? await segmentsApi.create(input)
          : await segmentsApi.update(this.id, input);
      this.segment = { ...this.segment, ...saved };
      this.notice = `Saved as version ${saved.version}. Memberships are being recomputed.`;
      return saved;
    } catch (error) {
      this.#showErrors(error);
      return undefined;
    } finally {
      this.saving = false;
    }
  }

  /** Deletes the segment; false with the reason shown when the server refuses. */
  async archive(): Promise<boolean> {
    if (this.id === undefined) return false;
    this.#clearErrors();
    try {
      await segmentsApi.archive(this.id);
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        this.error = 'This segment cannot be archived: another segment uses it.';
        this.errorLines = [`${error.message}. Remove the reference from those segments first.`];
      } else this.error = messageOf(error);
      return false;
    }
  }

  #showErrors(error: unknown): void {
    const messages = problemMessages(error);
    const split = splitByField(messages, ['name', 'description', 'id'], 'condition');
    this.fieldErrors = split.fields;
    this.conditionErrors = split.nested;
    const hasDetails = Object.keys(split.fields).length > 0 || split.nested.length > 0;
    this.error = hasDetails
      ? 'The segment was not saved; see the marked fields.'
      : 'The segment was not saved.';
    this.errorLines = split.other.length > 0 ? split.other : hasDetails ? [] : messages;
  }

  #clearErrors(): void {
    this.notice = undefined;
    this.error = undefined;
    this.errorLines = [];
    this.fieldErrors = {};
    this.conditionErrors = [];
  }
}
