import { parse, type Info } from 'csv-parse';
import { pipeline, type Readable } from 'node:stream';
import { ImportError } from '../import.errors.js';
import { compileMapping, type CompiledMapping, type Row } from '../mapping/compile-mapping.js';
import { ValueError } from '../mapping/conversions.js';
import type { ImportMapping } from '../mapping/mapping.types.js';
import { RowGrouper } from '../mapping/row-grouper.js';
import type { ReadCounters, SourceItem } from './source-item.js';

interface NumberedRow {
  row: Row;
  line: number;
}

/** Bounds the memory one malformed record (an unclosed quote) can take. */
const MAX_RECORD_BYTES = 1024 * 1024;
const DEFAULT_MAX_OPEN_GROUPS = 16;

/**
 * Reads a CSV file with a header line and turns its rows into messages with a mapping. Rows a
 * skip rule matches are counted; rows with a wrong number of fields, a value that does not convert
 * or a group key seen after its group was emitted become rejections with their line numbers.
 * Quoting errors end the import: past one, the parser can no longer tell where rows begin.
 *
 * @example
 * for await (const item of csvMessages(stream, mapping, { rows: 0 })) console.log(item.kind);
 */
export async function* csvMessages(
  input: Readable,
  mapping: ImportMapping,
  counters: ReadCounters,
): AsyncGenerator<SourceItem> {
  let compiled: CompiledMapping | undefined;
  const parser = parse({
    // Binding the mapping to the header here reports a missing column before any row is read.
    columns: (header: string[]) => {
      compiled = compileMapping(mapping, header);
      return header;
    },
    delimiter: mapping.csv?.delimiter ?? ',',
    bom: true,
    info: true,
    skip_empty_lines: true,
    relax_column_count: true,
    max_record_size: MAX_RECORD_BYTES,
  });
  pipeline(input, parser, () => undefined);
  const maxOpenGroups = mapping.group?.maxOpenGroups ?? DEFAULT_MAX_OPEN_GROUPS;
  const grouper = new RowGrouper<NumberedRow>(maxOpenGroups);
  for await (const { record, info } of parser as AsyncIterable<{ record: Row; info: Info }>) {
    counters.rows += 1;
    if (!compiled) throw new ImportError('the CSV file has no header line');
    const line = info.lines;
    if ((info as Info & { error?: Error }).error) {
      yield reject([{ row: record, line }], 'wrong_column_count', 'not as many fields as columns');
      continue;
    }
    const reason = compiled.skipReason(record);
    if (reason) {
      yield { kind: 'skipped', line, reason };
      continue;
    }
    if (!compiled.groupKey) {
      yield build(compiled, [{ row: record, line }]);
      continue;
    }
    const key = compiled.groupKey(record);
    if (key === '') {
      yield reject([{ row: record, line }], 'missing_group_key', `${mapping.group?.by} is empty`);
      continue;
    }
    const grouped = grouper.add(key, { row: record, line });
    if (grouped.status === 'late') {
      const detail = `${key} came after its group was imported (more than ${maxOpenGroups} groups apart)`;
      yield reject([{ row: record, line }], 'late_group_row', detail);
      continue;
    }
    for (const group of grouped.closed) yield build(compiled, group.rows);
  }
  if (compiled) for (const group of grouper.flush()) yield build(compiled, group.rows);
}

function build(compiled: CompiledMapping, rows: [NumberedRow, ...NumberedRow[]]): SourceItem {
  const [first, ...rest] = rows;
  try {
    const message = compiled.build([first.row, ...rest.map(({ row }) => row)]);
    return { kind: 'message', line: first.line, message };
  } catch (error) {
    if (!(error instanceof ValueError)) throw error;
    const line = rows[error.rowIndex]?.line ?? first.line;
    return reject(rows, 'invalid_value', `line ${line}: ${error.message}`);
  }
}

function reject(rows: NumberedRow[], reason: string, detail: string): SourceItem {
  return {
    kind: 'rejected',
    line: rows[0]?.line ?? 0,
    reason,
    detail,
    rows: rows.map(({ row }) => row),
  };
}
