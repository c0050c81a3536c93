import { Ajv, type ErrorObject } from 'ajv';
import type { Condition } from './condition.js';
import { CONDITION_SCHEMA } from './condition-schema.js';
import { at, checkNode } from './condition-rules.js';

/**
 * Checks a condition received from a user (the console, the API, a plugin): its shape against
 * the JSON Schema, then the rules a schema cannot express (`condition-rules.ts`). Errors name
 * where the problem is (`and[1].event.count: min must be ≤ max`) and what to do about it.
 */

export type ConditionCheck = { ok: true; condition: Condition } | { ok: false; errors: string[] };

export const MAX_CONDITION_DEPTH = 10;
export const MAX_CONDITION_NODES = 200;

// strictRequired off: the discriminating `required` lists name keys defined in the branches.
const ajv = new Ajv({
  allErrors: true,
  strict: true,
  strictRequired: false,
  allowUnionTypes: true,
});
const validate = ajv.compile<Condition>(CONDITION_SCHEMA);

/**
 * @example
 * checkCondition({ event: { name: 'Order Completed', count: { min: 3, max: 1 } } });
 * // { ok: false, errors: ['event.count: min must be ≤ max'] }
 */
export function checkCondition(input: unknown): ConditionCheck {
  // Size first: the schema validator recurses, and a deep enough tree would exhaust the stack.
  const size = sizeError(input);
  if (size !== undefined) return { ok: false, errors: [size] };
  if (!validate(input)) {
    const errors = (validate.errors ?? []).flatMap(describe);
    return { ok: false, errors: [...new Set(errors)] };
  }
  const errors: string[] = [];
  checkNode(input, [], errors);
  return errors.length === 0 ? { ok: true, condition: input } : { ok: false, errors };
}

function sizeError(input: unknown): string | undefined {
  const stack: [unknown, number][] = [[input, 1]];
  let nodes = 0;
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (++nodes > MAX_CONDITION_NODES) {
      return `a condition may have at most ${MAX_CONDITION_NODES} parts; split it into segments that refer to each other`;
    }
    if (depth > MAX_CONDITION_DEPTH) {
      return `conditions may nest at most ${MAX_CONDITION_DEPTH} levels deep`;
    }
    const { and, or, not, event } = node as Record<string, unknown>;
    for (const list of [and, or]) {
      if (Array.isArray(list)) for (const child of list) stack.push([child, depth + 1]);
    }
    if (not !== undefined) stack.push([not, depth + 1]);
    const where = (event as { where?: unknown } | undefined)?.where;
    if (Array.isArray(where)) for (const child of where) stack.push([child, depth + 1]);
  }
  return undefined;
}

const NOT_A_CONDITION =
  'must be a condition: an object with one of and, or, not, property, event, segment';

function describe(error: ErrorObject): string[] {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment.replaceAll('~1', '/')));
  const params = error.params as Record<string, unknown>;
  const last = path[path.length - 1];
  switch (error.keyword) {
    case 'if':
      return []; // the failing `then` is reported on its own
    case 'anyOf':
      return [at(path, NOT_A_CONDITION)];
    case 'required':
      // The alternatives of the `anyOf` above: it reports them as one.
      if (error.schemaPath.includes('/anyOf/')) return [];
      return [at(path, `missing "${String(params.missingProperty)}"`)];
    case 'additionalProperties':
      return [at(path, `unknown key "${String(params.additionalProperty)}"`)];
    case 'enum':
      return [at(path, `must be one of ${(params.allowedValues as string[]).join(', ')}`)];
    case 'type':
      if (last === 'value')
        return [at(path, 'must be a string, number, boolean or a list of them')];
      if (params.type === 'object' && !['event', 'count', 'within'].includes(String(last))) {
        return [at(path, NOT_A_CONDITION)];
      }
      return [at(path, `must be ${String(params.type).replaceAll(',', ' or ')}`)];
    case 'minimum':
    case 'maximum':
    case 'minLength':
    case 'maxLength':
    case 'maxItems': {
      const limit = String(params.limit);
      const bound = error.keyword.startsWith('min') ? 'at least' : 'at most';
      const unit = error.keyword.endsWith('Length')
        ? ' characters'
        : error.keyword === 'maxItems'
          ? ' items'
          : '';
      return [at(path, `must be ${bound} ${limit}${unit}`)];
    }
    case 'pattern':
      return [at(path, 'must be an ISO-8601 instant with an offset, like 2025-05-01T00:00:00Z')];
    case 'not':
      return [at(path, 'give either lastDays or from and to, not both')];
    default:
      return [at(path, error.message ?? 'is invalid')];
  }
}
