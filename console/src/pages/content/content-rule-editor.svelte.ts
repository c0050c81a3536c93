import { messageOf } from '../../lib/errors.js';
import type { SegmentOption } from '../segments/builder-context.js';
import type { Condition } from '../segments/condition-types.js';
import { problemMessages, splitByField } from '../segments/problem.js';
import { segmentsApi } from '../segments/segments-api.js';
import { formFromRule, ruleFromForm, type RuleForm } from './content-rule-form.js';
import { contentRulesApi, type ContentRule } from './content-rules-api.js';

/** The rule's own fields, as the server's messages start with them. */
const RULE_FIELDS = [
  'name',
  'slot',
  'segmentId',
  'urlPattern',
  'content',
  'priority',
  'startsAt',
  'endsAt',
];

/**
 * One content rule being created or edited: the form, the segments to pick an audience from,
 * and every problem sorted by the field it is about (found here or by the server).
 */
export class ContentRuleEditorState {
  rule = $state.raw<ContentRule>();
  form = $state<RuleForm>(formFromRule());
  segments = $state.raw<SegmentOption[]>([]);
  /** Unfinished inputs of the inline condition. */
  conditionProblems = $state.raw<string[]>([]);
  loaded = $state(false);
  saving = $state(false);
  loadError = $state<string>();
  error = $state<string>();
  /** Said after a successful save. */
  notice = $state<string>();
  errorLines = $state.raw<string[]>([]);
  fieldErrors = $state.raw<Record<string, string[]>>({});
  conditionErrors = $state.raw<string[]>([]);

  constructor(readonly id: string | undefined) {}

  get isNew(): boolean {
    return this.id === undefined;
  }

  async load(): Promise<void> {
    try {
      const [rule, segments] = await Promise.all([
        this.id === undefined ? undefined : contentRulesApi.get(this.id),
        // The picker is a convenience: without segments the rule can still be edited.
        segmentsApi.list().catch(() => []),
      ]);
      this.segments = segments.map(({ id, name }) => ({ id, name }));
      if (rule) {
        this.rule = rule;
        this.form = formFromRule(rule);
      }
    } catch (error) {
      this.loadError = messageOf(error);
    } finally {
      this.loaded = true;
    }
  }

  setCondition(condition: Condition, problems: string[]): void {
    this.form.condition = condition;
    this.conditionProblems = problems;
    this.conditionErrors = [];
  }

  async save(): Promise<ContentRule | undefined> {
    this.#clearErrors();
    const checked = ruleFromForm(this.form);
    const local = checked.ok ? {} : checked.problems;
    const unfinished = this.form.audience === 'condition' && this.conditionProblems.length > 0;
    if (!checked.ok || unfinished) {
      this.fieldErrors = Object.fromEntries(
        Object.entries(local).map(([field, text]) => [field, [text]]),
      );
      this.error = 'The rule was not saved; see the marked fields.';
      if (unfinished) this.errorLines = ['Finish the audience condition first.'];
      return undefined;
    }
    this.saving = true;
    try {
      const saved =
        this.id === undefined
          ? await contentRulesApi.create(checked.input)
          : await contentRulesApi.update(this.id, checked.input);
      this.rule = saved;
      this.notice = `Saved as version ${saved.version}.`;
      return saved;
    } catch (error) {
      const split = splitByField(problemMessages(error), RULE_FIELDS, 'condition');
      this.fieldErrors = split.fields;
      this.conditionErrors = split.nested;
      this.error = 'The rule was not saved.';
      this.errorLines = split.other;
      return undefined;
    } finally {
      this.saving = false;
    }
  }

  async remove(): Promise<boolean> {
    if (this.id === undefined) return false;
    this.#clearErrors();
    try {
      await contentRulesApi.remove(this.id);
      return true;
    } catch (error) {
      this.error = messageOf(error);
      return false;
    }
  }

  #clearErrors(): void {
    this.notice = undefined;
    this.error = undefined;
    this.errorLines = [];
    this.fieldErrors = {};
    this.conditionErrors = [];
  }
}
