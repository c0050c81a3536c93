import type { Condition, EventCondition, PropertyCondition, Scalar } from './condition.js';
import { MAX_CONDITION_STRING, MAX_LIST_LENGTH } from './condition-schema.js';
import { compareText, isQuotableLabel } from './condition-values.js';
import { checkRegex } from './regex-translation.js';
import { FACT_ROOTS, isStorable } from './segment-view.js';

/**
 * The rules of the language that its JSON Schema cannot express, checked on a condition of the
 * right shape. Each error names its place (`and[0].value`) and says what would be accepted.
 */

type Path = (string | number)[];

const SCALAR_ROOTS = new Set(['firstSeen', 'lastSeen', 'groups', 'identifiers']);
const OBJECT_ROOTS = FACT_ROOTS.filter((root) => !SCALAR_ROOTS.has(root));

/** Appends the errors of `node` (at `path`) and of its parts to `errors`. */
export function checkNode(node: Condition, path: Path, errors: string[]): void {
  if ('and' in node) node.and.forEach((part, i) => checkNode(part, [...path, 'and', i], errors));
  else if ('or' in node) node.or.forEach((part, i) => checkNode(part, [...path, 'or', i], errors));
  else if ('not' in node) checkNode(node.not, [...path, 'not'], errors);
  else if ('segment' in node) checkText(node.segment, [...path, 'segment'], errors);
  else if ('event' in node) checkEvent(node, [...path, 'event'], errors);
  else checkProperty(node, path, false, errors);
}

function checkEvent({ event }: EventCondition, path: Path, errors: string[]): void {
  if (event.type !== undefined) checkText(event.type, [...path, 'type'], errors);
  if (event.name !== undefined) checkText(event.name, [...path, 'name'], errors);
  event.where?.forEach((part, i) => checkProperty(part, [...path, 'where', i], true, errors));
  const { min, max } = event.count ?? {};
  if (min !== undefined && max !== undefined && min > max) {
    errors.push(at([...path, 'count'], 'min must be ≤ max'));
  }
  const within = event.within;
  if (within !== undefined && 'from' in within) {
    const from = Date.parse(within.from);
    const to = Date.parse(within.to);
    if (Number.isNaN(from)) errors.push(at([...path, 'within', 'from'], 'is not a valid date'));
    if (Number.isNaN(to)) errors.push(at([...path, 'within', 'to'], 'is not a valid date'));
    if (from > to) errors.push(at([...path, 'within'], 'from must not be after to'));
  }
}

function checkProperty(node: PropertyCondition, path: Path, inEvent: boolean, errors: string[]) {
  const property = node.property;
  const here = (key: string) => [...path, key];
  // A path is embedded in SQLite JSON paths as a quoted label.
  if (!isQuotableLabel(property) || !isStorable(property)) {
    errors.push(at(here('property'), 'may not contain ", \\ or control characters'));
  } else if (inEvent && !/^properties\..+/.test(property)) {
    errors.push(at(here('property'), 'event properties are named properties.<name>'));
  } else if (!inEvent && !isProfilePath(property)) {
    errors.push(
      at(
        here('property'),
        `must start with ${OBJECT_ROOTS.map((root) => `${root}.`).join(', ')} or be one of ${[...SCALAR_ROOTS].join(', ')}`,
      ),
    );
  }
  const problem = valueProblem(node);
  if (problem !== undefined) errors.push(at(here('value'), problem));
}

function isProfilePath(property: string): boolean {
  if (SCALAR_ROOTS.has(property)) return true;
  const dot = property.indexOf('.');
  return (
    dot > 0 &&
    dot < property.length - 1 &&
    OBJECT_ROOTS.some((root) => root === property.slice(0, dot))
  );
}

/** What is wrong with the value for the operator, if anything. */
function valueProblem({ op, value }: PropertyCondition): string | undefined {
  const list = Array.isArray(value) ? value : undefined;
  const scalar = Array.isArray(value) ? undefined : value;
  switch (op) {
    case 'exists':
    case 'missing':
      return value === undefined ? undefined : `${op} takes no value`;
    case 'equals':
    case 'notEquals':
      return scalar === undefined
        ? `${op} needs a string, number or boolean`
        : scalarProblem(scalar);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      if (typeof scalar !== 'number' && typeof scalar !== 'string') {
        return `${op} needs a number or a string (ISO-8601 times compare as strings)`;
      }
      return scalarProblem(scalar);
    case 'between': {
      const [low, high] = list ?? [];
      const sameType =
        typeof low === typeof high && (typeof low === 'number' || typeof low === 'string');
      if (list?.length !== 2 || !sameType)
        return 'between needs [low, high]: two numbers or two strings';
      const problem = scalarProblem(low) ?? scalarProblem(high!);
      if (problem !== undefined) return problem;
      const inOrder =
        typeof low === 'number' ? low <= (high as number) : compareText(low, high as string) <= 0;
      return inOrder ? undefined : 'between needs low ≤ high';
    }
    case 'contains':
    case 'startsWith':
    case 'endsWith':
      if (typeof scalar !== 'string' || scalar === '') return `${op} needs a non-empty string`;
      return scalarProblem(scalar);
    case 'in':
    case 'notIn':
      if (list === undefined || list.length === 0 || list.length > MAX_LIST_LENGTH) {
        return `${op} needs a list of 1 to ${MAX_LIST_LENGTH} values`;
      }
      return list.map(scalarProblem).find((problem) => problem !== undefined);
    case 'matchesRegex':
      if (typeof scalar !== 'string') return 'matchesRegex needs a pattern (a string)';
      return regexProblem(scalar);
  }
}

function regexProblem(pattern: string): string | undefined {
  if (!isStorable(pattern)) return 'the pattern may not contain NUL or lone surrogates';
  const refused = checkRegex(pattern);
  return refused === undefined ? undefined : `unsupported pattern: ${refused}`;
}

function scalarProblem(value: Scalar): string | undefined {
  if (typeof value === 'number')
    return Number.isFinite(value) ? undefined : 'numbers must be finite';
  if (typeof value !== 'string') return undefined;
  if (value.length > MAX_CONDITION_STRING)
    return `strings are at most ${MAX_CONDITION_STRING} characters`;
  return isStorable(value) ? undefined : 'strings may not contain NUL or lone surrogates';
}

function checkText(value: string, path: Path, errors: string[]): void {
  if (!isStorable(value)) errors.push(at(path, 'may not contain NUL or lone surrogates'));
}

/**
 * Prefixes a message with where it applies, `and[1].event.count: …`; nothing for the root.
 * @example
 * at(['and', 1, 'event', 'count'], 'min must be ≤ max'); // 'and[1].event.count: min must be ≤ max'
 */
export function at(path: readonly (string | number)[], message: string): string {
  const text = path
    .map((segment, i) =>
      typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`,
    )
    .join('');
  return text === '' ? message : `${text}: ${message}`;
}
