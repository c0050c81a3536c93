import type { ConfigField } from './config-schema-fields.js';

/**
 * A configuration as the form's inputs hold it — text for numbers and JSON, lists of strings —
 * keyed by JSON pointer, and the way back to the configuration object the API takes.
 */

export type DraftValue = string | boolean | string[];
export type Draft = Record<string, DraftValue>;
type Config = Record<string, unknown>;

/** The form's starting values: the stored configuration, else each field's default. */
export function draftOf(fields: readonly ConfigField[], config: Config | undefined): Draft {
  const draft: Draft = {};
  for (const field of fields) fill(field, field.key === '' ? config : config?.[field.key], draft);
  return draft;
}

function fill(field: ConfigField, stored: unknown, draft: Draft): void {
  const value = stored === undefined ? field.default : stored;
  switch (field.kind) {
    case 'object':
      for (const child of field.fields ?? []) fill(child, asObject(value)?.[child.key], draft);
      return;
    case 'boolean':
      draft[field.pointer] = value === true;
      return;
    case 'list':
      draft[field.pointer] = Array.isArray(value) ? value.map(String) : [];
      return;
    case 'choices':
      draft[field.pointer] = Array.isArray(value) ? value.map((item) => JSON.stringify(item)) : [];
      return;
    case 'enum':
      draft[field.pointer] = value === undefined ? '' : JSON.stringify(value);
      return;
    case 'json':
      draft[field.pointer] = value === undefined ? '' : JSON.stringify(value, null, 2);
      return;
    default:
      // text, password and number inputs: a stored value of another type shows as its JSON.
      draft[field.pointer] =
        value === undefined || value === null
          ? ''
          : typeof value === 'string'
            ? value
            : JSON.stringify(value);
  }
}

export interface ConfigResult {
  config: Config;
  /** Inputs that cannot become a value, by pointer. */
  problems: Record<string, string>;
}

/**
 * The configuration to send. Empty inputs are left out, so the schema's defaults apply on the
 * server; keys the schema does not describe are kept as they were stored.
 *
 * @example
 * configOf(configFields(schema), { '/timeoutMs': '5000', '/url': '' }, {});
 * // { config: { timeoutMs: 5000 }, problems: {} }
 */
export function configOf(
  fields: readonly ConfigField[],
  draft: Draft,
  original: Config = {},
): ConfigResult {
  const problems: Record<string, string> = {};
  const root = fields.length === 1 && fields[0]!.key === '' ? fields[0] : undefined;
  if (root) {
    const value = readField(root, draft, problems, undefined);
    if (value !== undefined && !asObject(value))
      problems[''] = 'The configuration must be a JSON object.';
    return { config: asObject(value) ?? {}, problems };
  }
  return { config: readObject(fields, draft, problems, original), problems };
}

function readObject(
  fields: readonly ConfigField[],
  draft: Draft,
  problems: Record<string, string>,
  original: unknown,
): Config {
  const before = asObject(original) ?? {};
  const known = new Set(fields.map((field) => field.key));
  const config: Config = Object.fromEntries(
    Object.entries(before).filter(([key]) => !known.has(key)),
  );
  for (const field of fields) {
    const value = readField(field, draft, problems, before[field.key]);
    if (value !== undefined) config[field.key] = value;
  }
  return config;
}

function readField(
  field: ConfigField,
  draft: Draft,
  problems: Record<string, string>,
  original: unknown,
): unknown {
  const raw = draft[field.pointer];
  const text = typeof raw === 'string' ? raw : '';
  const fail = (message: string) => {
    problems[field.pointer] = message;
    return undefined;
  };
  switch (field.kind) {
    case 'object': {
      const value = readObject(field.fields ?? [], draft, problems, original);
      return Object.keys(value).length === 0 && !field.required ? undefined : value;
    }
    case 'boolean':
      // An unticked box that was never set and has no default stays unset (false is then the
      // plugin's own reading); one that was set, or has a default, is sent as false.
      if (raw === true) return true;
      return original !== undefined || field.default !== undefined || field.required
        ? false
        : undefined;
    case 'text':
    case 'password':
      return text === '' ? undefined : text;
    case 'enum':
      return text === '' ? undefined : JSON.parse(text);
    case 'number': {
      if (text.trim() === '') return undefined;
      const problem = numberProblem(field, Number(text.trim()));
      return problem === undefined ? Number(text.trim()) : fail(problem);
    }
    case 'list':
    case 'choices':
      return readList(field, Array.isArray(raw) ? raw : [], fail);
    case 'json':
      if (text.trim() === '') return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        return fail(`Not valid JSON: ${(error as Error).message}`);
      }
  }
}

function numberProblem(field: ConfigField, value: number): string | undefined {
  if (!Number.isFinite(value)) return 'Must be a number.';
  if (field.integer && !Number.isInteger(value)) return 'Must be a whole number.';
  if (field.minimum !== undefined && value < field.minimum)
    return `Must be at least ${field.minimum}.`;
  if (field.maximum !== undefined && value > field.maximum)
    return `Must be at most ${field.maximum}.`;
  return undefined;
}

function readList(
  field: ConfigField,
  items: string[],
  fail: (message: string) => undefined,
): unknown[] | undefined {
  const filled = items.filter((item) => item.trim() !== '');
  let values: unknown[];
  if (field.kind === 'choices') {
    // In the order the schema lists them, whatever order they were ticked in.
    values = (field.options ?? [])
      .filter((option) => filled.includes(option.value))
      .map((o) => JSON.parse(o.value) as unknown);
  } else if (field.itemType === 'string') {
    values = filled;
  } else {
    const numbers = filled.map((item) => Number(item.trim()));
    if (numbers.some((value) => !Number.isFinite(value)))
      return fail('Every item must be a number.');
    if (field.itemType === 'integer' && numbers.some((value) => !Number.isInteger(value))) {
      return fail('Every item must be a whole number.');
    }
    values = numbers;
  }
  if (values.length > 0) return values;
  // Left out, the default would come back: an emptied list with a default is sent as [] instead.
  return Array.isArray(field.default) && field.default.length > 0 ? [] : undefined;
}

function asObject(value: unknown): Config | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Config)
    : undefined;
}
