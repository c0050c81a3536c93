import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  type CollectionMapping,
  type DocumentWrite,
  type FieldType,
} from '@uspa/projections';
import { NotFoundError, ValidationError } from '../../errors/index.js';
import { checkSegmentViewField } from './document-segment-checks.js';

/**
 * Argument checks shared by the DocumentStore adapters (SQLite, OpenSearch), so a bad call fails
 * the same way, in the same words, on both, and before anything is written.
 */

// OpenSearch index names must be lowercase and may not contain `*`, `,` or spaces; keeping
// collection and alias names to this set also makes a name safe inside a wildcard pattern, so
// `listCollections` and alias swaps can never match someone else's indices.
const NAME = /^[a-z0-9][a-z0-9_-]{0,99}$/;
const NAME_PREFIX = /^[a-z0-9_-]{0,100}$/;
// Dotted paths of plain segments: safe in an OpenSearch mapping and unambiguous to walk. A leading
// `_` is excluded because OpenSearch reserves such names for metadata fields.
const FIELD_PATH = /^[A-Za-z0-9$@][\w$@-]*(\.[A-Za-z0-9$@][\w$@-]*)*$/;
const FIELD_TYPES: ReadonlySet<FieldType> = new Set([
  'keyword',
  'text',
  'number',
  'date',
  'boolean',
  'facts',
  'activity',
]);
/** OpenSearch's `_id` limit, applied by both adapters: an id valid on one is valid on the other. */
const MAX_ID_BYTES = 512;
/** Upper bound of terms buckets: dashboards show tens, never thousands. */
export const MAX_TERMS_SIZE = 1000;
export const DEFAULT_TERMS_SIZE = 10;

/** Whether `name` can name a collection or an alias. */
export function isValidName(name: string): boolean {
  return typeof name === 'string' && NAME.test(name);
}

/** Throws unless `name` can name a collection or an alias. */
export function checkName(name: string, what: 'collection' | 'alias' = 'collection'): void {
  if (!isValidName(name)) {
    throw new ValidationError(
      `Invalid ${what} name ${JSON.stringify(name)}: use 1-100 of a-z, 0-9, _ and -, starting with a letter or digit`,
    );
  }
}

/** Throws unless `prefix` can start a collection name. */
export function checkNamePrefix(prefix: string): void {
  if (typeof prefix !== 'string' || !NAME_PREFIX.test(prefix)) {
    throw new ValidationError(`Invalid collection name prefix ${JSON.stringify(prefix)}`);
  }
}

/** Throws unless every field path and type is valid and no field sits inside another one. */
export function checkMapping(mapping: CollectionMapping): void {
  const paths = Object.keys(mapping.fields);
  for (const path of paths) {
    if (!FIELD_PATH.test(path)) {
      throw new ValidationError(`Invalid field path ${JSON.stringify(path)} in the mapping`);
    }
    if (!FIELD_TYPES.has(mapping.fields[path]!)) {
      throw new ValidationError(
        `Invalid type ${JSON.stringify(mapping.fields[path])} of field ${JSON.stringify(path)}`,
      );
    }
    checkSegmentViewField(path, mapping.fields[path]!);
    // `a` as a value and `a.b` as a field of an object cannot both hold in one document.
    const parent = paths.find((other) => path.startsWith(`${other}.`));
    if (parent !== undefined) {
      throw new ValidationError(
        `Field ${JSON.stringify(path)} lies inside field ${JSON.stringify(parent)}; map only one of them`,
      );
    }
  }
}

/** Throws unless every write is well-formed; called before a batch touches storage. */
export function checkWrites(writes: readonly DocumentWrite[]): void {
  for (const write of writes) {
    checkName(write.collection);
    checkId(write.id);
    if (write.op === 'upsert') {
      const { document } = write;
      if (typeof document !== 'object' || document === null || Array.isArray(document)) {
        throw new ValidationError(`Document ${JSON.stringify(write.id)} must be a JSON object`);
      }
    } else if (write.op !== 'delete') {
      // Unreachable for typed callers; writes also arrive from plugins in plain JavaScript.
      const op: unknown = (write as { op: unknown }).op;
      throw new ValidationError(`Unknown document write op ${JSON.stringify(op)}`);
    }
  }
}

/** Throws unless `id` can identify a document. */
export function checkId(id: string): void {
  if (typeof id !== 'string' || id.length === 0 || Buffer.byteLength(id) > MAX_ID_BYTES) {
    throw new ValidationError(
      `Invalid document id ${JSON.stringify(id)}: a non-empty string of at most ${MAX_ID_BYTES} bytes`,
    );
  }
}

/** The page size a query asks for, checked. */
export function pageSize(size: number | undefined): number {
  return boundedSize(size, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, 'Page size');
}

/** The number of buckets a terms aggregation asks for, checked. */
export function termsSize(size: number | undefined): number {
  return boundedSize(size, DEFAULT_TERMS_SIZE, MAX_TERMS_SIZE, 'Terms size');
}

function boundedSize(size: number | undefined, fallback: number, max: number, what: string) {
  if (size === undefined) return fallback;
  if (!Number.isInteger(size) || size < 1 || size > max) {
    throw new ValidationError(`${what} must be an integer from 1 to ${max}, got ${size}`);
  }
  return size;
}

/** The error for a read, search or write of a collection (or alias) that does not exist. */
export function collectionNotFound(name: string): NotFoundError {
  return new NotFoundError(`Document collection ${JSON.stringify(name)} does not exist`);
}

/** The error for a collection or alias name already used by the other kind (one namespace). */
export function nameTaken(name: string, by: 'collection' | 'alias'): ValidationError {
  const what = by === 'alias' ? 'an alias' : 'a collection';
  return new ValidationError(`The name ${JSON.stringify(name)} already belongs to ${what}`);
}
