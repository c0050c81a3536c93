import type { CollectionMapping, Document, FieldType, Scalar } from '@uspa/projections';
import { ValidationError } from '../../errors/index.js';
import { parseDate } from './document-dates.js';

/**
 * What the DocumentStore adapters index of a mapped field, and how a filter may use it. The SQLite
 * adapter indexes exactly what these functions return; the OpenSearch mapping is configured to
 * index the same (see `opensearch-mapping.ts`), so both adapters agree on every match.
 */

/** A value as indexed: keyword strings, numbers, epoch milliseconds for dates, booleans. */
export type IndexedValue = string | number | boolean;

/** Keyword values longer than this are stored but not indexed (OpenSearch `ignore_above`). */
export const KEYWORD_IGNORE_ABOVE = 4096;

/** What a query does with a field; each use allows some field types only. */
export type FieldUse = 'eq' | 'in' | 'range' | 'exists' | 'prefix' | 'sort' | 'terms';

const ALLOWED: Readonly<Record<FieldUse, readonly FieldType[]>> = {
  eq: ['keyword', 'number', 'date', 'boolean'],
  in: ['keyword', 'number', 'date', 'boolean'],
  range: ['keyword', 'number', 'date'],
  exists: ['keyword', 'text', 'number', 'date', 'boolean'],
  prefix: ['keyword'],
  sort: ['keyword', 'number', 'date', 'boolean'],
  terms: ['keyword', 'number', 'boolean'],
};

/**
 * The type of `field` in `mapping`, after checking that `use` may be applied to it.
 * @throws ValidationError naming the field and the collection when it is unmapped or unfit.
 */
export function fieldType(
  mapping: CollectionMapping,
  field: string,
  use: FieldUse,
  collection: string,
): FieldType {
  const type = Object.hasOwn(mapping.fields, field) ? mapping.fields[field] : undefined;
  if (type === undefined) {
    throw new ValidationError(
      `Field ${JSON.stringify(field)} is not mapped in collection ${JSON.stringify(collection)}`,
    );
  }
  if (!ALLOWED[use].includes(type)) {
    const hint = type === 'text' ? ' (search text fields with `text`)' : '';
    throw new ValidationError(
      `Field ${JSON.stringify(field)} is a ${type} field: ${use} needs one of ${ALLOWED[use].join(', ')}${hint}`,
    );
  }
  return type;
}

/**
 * A filter's value converted the way the field's values are indexed.
 * @throws ValidationError when the value cannot be compared with that field.
 */
export function filterValue(type: FieldType, value: Scalar, field: string): IndexedValue {
  const converted = COMPARABLE[type](value) ? indexedValue(type, value) : undefined;
  if (converted === undefined) {
    throw new ValidationError(
      `Field ${JSON.stringify(field)} is a ${type} field; cannot compare it with ${JSON.stringify(value)}`,
    );
  }
  return converted;
}

const COMPARABLE: Readonly<Record<FieldType, (value: Scalar) => boolean>> = {
  // Numbers and booleans compare with keywords as their JSON text, as OpenSearch does.
  keyword: () => true,
  number: (value) => typeof value === 'number',
  date: (value) => typeof value === 'string' || typeof value === 'number',
  boolean: (value) => typeof value === 'boolean',
  text: () => false,
  facts: () => false,
  activity: () => false,
};

/** The indexed values of a field of a document: every element of arrays, duplicates once. */
export function indexedValues(document: Document, path: string, type: FieldType): IndexedValue[] {
  const values = new Set<IndexedValue>();
  for (const raw of rawValues(document, path)) {
    const value = indexedValue(type, raw);
    if (value !== undefined) values.add(value);
  }
  return [...values];
}

/**
 * One raw value as indexed, or undefined when the field type ignores it. Mirrors OpenSearch:
 * keywords take numbers and booleans as their JSON text; numbers refuse strings (`coerce: false`,
 * `ignore_malformed`); dates are ISO-8601 strings or epoch milliseconds; booleans accept the
 * strings `"true"`, `"false"` and `""`.
 */
function indexedValue(type: FieldType, raw: unknown): IndexedValue | undefined {
  switch (type) {
    case 'keyword':
    case 'text': {
      const text = typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : raw;
      if (typeof text !== 'string') return undefined;
      return type === 'keyword' && text.length > KEYWORD_IGNORE_ABOVE ? undefined : text;
    }
    case 'number':
      return typeof raw === 'number' && Number.isFinite(raw) ? raw : undefined;
    case 'date':
      return typeof raw === 'string' || typeof raw === 'number' ? parseDate(raw) : undefined;
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true') return true;
      return raw === 'false' || raw === '' ? false : undefined;
    case 'facts':
    case 'activity':
      // The segment view is read by conditions (`document-segment-checks.ts`), not by filters.
      return undefined;
  }
}

/**
 * The values at a dotted path. Arrays are walked through at every level, as OpenSearch flattens
 * them: `items.sku` of `{ items: [{ sku: 'a' }, { sku: 'b' }] }` is `['a', 'b']`. A walk, not
 * `flat()` per level: this runs for every mapped field of every document written.
 */
function rawValues(document: Document, path: string): unknown[] {
  const found: unknown[] = [];
  collect(document, segmentsOf(path), 0, found);
  return found;
}

function collect(value: unknown, segments: readonly string[], at: number, found: unknown[]): void {
  if (Array.isArray(value)) {
    for (const item of value) collect(item, segments, at, found);
    return;
  }
  if (at === segments.length) {
    if (value !== null && value !== undefined) found.push(value);
    return;
  }
  const segment = segments[at]!;
  if (typeof value === 'object' && value !== null && Object.hasOwn(value, segment)) {
    collect((value as Record<string, unknown>)[segment], segments, at + 1, found);
  }
}

/** Mapped paths are few and used for every document: split each once. */
const SEGMENTS = new Map<string, readonly string[]>();

function segmentsOf(path: string): readonly string[] {
  let segments = SEGMENTS.get(path);
  if (segments === undefined) {
    segments = path.split('.');
    if (SEGMENTS.size < 10_000) SEGMENTS.set(path, segments);
  }
  return segments;
}

// Token characters of SQLite's unicode61 tokenizer (letters, numbers, marks, private use); the
// OpenSearch `uspa_words` analyzer splits on everything else, so words mean the same on both.
const WORD = /[\p{L}\p{N}\p{M}\p{Co}]+/gu;
/** The same class as a Java regex, for the OpenSearch pattern tokenizer. */
export const NON_WORD_PATTERN = '[^\\p{L}\\p{N}\\p{M}\\p{Co}]+';

/** The words of a text query; punctuation and symbols separate words and never carry syntax. */
export function searchWords(text: string): string[] {
  return text.match(WORD) ?? [];
}
