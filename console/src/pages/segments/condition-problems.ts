import { valueArity } from './condition-fields.js';
import {
  listItems,
  type EventModel,
  type NodeModel,
  type PropertyModel,
} from './condition-model.js';
import { MAX_COUNT, MAX_LAST_DAYS } from './condition-types.js';

/**
 * What the builder can tell before asking the server: empty or unparsable inputs. The server
 * checks the rest (regex safety, path rules, bounds in order) and its errors are shown in place.
 * A condition with local problems is neither previewed nor saved.
 */
export type Problems = Map<string, string[]>;

export function problemsOf(root: NodeModel): Problems {
  const problems: Problems = new Map();
  visit(root, problems);
  return problems;
}

/** Every problem as one list, for a summary. */
export function allProblems(problems: Problems): string[] {
  return [...problems.values()].flat();
}

function visit(node: NodeModel, problems: Problems): void {
  const found: string[] = [];
  if (node.kind === 'group') node.children.forEach((child) => visit(child, problems));
  if (node.kind === 'segment' && node.segment.trim() === '') found.push('Pick a segment.');
  if (node.kind === 'property') found.push(...propertyProblems(node, false));
  if (node.kind === 'event') {
    found.push(...eventProblems(node));
    node.where.forEach((part) => {
      const own = propertyProblems(part, true);
      if (own.length > 0) problems.set(part.id, own);
    });
  }
  if (found.length > 0) problems.set(node.id, found);
}

function propertyProblems(node: PropertyModel, inEvent: boolean): string[] {
  const found: string[] = [];
  const field = node.field.trim();
  if (inEvent ? !/^properties\..+/.test(field) : field === '' || field.endsWith('.')) {
    found.push(inEvent ? 'Name the event property.' : 'Choose or type a field.');
  }
  const arity = valueArity(node.op);
  const values =
    arity === 'none'
      ? []
      : arity === 'two'
        ? [node.values[0] ?? '', node.values[1] ?? '']
        : arity === 'list'
          ? listItems(node.values[0])
          : [node.values[0] ?? ''];
  if (arity === 'list' && values.length === 0)
    found.push('List at least one value, separated by commas.');
  // An empty string is a legal value for equals, but almost always an unfinished input.
  if (arity !== 'list' && values.some((value) => value === '')) found.push('Fill in the value.');
  if (
    node.type === 'number' &&
    values.some((value) => value !== '' && !Number.isFinite(Number(value)))
  ) {
    found.push('Values must be numbers.');
  }
  if (node.type === 'boolean' && values.some((value) => value !== 'true' && value !== 'false')) {
    found.push('Choose true or false.');
  }
  return [...new Set(found)];
}

function eventProblems(node: EventModel): string[] {
  const found: string[] = [];
  for (const [label, text] of [
    ['Minimum count', node.min],
    ['Maximum count', node.max],
  ] as const) {
    if (text.trim() !== '' && !isWholeNumber(text, 0, MAX_COUNT)) {
      found.push(`${label} must be a whole number from 0 to ${MAX_COUNT}.`);
    }
  }
  if (node.window === 'lastDays' && !isWholeNumber(node.lastDays, 1, MAX_LAST_DAYS)) {
    found.push(`Days must be a whole number from 1 to ${MAX_LAST_DAYS}.`);
  }
  if (node.window === 'range' && (node.from === '' || node.to === '')) {
    found.push('Pick both dates of the window.');
  }
  return found;
}

function isWholeNumber(text: string, min: number, max: number): boolean {
  const trimmed = text.trim();
  const number = Number(trimmed);
  return /^\d+$/.test(trimmed) && number >= min && number <= max;
}
