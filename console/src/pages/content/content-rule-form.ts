import type { Condition } from '../segments/condition-types.js';
import type { ContentRule, ContentRuleInput } from './content-rules-api.js';

/**
 * The content rule form as text inputs hold it, and the conversions to and from the API's rule.
 * Kept pure so the rules of the form (one audience, content fields merged with extra JSON, local
 * times for the schedule) are tested without a browser.
 */

export type Audience = 'everyone' | 'segment' | 'condition';

/** The content fields with an input of their own; anything else goes in the extra JSON. */
export const CONTENT_FIELDS = ['title', 'body', 'html', 'image', 'link'] as const;
export type ContentField = (typeof CONTENT_FIELDS)[number];

export interface RuleForm {
  name: string;
  slot: string;
  audience: Audience;
  segmentId: string;
  condition: Condition | undefined;
  urlPattern: string;
  content: Record<ContentField, string>;
  /** A JSON object of further content fields, or ''. */
  extra: string;
  priority: string;
  /** `datetime-local` values (the operator's local time), or ''. */
  startsAt: string;
  endsAt: string;
}

export type FormProblems = Partial<
  Record<'segmentId' | 'extra' | 'priority' | 'startsAt' | 'endsAt', string>
>;

export function formFromRule(rule?: ContentRule): RuleForm {
  const content = rule?.content ?? {};
  const named = Object.fromEntries(
    CONTENT_FIELDS.map((field) => [
      field,
      typeof content[field] === 'string' ? content[field] : '',
    ]),
  ) as Record<ContentField, string>;
  // A named field that is not text (an object under `image`, say) stays in the extra JSON.
  const rest = Object.fromEntries(
    Object.entries(content).filter(
      ([key, value]) => !(isContentField(key) && typeof value === 'string'),
    ),
  );
  return {
    name: rule?.name ?? '',
    slot: rule?.slot ?? '',
    audience:
      rule?.segmentId !== undefined
        ? 'segment'
        : rule?.condition !== undefined
          ? 'condition'
          : 'everyone',
    segmentId: rule?.segmentId ?? '',
    condition: rule?.condition,
    urlPattern: rule?.urlPattern ?? '',
    content: named,
    extra: Object.keys(rest).length === 0 ? '' : JSON.stringify(rest, null, 2),
    priority: String(rule?.priority ?? 0),
    startsAt: rule?.startsAt ? toLocalInput(rule.startsAt) : '',
    endsAt: rule?.endsAt ? toLocalInput(rule.endsAt) : '',
  };
}

/**
 * The rule to send, or what to fix first. Empty optional fields are left out; the server checks
 * the rest (slot pattern, URL pattern, size, order of the dates) and its errors name the field.
 *
 * @example
 * ruleFromForm({ ...formFromRule(), name: 'Hero', slot: 'hero', content: { ...empty, title: 'Hi' } });
 * // { ok: true, input: { name: 'Hero', slot: 'hero', content: { title: 'Hi' }, priority: 0 } }
 */
export function ruleFromForm(
  form: RuleForm,
): { ok: true; input: ContentRuleInput } | { ok: false; problems: FormProblems } {
  const problems: FormProblems = {};
  const extra = parseExtra(form.extra);
  if (typeof extra === 'string') problems.extra = extra;
  const named = Object.fromEntries(
    CONTENT_FIELDS.filter((f) => form.content[f] !== '').map((f) => [f, form.content[f]]),
  );
  const repeated =
    typeof extra === 'object' ? Object.keys(named).filter((key) => key in extra) : [];
  if (repeated.length > 0)
    problems.extra = `Extra JSON repeats ${repeated.join(', ')}; fill it in once.`;
  const priority = Number(form.priority.trim() === '' ? '0' : form.priority.trim());
  if (!Number.isInteger(priority) || priority < -1000 || priority > 1000) {
    problems.priority = 'A whole number from −1000 to 1000.';
  }
  if (form.audience === 'segment' && form.segmentId === '')
    problems.segmentId = 'Choose a segment.';
  const startsAt = fromLocalInput(form.startsAt);
  const endsAt = fromLocalInput(form.endsAt);
  if (startsAt === null) problems.startsAt = 'Not a valid date and time.';
  if (endsAt === null) problems.endsAt = 'Not a valid date and time.';
  if (startsAt && endsAt && startsAt >= endsAt)
    problems.endsAt = 'The end must come after the start.';
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return {
    ok: true,
    input: {
      name: form.name.trim(),
      slot: form.slot.trim(),
      ...(form.audience === 'segment' ? { segmentId: form.segmentId } : {}),
      ...(form.audience === 'condition' ? { condition: form.condition ?? { and: [] } } : {}),
      ...(form.urlPattern.trim() === '' ? {} : { urlPattern: form.urlPattern.trim() }),
      content: { ...(extra as Record<string, unknown>), ...named },
      priority,
      ...(startsAt ? { startsAt } : {}),
      ...(endsAt ? { endsAt } : {}),
    },
  };
}

function isContentField(key: string): key is ContentField {
  return (CONTENT_FIELDS as readonly string[]).includes(key);
}

/** The extra fields as an object, or why they are not one. */
function parseExtra(text: string): Record<string, unknown> | string {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
    return 'Extra content must be a JSON object, like {"badge": "new"}.';
  } catch (error) {
    return `Extra content is not valid JSON: ${(error as Error).message}`;
  }
}

/** A `datetime-local` value (local time) as an ISO instant; undefined when empty, null when invalid. */
export function fromLocalInput(value: string): string | undefined | null {
  if (value === '') return undefined;
  const time = new Date(value).getTime();
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/** An ISO instant as a `datetime-local` value in the operator's time zone. */
export function toLocalInput(instant: string): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return '';
  const two = (n: number) => String(n).padStart(2, '0');
  const day = `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
  const seconds = date.getSeconds() === 0 ? '' : `:${two(date.getSeconds())}`;
  return `${day}T${two(date.getHours())}:${two(date.getMinutes())}${seconds}`;
}

/** Whether a rule is in force at `now`, for the list. */
export function scheduleState(
  rule: Pick<ContentRule, 'startsAt' | 'endsAt'>,
  now: number,
): 'active' | 'scheduled' | 'ended' {
  if (rule.startsAt && Date.parse(rule.startsAt) > now) return 'scheduled';
  if (rule.endsAt && Date.parse(rule.endsAt) <= now) return 'ended';
  return 'active';
}
