import { Ajv, type ErrorObject } from 'ajv';
import type { Condition, ContentRuleInput } from '../domain/content-rules.js';

/** A problem the segment condition checker found, as a message or with the path it concerns. */
export type ConditionProblem = string | { path?: string; message: string };

/**
 * Validates a segment condition AST. Injected so that content rules accept exactly the language
 * segments accept, whichever version of the checker is wired.
 */
export type ConditionCheck = (
  input: unknown,
) => { ok: true; condition: Condition } | { ok: false; errors: readonly ConditionProblem[] };

export type ContentRuleCheck =
  { ok: true; input: ContentRuleInput } | { ok: false; errors: string[] };

/** The largest rule content, serialised: it is pushed to every matching visitor on each change. */
export const MAX_CONTENT_BYTES = 16 * 1024;

const ID_PATTERN = '^[a-zA-Z0-9][a-zA-Z0-9_-]{0,63}$';
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

const ruleSchema = {
  type: 'object',
  required: ['name', 'slot', 'content'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    slot: { type: 'string', pattern: ID_PATTERN },
    segmentId: { type: 'string', pattern: ID_PATTERN },
    condition: { type: 'object' },
    urlPattern: { type: 'string', minLength: 1, maxLength: 500, pattern: '^(/|\\*|http)' },
    content: { type: 'object' },
    priority: { type: 'integer', minimum: -1000, maximum: 1000 },
    startsAt: { type: 'string', format: 'iso-instant' },
    endsAt: { type: 'string', format: 'iso-instant' },
    // What GET answers may be sent back as is; the server sets these itself.
    id: {},
    version: {},
    createdAt: {},
    updatedAt: {},
  },
} as const;

const ajv = new Ajv({ allErrors: true });
ajv.addFormat('iso-instant', {
  type: 'string',
  validate: (value: string) => ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value)),
});
const validateShape = ajv.compile(ruleSchema);

const FRIENDLY: Record<string, string> = {
  'slot/pattern': 'slot must be 1–64 letters, digits, - or _, starting with a letter or digit',
  'segmentId/pattern':
    'segmentId must be 1–64 letters, digits, - or _, starting with a letter or digit',
  'urlPattern/pattern': 'urlPattern must start with /, * or http',
  'startsAt/format': 'startsAt must be an ISO-8601 instant such as 2026-05-01T00:00:00Z',
  'endsAt/format': 'endsAt must be an ISO-8601 instant such as 2026-05-01T00:00:00Z',
};

/**
 * Checks an administrator's rule body and lists every problem at once, so a form can show them
 * all: the JSON Schema (fields, lengths, formats), then what a schema cannot say (one audience at
 * most, content size, startsAt before endsAt, the condition itself).
 *
 * @example
 * const check = contentRuleValidator(checkCondition);
 * check({ name: '', slot: 'hero', content: {} });
 * // { ok: false, errors: ['name must NOT have fewer than 1 characters'] }
 */
export function contentRuleValidator(
  checkCondition: ConditionCheck,
): (body: unknown) => ContentRuleCheck {
  return (body) => {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return { ok: false, errors: ['A content rule is a JSON object'] };
    }
    const input = body as Record<string, unknown>;
    const errors = validateShape(input) ? [] : (validateShape.errors ?? []).map(describe);
    let condition: Condition | undefined;
    if (input.segmentId !== undefined && input.condition !== undefined) {
      errors.push('Give segmentId or condition, not both (neither means everyone)');
    }
    if (isObject(input.condition)) {
      const checked = checkCondition(input.condition);
      if (checked.ok) condition = checked.condition;
      else errors.push(...checked.errors.map(describeConditionProblem));
    }
    if (isObject(input.content)) {
      const bytes = Buffer.byteLength(JSON.stringify(input.content));
      if (bytes > MAX_CONTENT_BYTES) {
        errors.push(`content is ${bytes} bytes once serialised; the limit is ${MAX_CONTENT_BYTES}`);
      }
    }
    const startsAt = instant(input.startsAt);
    const endsAt = instant(input.endsAt);
    if (startsAt !== undefined && endsAt !== undefined && startsAt >= endsAt) {
      errors.push('startsAt must be before endsAt');
    }
    if (errors.length > 0) return { ok: false, errors };
    return { ok: true, input: toInput(input, condition) };
  };
}

function toInput(
  body: Record<string, unknown>,
  condition: Condition | undefined,
): ContentRuleInput {
  const optional = (key: 'segmentId' | 'urlPattern' | 'startsAt' | 'endsAt') =>
    typeof body[key] === 'string' ? { [key]: body[key] } : {};
  return {
    name: body.name as string,
    slot: body.slot as string,
    ...optional('segmentId'),
    ...(condition !== undefined && { condition }),
    ...optional('urlPattern'),
    content: body.content as Record<string, unknown>,
    priority: (body.priority as number | undefined) ?? 0,
    ...optional('startsAt'),
    ...optional('endsAt'),
  };
}

function describe(error: ErrorObject): string {
  const field = error.instancePath.slice(1).replaceAll('/', '.');
  const friendly = FRIENDLY[`${field}/${error.keyword}`];
  if (friendly) return friendly;
  if (error.keyword === 'additionalProperties') {
    const unknown = (error.params as { additionalProperty: string }).additionalProperty;
    return `${unknown} is not a content rule field`;
  }
  if (error.keyword === 'required') {
    return `${(error.params as { missingProperty: string }).missingProperty} is required`;
  }
  return `${field} ${error.message ?? 'is invalid'}`;
}

function describeConditionProblem(problem: ConditionProblem): string {
  if (typeof problem === 'string') return `condition: ${problem}`;
  const path = problem.path ? `.${problem.path.replace(/^[./]+/, '').replaceAll('/', '.')}` : '';
  return `condition${path}: ${problem.message}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function instant(value: unknown): number | undefined {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}
