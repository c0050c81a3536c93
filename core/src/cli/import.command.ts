import { Command, InvalidArgumentError, Option } from 'commander';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { dirname } from 'node:path';
import { MAX_BATCH_MESSAGES, type IngestionPipeline } from '../collect/ingestion.js';
import { openIngestionRuntime } from '../composition/ingestion-runtime.js';
import { loadConfig } from '../config/load-config.js';
import { ImportError } from '../import/import.errors.js';
import { importFile, type ImportFormat } from '../import/importer.js';
import { loadMapping } from '../import/mapping/load-mapping.js';
import type { ImportMapping } from '../import/mapping/mapping.types.js';
import { assertReadableFile } from '../import/read/open-input.js';
import { progressFor } from '../import/report/import-progress.js';
import { formatSummary } from '../import/report/import-summary.js';
import { RejectedFile } from '../import/report/rejected-file.js';

/** The pipeline an import feeds, and how to release what it holds (the store) afterwards. */
export interface OpenedPipeline {
  pipeline: IngestionPipeline;
  close(): Promise<void>;
}

export interface ImportCommandDependencies {
  openPipeline: () => Promise<OpenedPipeline>;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
}

interface ImportOptions {
  format?: ImportFormat;
  mapping?: string;
  source: string;
  batchSize: number;
  rejected?: string;
  json?: boolean;
  progress: boolean;
}

/**
 * `uspa import <file>`: bulk import of NDJSON messages, or of CSV rows through a mapping, into the
 * ingestion pipeline. Exits 0 when the import ran, rejections included; 1 with one line when the
 * file cannot be read or the mapping is wrong.
 */
export function importCommand(dependencies: Partial<ImportCommandDependencies> = {}): Command {
  const {
    openPipeline = openConfiguredPipeline,
    stdout = process.stdout,
    stderr = process.stderr,
  } = dependencies;
  return new Command('import')
    .description('import NDJSON messages, or CSV rows with a mapping (.gz accepted)')
    .argument('<file>', 'the file to import')
    .addOption(
      new Option('--format <format>', 'input format (default: from the file name)').choices([
        'ndjson',
        'csv',
      ]),
    )
    .option('--mapping <file>', 'how CSV rows become messages (see core/src/import/README.md)')
    .option('--source <id>', 'source id the events are stored under', 'import')
    .option('--batch-size <count>', 'messages per pipeline call', toBatchSize, 500)
    .option('--rejected <file>', 'where to write rejections (default: <file>.rejected.ndjson)')
    .option('--json', 'print the summary as JSON')
    .option('--no-progress', 'no progress bar or progress lines')
    .action(async (file: string, options: ImportOptions) => {
      const format = options.format ?? formatOf(file);
      const mapping = await mappingFor(format, options.mapping);
      await assertReadableFile(file);
      const rejectedPath = options.rejected ?? `${file}.rejected.ndjson`;
      await assertWritableDirectory(rejectedPath, options.rejected === undefined);
      const opened = await openPipeline();
      try {
        const summary = await importFile(opened.pipeline, {
          file,
          format,
          mapping,
          sourceId: options.source,
          batchSize: options.batchSize,
          rejected: new RejectedFile(rejectedPath),
          progress: progressFor(stderr, options.progress ? 10_000 : 0),
        });
        stdout.write(options.json ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
      } finally {
        await opened.close();
      }
    });
}

function formatOf(file: string): ImportFormat {
  const name = file.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.ndjson') || name.endsWith('.jsonl')) return 'ndjson';
  throw new ImportError(
    `cannot tell the format of ${file}: name it .ndjson or .csv, or pass --format`,
  );
}

async function mappingFor(format: ImportFormat, file?: string): Promise<ImportMapping | undefined> {
  if (format === 'ndjson') {
    if (file) throw new ImportError('--mapping applies to CSV input; NDJSON holds messages');
    return undefined;
  }
  if (!file) throw new ImportError('a CSV import needs --mapping <file>');
  return loadMapping(file);
}

async function assertWritableDirectory(path: string, isDefault: boolean): Promise<void> {
  try {
    await access(dirname(path), constants.W_OK);
  } catch {
    const hint = isDefault ? '; pass --rejected <file>' : '';
    throw new ImportError(`cannot write rejections to ${path}${hint}`);
  }
}

function toBatchSize(value: string): number {
  const size = Number(value);
  if (!Number.isSafeInteger(size) || size < 1 || size > MAX_BATCH_MESSAGES) {
    throw new InvalidArgumentError(`expected an integer from 1 to ${MAX_BATCH_MESSAGES}`);
  }
  return size;
}

/**
 * The pipeline of the configured store, with the tracking plans and enrichment plugins a running
 * server would apply; logs go to standard error so that `--json` output stays clean.
 */
function openConfiguredPipeline(): Promise<OpenedPipeline> {
  return openIngestionRuntime(loadConfig(process.env), { logDestination: process.stderr });
}
