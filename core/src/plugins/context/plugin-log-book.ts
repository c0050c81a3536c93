import type { Logger } from '../../ports/logger.port.js';

export type PluginLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** One line a plugin (or the host about a plugin) wrote. */
export interface PluginLogLine {
  /** ISO timestamp. */
  at: string;
  level: PluginLogLevel;
  message: string;
  fields?: Record<string, unknown>;
}

export interface PluginLogBookOptions {
  /** Lines kept per plugin (default 200). */
  capacity?: number;
  /** Longer messages are cut (default 2,000 characters). */
  maxMessageLength?: number;
  /** Larger fields, as JSON, are replaced by a truncated preview (default 4 KB). */
  maxFieldsLength?: number;
}

const LEVELS: readonly PluginLogLevel[] = ['debug', 'info', 'warn', 'error'];

/**
 * The recent log lines of each plugin, for operators, and each line forwarded to the host's
 * logger as a child with `{ plugin }`. Memory is bounded whatever a plugin writes: a fixed number
 * of lines per plugin, each with a capped message and capped fields.
 *
 * @example
 * const logBook = new PluginLogBook(logger);
 * logBook.record('geo', 'warn', 'database is 40 days old', { builtAt: '2026-10-20' });
 * logBook.lines('geo', { limit: 50, level: 'warn' }); // newest last
 */
export class PluginLogBook {
  readonly #lines = new Map<string, PluginLogLine[]>();
  readonly #loggers = new Map<string, Logger>();
  readonly #capacity: number;
  readonly #maxMessageLength: number;
  readonly #maxFieldsLength: number;

  constructor(
    private readonly logger: Logger,
    options: PluginLogBookOptions = {},
  ) {
    this.#capacity = options.capacity ?? 200;
    this.#maxMessageLength = options.maxMessageLength ?? 2_000;
    this.#maxFieldsLength = options.maxFieldsLength ?? 4_096;
  }

  record(
    plugin: string,
    level: PluginLogLevel,
    message: string,
    fields?: Record<string, unknown>,
  ): void {
    const line: PluginLogLine = {
      at: new Date().toISOString(),
      level: LEVELS.includes(level) ? level : 'info',
      message: cut(String(message), this.#maxMessageLength),
    };
    const kept = fields === undefined ? undefined : this.#capFields(fields);
    if (kept !== undefined) line.fields = kept;
    const lines = this.#lines.get(plugin) ?? [];
    lines.push(line);
    if (lines.length > this.#capacity) lines.splice(0, lines.length - this.#capacity);
    this.#lines.set(plugin, lines);
    // Under `fields`, so a plugin cannot overwrite `plugin`, `level` or `time` in the host's log.
    this.#loggerOf(plugin)[line.level](kept === undefined ? {} : { fields: kept }, line.message);
  }

  /** The plugin's recent lines, newest last; `level` keeps that level and above. */
  lines(plugin: string, options: { limit?: number; level?: PluginLogLevel } = {}): PluginLogLine[] {
    const lines = this.#lines.get(plugin) ?? [];
    const floor = options.level === undefined ? 0 : LEVELS.indexOf(options.level);
    const matching = lines.filter((line) => LEVELS.indexOf(line.level) >= floor);
    const limit = options.limit ?? matching.length;
    return limit <= 0 ? [] : matching.slice(-limit);
  }

  clear(plugin: string): void {
    this.#lines.delete(plugin);
    this.#loggers.delete(plugin);
  }

  #loggerOf(plugin: string): Logger {
    let logger = this.#loggers.get(plugin);
    if (!logger) {
      logger = this.logger.child({ plugin });
      this.#loggers.set(plugin, logger);
    }
    return logger;
  }

  /** Plain JSON data of at most the cap, so later changes by the plugin do not show either. */
  #capFields(fields: unknown): Record<string, unknown> | undefined {
    let json: string | undefined;
    try {
      json = JSON.stringify(fields);
    } catch (error) {
      return { unserialisable: (error as Error).message };
    }
    if (json === undefined || json === '{}') return undefined;
    if (json.length > this.#maxFieldsLength) {
      return { truncated: true, preview: json.slice(0, this.#maxFieldsLength) };
    }
    const copy: unknown = JSON.parse(json);
    return typeof copy === 'object' && copy !== null && !Array.isArray(copy)
      ? (copy as Record<string, unknown>)
      : { value: copy };
  }
}

function cut(text: string, max: number): string {
  return text.length <= max
    ? text
    : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}
