/** What a reader makes of the input: messages to ingest, and rows it could not or would not use. */
export type SourceItem =
  | { kind: 'message'; line: number; message: Record<string, unknown> }
  | {
      kind: 'rejected';
      line: number;
      reason: string;
      detail: string;
      /** The CSV records the would-be message came from. */
      rows?: readonly unknown[];
      /** The NDJSON line, cut to a readable length. */
      raw?: string;
    }
  /** A row a mapping rule excluded on purpose (counted, not written anywhere). */
  | { kind: 'skipped'; line: number; reason: string };

/** Counts the reader keeps up to date while it reads; progress reporting samples them. */
export interface ReadCounters {
  /** Non-empty NDJSON lines, or CSV records (the header excluded). */
  rows: number;
}
