import { Ajv, type ErrorObject } from 'ajv';
import { readFile } from 'node:fs/promises';
import { ImportError } from '../import.errors.js';
import { compileDatePattern } from './date-pattern.js';
import { mappingSchema } from './mapping.schema.js';
import type { FieldMap, ImportMapping, ValueSpec } from './mapping.types.js';

// strictRequired is off: the `oneOf` of `required` lists names properties declared beside it.
const ajv = new Ajv({ strict: true, strictRequired: false, allowUnionTypes: true });
const validate = ajv.compile<ImportMapping>(mappingSchema);
const RESERVED_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * Reads and validates a mapping file. Throws an {@link ImportError} whose one-line message names
 * the file and the offending place, e.g. `/message/userId/type must be one of …`.
 *
 * @example
 * const mapping = await loadMapping('core/fixtures/online-retail/mapping.json');
 */
export async function loadMapping(file: string): Promise<ImportMapping> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ImportError(`cannot read mapping ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ImportError(`invalid mapping ${file}: ${(error as Error).message}`);
  }
  const problem = checkMapping(parsed);
  if (problem) throw new ImportError(`invalid mapping ${file}: ${problem}`);
  return parsed as ImportMapping;
}

/** The first problem of a would-be mapping, or `undefined` when it is valid. */
export function checkMapping(value: unknown): string | undefined {
  if (!validate(value)) return describe(validate.errors ?? []);
  const mapping = value;
  if (!mapping.message.type) return '/message must map "type" (e.g. {"const": "track"})';
  const itemFields = mapping.group ? Object.keys(mapping.group.item) : undefined;
  return (
    checkFields(mapping.message, '/message', itemFields) ??
    (mapping.group ? checkFields(mapping.group.item, '/group/item', undefined) : undefined) ??
    checkSegments(mapping.group?.itemsAt, '/group/itemsAt') ??
    [...(mapping.skip ?? []).entries()]
      .map(([index, rule]) => checkPatterns(rule.when, `/skip/${index}/when`))
      .find(Boolean)
  );
}

function checkFields(fields: FieldMap, at: string, itemFields?: string[]): string | undefined {
  for (const [path, field] of Object.entries(fields)) {
    const problem =
      checkSegments(path, `${at}/${path}`) ??
      [field]
        .flat()
        .map((spec, index) =>
          checkSpec(spec, `${at}/${path}${Array.isArray(field) ? `/${index}` : ''}`, itemFields),
        )
        .find(Boolean);
    if (problem) return problem;
  }
  return undefined;
}

function checkSpec(spec: ValueSpec, at: string, itemFields?: string[]): string | undefined {
  const typed = 'column' in spec ? (spec.type ?? 'string') : undefined;
  if ('format' in spec || 'timeZone' in spec) {
    if (typed !== 'date') return `${at}: format and timeZone apply to type date only`;
    try {
      if (spec.format) compileDatePattern(spec.format, spec.timeZone ?? 'UTC');
      else if (spec.timeZone) return `${at}: timeZone needs a format`;
    } catch (error) {
      return `${at}: ${(error as Error).message}`;
    }
  }
  if ('asString' in spec && typed !== 'number' && typed !== 'integer') {
    return `${at}: asString applies to type number or integer only`;
  }
  if ('abs' in spec && 'column' in spec && typed !== 'number' && typed !== 'integer') {
    return `${at}: abs applies to type number or integer only`;
  }
  if ('round' in spec && !('sum' in spec)) return `${at}: round applies to sum only`;
  if ('sum' in spec) {
    if (!itemFields) return `${at}: sum needs a group, and is computed on the message only`;
    const unknown = spec.sum.find((field) => !itemFields.includes(field));
    if (unknown) return `${at}: sum names "${unknown}", which is not a field of /group/item`;
  }
  return spec.when ? checkPatterns(spec.when, `${at}/when`) : undefined;
}

function checkPatterns(when: Record<string, { matches?: string }>, at: string): string | undefined {
  for (const [column, test] of Object.entries(when)) {
    if (test.matches === undefined) continue;
    try {
      new RegExp(test.matches, 'u');
    } catch (error) {
      return `${at}/${column}/matches: ${(error as Error).message}`;
    }
  }
  return undefined;
}

function checkSegments(path: string | undefined, at: string): string | undefined {
  const reserved = path?.split('.').find((segment) => RESERVED_SEGMENTS.has(segment));
  return reserved ? `${at}: "${reserved}" cannot be a field name` : undefined;
}

/** Ajv reports every branch of `anyOf`/`oneOf`; the deepest specific error is the useful one. */
function describe(errors: ErrorObject[]): string {
  const depth = (error: ErrorObject): number =>
    error.instancePath.split('/').length * 2 +
    (error.keyword === 'anyOf' || error.keyword === 'type' ? 0 : 1);
  const [error] = [...errors].sort((a, b) => depth(b) - depth(a));
  if (!error) return 'is invalid';
  const at = error.instancePath || '(top level)';
  const params = error.params as Record<string, unknown>;
  // Only field maps constrain their keys.
  if (error.propertyName) return `${at}: "${error.propertyName}" is not a dotted field path`;
  switch (error.keyword) {
    case 'additionalProperties':
      return `${at}: unknown key "${String(params.additionalProperty)}"`;
    case 'oneOf':
      return `${at}: needs exactly one of column, const, template, sum`;
    case 'enum':
      return `${at} must be one of ${(params.allowedValues as string[]).join(', ')}`;
    default:
      return `${at} ${error.message ?? 'is invalid'}`;
  }
}
