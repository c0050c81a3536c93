import { ValidationError } from '../../errors/index.js';

/**
 * Page cursors of DocumentStore searches: the sort values of a page's last hit, its id last, as
 * base64url JSON. Opaque to callers; each adapter puts in the values it needs to resume after
 * that hit (search_after semantics), so a cursor stays valid while documents are written.
 */

export type CursorValue = string | number | boolean | null;

export function encodeCursor(values: readonly CursorValue[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/**
 * The values of a cursor made by {@link encodeCursor}: `length` values, the last one the id.
 * @throws ValidationError when the cursor is damaged or belongs to a query sorted differently.
 */
export function decodeCursor(cursor: string, length: number): CursorValue[] {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    values = undefined;
  }
  const valid =
    Array.isArray(values) &&
    values.length === length &&
    typeof values[length - 1] === 'string' &&
    values.every(
      (value) => value === null || ['string', 'number', 'boolean'].includes(typeof value),
    );
  if (!valid) {
    throw new ValidationError('Invalid search cursor: pass `next` of a page of the same query');
  }
  return values as CursorValue[];
}
