import {
  MAX_PAGE_SIZE,
  PROFILE_MAPPING,
  type DocumentFilter,
  type Scalar,
  type SortField,
} from '@uspa/projections';
import { ValidationError } from '../errors/index.js';
import type { ProfileSearch } from './profile-queries.js';

const OPERATORS = ['eq', 'in', 'gt', 'gte', 'lt', 'lte', 'exists', 'missing', 'prefix'] as const;

/**
 * `GET /v1/profiles` query parameters: `q` (text), `filter=<field>:<op>:<value>` (repeatable;
 * ops eq, in (comma-separated), gt, gte, lt, lte, exists, missing, prefix), `sort=<field>:asc|desc`,
 * `size`, `after` (cursor of the previous page).
 *
 * @example
 * GET /v1/profiles?q=ada&filter=geo.country:eq:GB&filter=ecommerce.orders:gte:2&sort=lastSeen:desc
 */
export function parseProfileSearch(query: Record<string, unknown>): ProfileSearch {
  const search: ProfileSearch = {};
  const q = single(query.q, 'q');
  if (q) search.q = q.slice(0, 500);
  const filters = many(query.filter).map(parseFilter);
  if (filters.length === 1) search.filter = filters[0]!;
  else if (filters.length > 1) search.filter = { and: filters };
  const sorts = many(query.sort).map(parseSort);
  if (sorts.length > 0) search.sort = sorts;
  const size = single(query.size, 'size');
  if (size !== undefined) {
    const value = Number(size);
    if (!Number.isInteger(value) || value < 1 || value > MAX_PAGE_SIZE) {
      throw new ValidationError(`size must be an integer from 1 to ${MAX_PAGE_SIZE}`);
    }
    search.size = value;
  }
  const after = single(query.after, 'after');
  if (after) search.after = after;
  return search;
}

function parseFilter(text: string): DocumentFilter {
  const [field = '', op = '', ...rest] = text.split(':');
  const raw = rest.join(':');
  const type = fieldType(field);
  if (!(OPERATORS as readonly string[]).includes(op)) {
    throw new ValidationError(`filter operator must be one of ${OPERATORS.join(', ')}: ${text}`);
  }
  switch (op) {
    case 'exists':
      return { field, exists: true };
    case 'missing':
      return { field, exists: false };
    case 'prefix':
      return { field, prefix: raw };
    case 'in':
      return { field, in: raw.split(',').map((value) => scalar(type, value, field)) };
    case 'eq':
      return { field, eq: scalar(type, raw, field) };
    default:
      return { field, range: { [op]: scalar(type, raw, field) } };
  }
}

function parseSort(text: string): SortField {
  const [field = '', order = 'asc'] = text.split(':');
  fieldType(field);
  if (order !== 'asc' && order !== 'desc')
    throw new ValidationError(`sort order must be asc or desc: ${text}`);
  return { field, order };
}

function fieldType(field: string): string {
  const type = PROFILE_MAPPING.fields[field];
  if (!type || type === 'text') {
    throw new ValidationError(
      `cannot filter or sort on "${field}"; fields: ${Object.keys(PROFILE_MAPPING.fields)
        .filter((name) => PROFILE_MAPPING.fields[name] !== 'text')
        .join(', ')}`,
    );
  }
  return type;
}

function scalar(type: string, raw: string, field: string): Scalar {
  if (type === 'number') {
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value))
      throw new ValidationError(`${field} takes a number, got "${raw}"`);
    return value;
  }
  if (type === 'boolean') return raw === 'true';
  if (type === 'date' && Number.isNaN(Date.parse(raw))) {
    throw new ValidationError(`${field} takes an ISO-8601 date, got "${raw}"`);
  }
  return raw;
}

function single(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ValidationError(`${name} must be given once`);
  return value;
}

function many(value: unknown): string[] {
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  if (!values.every((item): item is string => typeof item === 'string')) {
    throw new ValidationError('filter and sort take strings');
  }
  return values;
}
