import { mkdtempSync, readFileSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { IngestResult, IngestionPipeline, IngestionSource } from '../collect/ingestion.js';
import { ImportError } from './import.errors.js';
import { importFile, type ImportRequest } from './importer.js';
import type { ProgressSnapshot } from './report/import-progress.js';
import { RejectedFile } from './report/rejected-file.js';

type Message = Record<string, unknown>;

/**
 * A small pipeline with the contract's shape: it refuses messages without an identity, drops
 * bot events, keeps what it stores, and can be slowed down or made to fail.
 */
class RecordingPipeline implements IngestionPipeline {
  readonly calls: { size: number; source: IngestionSource }[] = [];
  readonly stored = new Map<string, Message>();
  inFlight = 0;
  maxInFlight = 0;

  constructor(private readonly options: { delayMs?: number; failOnCall?: number } = {}) {}

  async ingest(messages: readonly unknown[], source: IngestionSource): Promise<IngestResult> {
    this.calls.push({ size: messages.length, source });
    if (this.calls.length === this.options.failOnCall) throw new Error('store unavailable');
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((resolve) => setTimeout(resolve, this.options.delayMs ?? 0));
    this.inFlight -= 1;
    const result: IngestResult = { accepted: 0, rejected: [], dropped: [] };
    (messages as Message[]).forEach((message, index) => {
      const messageId = String(message.messageId);
      if (message.event === 'Bot Visit') result.dropped.push({ index, messageId, reason: 'bot' });
      else if (!message.userId && !message.anonymousId) {
        result.rejected.push({ index, messageId, reason: 'missing_identity' });
      } else {
        this.stored.set(messageId, message);
        result.accepted += 1;
      }
    });
    return result;
  }
}

const directory = mkdtempSync(join(tmpdir(), 'uspa-importer-'));
const file = (name: string, content: string | Buffer): string => {
  const path = join(directory, name);
  writeFileSync(path, content);
  return path;
};
const ndjson = (messages: unknown[]): string => messages.map((m) => JSON.stringify(m)).join('\n');
const request = (path: string, overrides: Partial<ImportRequest> = {}): ImportRequest => ({
  file: path,
  format: 'ndjson',
  sourceId: 'import',
  rejected: new RejectedFile(`${path}.rejected.ndjson`),
  ...overrides,
});
const readNdjson = (path: string): Message[] =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Message);

describe('importFile', () => {
  it('imports gzipped NDJSON, counting and writing what was refused, with line numbers', async () => {
    const lines = [
      JSON.stringify({ type: 'track', event: 'Signed Up', userId: '42', messageId: 'm-1' }),
      JSON.stringify({ type: 'track', event: 'Bot Visit', anonymousId: 'a-1' }),
      '{"type": "track", "event": ',
      JSON.stringify({ type: 'track', event: 'Orphan' }),
      '',
      JSON.stringify({ type: 'page', name: 'Pricing', anonymousId: 'a-2' }),
    ];
    const path = file('events.ndjson.gz', gzipSync(lines.join('\n')));
    const pipeline = new RecordingPipeline();
    const summary = await importFile(pipeline, request(path));
    expect(summary).toMatchObject({
      format: 'ndjson',
      rowsRead: 5,
      messagesBuilt: 4,
      accepted: 2,
      rejected: { total: 2, byReason: { invalid_json: 1, missing_identity: 1 } },
      dropped: { total: 1, byReason: { bot: 1 } },
      rejectedFile: `${path}.rejected.ndjson`,
    });
    expect(pipeline.calls.map((call) => call.size)).toEqual([4]);
    expect(pipeline.calls[0]?.source).toMatchObject({ sourceId: 'import', channel: 'import' });
    const rejected = readNdjson(`${path}.rejected.ndjson`);
    expect(rejected.map((r) => [r.line, r.reason])).toEqual([
      [3, 'invalid_json'],
      [4, 'missing_identity'],
    ]);
    expect(rejected[1]?.messageId).toMatch(/^import-[0-9a-f]{32}$/);
    expect(rejected[1]?.message).toEqual({
      type: 'track',
      event: 'Orphan',
      messageId: rejected[1]?.messageId,
    });
  });

  it('derives the same messageIds on a second run, so the store keeps one copy', async () => {
    const path = file('again.ndjson', ndjson([{ type: 'track', event: 'A', userId: '1' }]));
    const pipeline = new RecordingPipeline();
    await importFile(pipeline, request(path));
    await importFile(pipeline, request(path));
    expect(pipeline.calls).toHaveLength(2);
    expect(pipeline.stored.size).toBe(1);
    expect(existsSync(`${path}.rejected.ndjson`)).toBe(false);
  });

  it('sends batches of the given size with at most two in flight', async () => {
    const messages = Array.from({ length: 1050 }, (_, i) => ({
      type: 'track',
      event: 'E',
      userId: `${i}`,
    }));
    const path = file('many.ndjson', ndjson(messages));
    const pipeline = new RecordingPipeline({ delayMs: 5 });
    const summary = await importFile(pipeline, request(path, { batchSize: 100 }));
    expect(pipeline.calls.map((call) => call.size)).toEqual([
      ...Array.from({ length: 10 }, () => 100),
      50,
    ]);
    expect(pipeline.maxInFlight).toBe(2);
    expect(summary.accepted).toBe(1050);
  });

  it('reports progress from the bytes of the file read', async () => {
    const path = file('progress.ndjson', ndjson([{ type: 'track', event: 'A', userId: '1' }]));
    const snapshots: ProgressSnapshot[] = [];
    let sample: (() => ProgressSnapshot) | undefined;
    await importFile(new RecordingPipeline(), {
      ...request(path),
      progress: {
        start: (snapshot) => (sample = snapshot),
        stop: () => sample && snapshots.push(sample()),
      },
    });
    expect(snapshots).toEqual([
      expect.objectContaining({
        bytesRead: statSync(path).size,
        totalBytes: statSync(path).size,
        rowsRead: 1,
      }),
    ]);
  });

  it('fails with one clear line on a truncated .gz', async () => {
    const whole = gzipSync(ndjson([{ type: 'track', event: 'A', userId: '1' }]));
    const path = file('truncated.ndjson.gz', whole.subarray(0, whole.length - 8));
    const failure = importFile(new RecordingPipeline(), request(path));
    await expect(failure).rejects.toThrow(ImportError);
    await expect(importFile(new RecordingPipeline(), request(path))).rejects.toThrow(
      `cannot read ${path}: unexpected end of file`,
    );
  });

  it('fails when the pipeline fails, once the batches in flight have settled', async () => {
    const messages = Array.from({ length: 50 }, (_, i) => ({
      type: 'track',
      event: 'E',
      userId: `${i}`,
    }));
    const path = file('failing.ndjson', ndjson(messages));
    const pipeline = new RecordingPipeline({ delayMs: 20, failOnCall: 2 });
    await expect(importFile(pipeline, request(path, { batchSize: 10 }))).rejects.toThrow(
      'store unavailable',
    );
    expect(pipeline.inFlight).toBe(0);
  });
});
