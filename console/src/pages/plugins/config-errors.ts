import { escapePointer, type ConfigField } from './config-schema-fields.js';

/** One invalid value as the plugins API reports it: `{ path: '/timeoutMs', message: 'must be >= 100' }`. */
export interface ConfigError {
  path: string;
  message: string;
}

export interface PlacedConfigErrors {
  byPointer: Map<string, string[]>;
  /** Errors about no field the form shows (or about the whole configuration). */
  general: string[];
}

const REQUIRED = /^must have required property '(.+)'$/;

/**
 * Puts each API error next to the field it is about: the field at its path, or the nearest field
 * above it (an item of a list belongs to the list). Ajv reports a missing property on its parent
 * object; it is moved to the property itself.
 *
 * @example
 * placeConfigErrors(fields, [{ path: '/', message: "must have required property 'url'" }]);
 * // byPointer: { '/url': ['Required.'] }
 */
export function placeConfigErrors(
  fields: readonly ConfigField[],
  errors: readonly ConfigError[],
): PlacedConfigErrors {
  const pointers = new Set(pointersOf(fields));
  const byPointer = new Map<string, string[]>();
  const general: string[] = [];
  for (const error of errors) {
    let path = error.path === '/' ? '' : error.path;
    let message = error.message;
    const missing = REQUIRED.exec(message);
    if (missing) {
      path = `${path}/${escapePointer(missing[1]!)}`;
      message = 'Required.';
    }
    const owner = nearest(pointers, path);
    if (owner === undefined) general.push(path === '' ? message : `${path}: ${message}`);
    else byPointer.set(owner, [...(byPointer.get(owner) ?? []), message]);
  }
  return { byPointer, general };
}

function nearest(pointers: Set<string>, path: string): string | undefined {
  for (let candidate = path; ; candidate = candidate.slice(0, candidate.lastIndexOf('/'))) {
    if (pointers.has(candidate)) return candidate;
    if (candidate === '') return undefined;
  }
}

function pointersOf(fields: readonly ConfigField[]): string[] {
  return fields.flatMap((field) => [field.pointer, ...pointersOf(field.fields ?? [])]);
}

/** The `errors` of a problem document, when they are the plugins API's `{ path, message }`. */
export function configErrorsOf(body: unknown): ConfigError[] {
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors.filter(
    (error): error is ConfigError =>
      typeof (error as ConfigError | undefined)?.path === 'string' &&
      typeof (error as ConfigError).message === 'string',
  );
}
