import type { Database, Statement } from 'better-sqlite3';
import { sqlSegmentViewJson, type Document } from '@uspa/projections';
import { indexedValues } from '../shared/document-fields.js';
import type { SqliteCollection } from './sqlite-document-catalog.js';
import { sqlValue } from './sqlite-document-filter.js';

type IndexRow = [f: number, v: string | number];

/** Numbers and strings apart: `1` and `'1'` are different index rows. */
function rowKey(f: number, v: string | number): string {
  return `${f}${typeof v === 'number' ? '#' : '$'}${v}`;
}

/**
 * Upserts and deletes of one collection, keeping its values and text tables in step with the
 * documents. Statements are prepared once per collection: a projection batch runs thousands.
 */
export class SqliteCollectionWriter {
  readonly #collection: SqliteCollection;
  readonly #ridOf: Statement<[string], number>;
  readonly #insert: Statement<[string], number>;
  readonly #delete: Statement<[string], number>;
  readonly #putBody: Statement<[number, string]>;
  readonly #clearBody: Statement<[number]>;
  readonly #clearValues: Statement<[number]>;
  readonly #valuesOf: Statement<[number], [number, string | number]>;
  readonly #addValue: Statement<[number, number, string | number]>;
  readonly #removeValue: Statement<[number, number, string | number]>;
  readonly #textOf?: Statement<[number], string>;
  readonly #clearText?: Statement<[number]>;
  readonly #addText?: Statement<[number, string]>;
  readonly #putView?: { facts: Statement<[number, string]>; activity: Statement<[number, string]> };
  readonly #clearView?: { facts: Statement<[number]>; activity: Statement<[number]> };

  constructor(db: Database, collection: SqliteCollection) {
    this.#collection = collection;
    const { documents, bodies, values, text, views } = collection;
    // A document keeps its rid while it exists, so the rows keyed by it need no id lookups; a
    // delete removes them all with the document.
    this.#ridOf = db
      .prepare<[string], number>(`SELECT rid FROM "${documents}" WHERE id = ?`)
      .pluck();
    this.#insert = db
      .prepare<[string], number>(`INSERT INTO "${documents}" (id) VALUES (?) RETURNING rid`)
      .pluck();
    this.#delete = db
      .prepare<[string], number>(`DELETE FROM "${documents}" WHERE id = ? RETURNING rid`)
      .pluck();
    this.#putBody = db.prepare(
      `INSERT INTO "${bodies}" (rid, body) VALUES (?, ?)
       ON CONFLICT (rid) DO UPDATE SET body = excluded.body`,
    );
    this.#clearBody = db.prepare(`DELETE FROM "${bodies}" WHERE rid = ?`);
    this.#clearValues = db.prepare(`DELETE FROM "${values}" WHERE doc = ?`);
    this.#valuesOf = db
      .prepare<[number], [number, string | number]>(`SELECT f, v FROM "${values}" WHERE doc = ?`)
      .raw(true);
    this.#addValue = db.prepare(`INSERT OR IGNORE INTO "${values}" (doc, f, v) VALUES (?, ?, ?)`);
    this.#removeValue = db.prepare(`DELETE FROM "${values}" WHERE doc = ? AND f = ? AND v = ?`);
    if (text !== undefined) {
      this.#textOf = db
        .prepare<[number], string>(`SELECT words FROM "${text}" WHERE rowid = ?`)
        .pluck();
      this.#clearText = db.prepare(`DELETE FROM "${text}" WHERE rowid = ?`);
      this.#addText = db.prepare(`INSERT INTO "${text}" (rowid, words) VALUES (?, ?)`);
    }
    if (views !== undefined) {
      const put = (table: string) =>
        db.prepare<[number, string]>(
          `INSERT INTO "${table}" (rid, view) VALUES (?, jsonb(?))
           ON CONFLICT (rid) DO UPDATE SET view = excluded.view`,
        );
      const clear = (table: string) => db.prepare<[number]>(`DELETE FROM "${table}" WHERE rid = ?`);
      this.#putView = { facts: put(views.facts), activity: put(views.activity) };
      this.#clearView = { facts: clear(views.facts), activity: clear(views.activity) };
    }
  }

  /**
   * Writes the body and the segment view, and changes only the indexed values and the text that
   * differ from what the document had: a profile update mostly moves counters and dates, and
   * rewriting every index row (and the full-text entry) cost more than the rest of the update.
   */
  upsert(id: string, document: Document): void {
    const existing = this.#ridOf.get(id);
    const rid = existing ?? this.#insert.get(id)!;
    // The segment view lives in its own tables (and is never returned): not in the body too.
    const body =
      this.#putView === undefined
        ? document
        : { ...document, facts: undefined, activity: undefined };
    this.#putBody.run(rid, JSON.stringify(body));
    if (this.#putView !== undefined) {
      const { facts, activity } = sqlSegmentViewJson(document);
      this.#putView.facts.run(rid, facts);
      this.#putView.activity.run(rid, activity);
    }
    const { values, words } = this.#indexed(document);
    // A new document has nothing indexed yet: no need to look (a rebuild writes only new ones).
    this.#replaceValues(rid, values, existing !== undefined);
    this.#replaceText(rid, words, existing !== undefined);
  }

  /** The (field ordinal, value) rows and the words a document is indexed under. */
  #indexed(document: Document): { values: Map<string, IndexRow>; words: string } {
    const values = new Map<string, IndexRow>();
    const words: string[] = [];
    const add = (f: number, v: string | number) => values.set(rowKey(f, v), [f, v]);
    for (const [path, { ordinal, type }] of this.#collection.fields) {
      if (type === 'facts' || type === 'activity') continue;
      const found = indexedValues(document, path, type);
      if (type === 'text') {
        words.push(...(found as string[]));
        // One marker row, so `exists` works on text fields like on the others.
        if (found.length > 0) add(ordinal, '');
      } else {
        for (const value of found) add(ordinal, sqlValue(value));
      }
    }
    return { values, words: words.join('\n') };
  }

  #replaceValues(rid: number, values: Map<string, IndexRow>, existed: boolean): void {
    for (const [f, v] of existed ? this.#valuesOf.all(rid) : []) {
      const key = rowKey(f, v);
      if (values.has(key)) values.delete(key);
      else this.#removeValue.run(rid, f, v);
    }
    for (const [f, v] of values.values()) this.#addValue.run(rid, f, v);
  }

  #replaceText(rid: number, words: string, existed: boolean): void {
    if (this.#textOf === undefined) return;
    const before = existed ? this.#textOf.get(rid) : undefined;
    if (before === words) return;
    if (before !== undefined) this.#clearText?.run(rid);
    if (words.length > 0) this.#addText?.run(rid, words);
  }

  /** Deleting an absent id changes nothing. */
  delete(id: string): void {
    const rid = this.#delete.get(id);
    if (rid === undefined) return;
    this.#clearBody.run(rid);
    this.#clearValues.run(rid);
    this.#clearText?.run(rid);
    this.#clearView?.facts.run(rid);
    this.#clearView?.activity.run(rid);
  }
}
