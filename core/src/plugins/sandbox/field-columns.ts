import type { TrackingEvent } from '@uspa/sdk';

/**
 * A batch's declared fields as columns, for isolated plugins that declare the fields they read:
 * per field path, the value of every event in one JSON string, made once per batch however many
 * plugins read that path. Each isolate builds its narrowed events from the columns of its own
 * paths (see `isolate-fields.ts`), so the host neither narrows nor serialises an event per
 * plugin, and a plugin still receives only the paths it declared.
 *
 * A column is `[values, absent]`: `values[i]` is event `i`'s value at the path (null where it
 * has none); `absent` lists `i, depth` pairs, one per event without a value, `depth` being how
 * many of the path's objects narrowing creates all the same (`eventFields().narrow` creates the
 * objects it walks through before it finds the value missing).
 *
 * @example
 * const columns = new FieldColumns(events);
 * columns.of(['context', 'page', 'url']); // '[["https://…",null],[1,1]]'
 */
export class FieldColumns {
  readonly #made = new Map<string, string>();

  constructor(private readonly events: readonly TrackingEvent[]) {}

  of(path: readonly string[]): string {
    const key = path.join('.');
    let column = this.#made.get(key);
    if (column === undefined) this.#made.set(key, (column = this.#column(path)));
    return column;
  }

  #column(path: readonly string[]): string {
    const values: unknown[] = [];
    const absent: number[] = [];
    const last = path.length - 1;
    for (let i = 0; i < this.events.length; i++) {
      let value: unknown = this.events[i];
      let depth = 0;
      // The walk of `narrow`: each object on the way is one it creates in the narrowed event.
      for (; depth <= last; depth++) {
        if (!isObject(value) || !Object.hasOwn(value, path[depth]!)) break;
        value = value[path[depth]!];
        if (depth < last && !isObject(value)) break;
      }
      // A value of `undefined` crosses as JSON does: not at all, the objects above it kept.
      if (depth > last && value === undefined) depth = last;
      if (depth > last) {
        values.push(value);
      } else {
        values.push(null);
        absent.push(i, depth);
      }
    }
    return JSON.stringify([values, absent]);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
