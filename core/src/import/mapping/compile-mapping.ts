import { ImportError } from '../import.errors.js';
import { ValueError, compileConversion } from './conversions.js';
import type { Condition, FieldMap, FieldSpec, ImportMapping, ValueSpec } from './mapping.types.js';

/** A CSV record: column name → text. */
export type Row = Readonly<Record<string, string | undefined>>;
type Item = Record<string, unknown>;
type Evaluate = (row: Row, items: readonly Item[]) => unknown;

/** A mapping bound to the columns of one file. */
export interface CompiledMapping {
  /** Why the row is not imported (a skip rule's reason), or `undefined`. */
  skipReason(row: Row): string | undefined;
  /** The group a row belongs to; absent when the mapping does not group. */
  groupKey?: (row: Row) => string;
  /** Builds one message from a row, or from a group's rows. Throws a {@link ValueError}. */
  build(rows: readonly [Row, ...Row[]]): Record<string, unknown>;
}

/**
 * Binds a validated mapping to a file's header. Throws an {@link ImportError} when the mapping
 * names a column the file does not have, before a single row is read.
 *
 * @example
 * const compiled = compileMapping(mapping, ['InvoiceNo', 'StockCode', 'Quantity']);
 */
export function compileMapping(
  mapping: ImportMapping,
  columns: readonly string[],
): CompiledMapping {
  assertColumns(mapping, new Set(columns));
  const skips = (mapping.skip ?? []).map((rule) => ({
    reason: rule.reason,
    applies: compileCondition(rule.when),
  }));
  const message = compileFields(mapping.message);
  const group = mapping.group;
  const item = group ? compileFields(group.item) : undefined;
  const itemsAt = group?.itemsAt.split('.') ?? [];
  return {
    skipReason: (row) => skips.find((rule) => rule.applies(row))?.reason,
    groupKey: group ? (row) => text(row, group.by) : undefined,
    build(rows) {
      const items = item ? rows.map((row, index) => atRow(index, () => item(row, []))) : [];
      const built = message(rows[0], items);
      if (group) setPath(built, itemsAt, items);
      return built;
    },
  };
}

function atRow<T>(index: number, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof ValueError) throw new ValueError(error.message, index);
    throw error;
  }
}

function compileFields(fields: FieldMap): (row: Row, items: readonly Item[]) => Item {
  const compiled = Object.entries(fields).map(([path, field]) => ({
    segments: path.split('.'),
    evaluate: compileField(path, field),
  }));
  return (row, items) => {
    const target: Item = {};
    for (const { segments, evaluate } of compiled) {
      const value = evaluate(row, items);
      if (value !== undefined) setPath(target, segments, value);
    }
    return target;
  };
}

function compileField(path: string, field: FieldSpec): Evaluate {
  const alternatives = [field].flat().map((spec) => ({
    applies: spec.when ? compileCondition(spec.when) : () => true,
    evaluate: compileValue(path, spec),
  }));
  return (row, items) => {
    for (const { applies, evaluate } of alternatives) {
      if (!applies(row)) continue;
      const value = evaluate(row, items);
      if (value !== undefined) return value;
    }
    return undefined;
  };
}

function compileValue(path: string, spec: ValueSpec): Evaluate {
  if ('const' in spec) return () => spec.const;
  if ('template' in spec) return compileTemplate(spec.template);
  if ('sum' in spec) {
    const { sum: factors, round, abs } = spec;
    const scale = 10 ** (round ?? 0);
    return (_row, items) => {
      let total = 0;
      items.forEach((item, index) => {
        let product = 1;
        for (const factor of factors) {
          const value = item[factor];
          if (typeof value !== 'number') {
            throw new ValueError(`${path}: item ${index + 1} has no numeric ${factor}`);
          }
          product *= value;
        }
        total += product;
      });
      if (abs) total = Math.abs(total);
      return round === undefined ? total : Math.round(total * scale) / scale;
    };
  }
  const { column } = spec;
  const convert = compileConversion(spec);
  return (row) => {
    const value = text(row, column);
    if (value === '') return undefined;
    try {
      return convert(value);
    } catch (error) {
      if (error instanceof ValueError) throw new ValueError(`${column}: ${error.message}`);
      throw error;
    }
  };
}

const PLACEHOLDER = /\{([^{}]+)\}/g;

function compileTemplate(template: string): Evaluate {
  const columns = [...template.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
  return (row) => {
    if (columns.some((column) => text(row, column) === '')) return undefined;
    return template.replace(PLACEHOLDER, (_match, column: string) => text(row, column));
  };
}

function compileCondition(when: Condition): (row: Row) => boolean {
  const tests = Object.entries(when).map(([column, test]) => ({
    column,
    empty: test.empty,
    pattern: test.matches === undefined ? undefined : new RegExp(test.matches, 'u'),
  }));
  return (row) =>
    tests.every(({ column, empty, pattern }) => {
      const value = text(row, column);
      return (empty === undefined || (value === '') === empty) && (!pattern || pattern.test(value));
    });
}

/** Exports pad fields with spaces (`"CARD, "`); no mapping has wanted them so far. */
function text(row: Row, column: string): string {
  return row[column]?.trim() ?? '';
}

function setPath(target: Item, segments: readonly string[], value: unknown): void {
  let node = target;
  const last = segments.length - 1;
  for (let index = 0; index < last; index += 1) {
    const segment = segments[index] ?? '';
    const next = node[segment];
    node = typeof next === 'object' && next !== null ? (next as Item) : (node[segment] = {});
  }
  node[segments[last] ?? ''] = value;
}

function assertColumns(mapping: ImportMapping, columns: ReadonlySet<string>): void {
  const named = new Set<string>();
  const fromCondition = (when?: Condition): void =>
    Object.keys(when ?? {}).forEach((column) => named.add(column));
  const fromFields = (fields: FieldMap): void => {
    for (const spec of Object.values(fields).flat()) {
      fromCondition(spec.when);
      if ('column' in spec) named.add(spec.column);
      if ('template' in spec) {
        for (const match of spec.template.matchAll(PLACEHOLDER)) named.add(match[1] ?? '');
      }
    }
  };
  mapping.skip?.forEach((rule) => fromCondition(rule.when));
  fromFields(mapping.message);
  if (mapping.group) {
    named.add(mapping.group.by);
    fromFields(mapping.group.item);
  }
  const missing = [...named].filter((column) => !columns.has(column));
  if (missing.length > 0) {
    throw new ImportError(
      `the mapping names ${missing.map((column) => `"${column}"`).join(', ')}, which the file does not have (its columns: ${[...columns].join(', ')})`,
    );
  }
}
