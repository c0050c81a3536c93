import type { Database, Statement } from 'better-sqlite3';
import type { CollectionMapping, FieldType } from '@uspa/projections';
import { collectionNotFound, nameTaken } from '../shared/document-checks.js';
import { holdsSegmentViews } from '../shared/document-segment-checks.js';

/**
 * The collections and aliases of the SQLite DocumentStore, and the tables behind each collection.
 *
 * Metadata lives in `document_collections` and `document_aliases`; a collection's tables are named
 * after its numeric id, never after its name, so names never need quoting and a dropped name can
 * be created again while old prepared statements still point at the old tables. AUTOINCREMENT
 * keeps ids from ever being reused. Per collection `<n>`:
 *
 * - `document_<n>`: `rid` (the rowid, stable across upserts) and `id`; `document_<n>_bodies`:
 *   `rid` and `body` (the JSON document). Apart, because a search looks up the ids of every
 *   match but the bodies of one page only: in a table of small rows those lookups stay in cache
 *   (ten times faster over 100k profiles than a table holding the bodies).
 * - `document_<n>_values`: one row per indexed value of a mapped field `(doc, f, v)`, `f` being
 *   the field's ordinal. Filters become index range scans on `(f, v, doc)`, array elements match
 *   one by one (as in OpenSearch's inverted index) and terms counts are a covering-index GROUP BY,
 *   where `json_extract` expression indexes could not index array elements. `v` has no declared
 *   type, so numbers stay numbers and keywords stay text.
 * - `document_<n>_text`: FTS5 over the `text` fields, rowid = `rid`. `remove_diacritics 0`, as
 *   OpenSearch's analyzer keeps them too: `zoe` does not find `Zoë` on either.
 * - `document_<n>_facts` and `document_<n>_activity`, for collections holding segment views
 *   (`facts` and `activity` fields): `rid` and `view`, the segment view as JSONB in the layout
 *   conditions compile to (`sqlSegmentViewJson`), its facts and segments in one table and its
 *   activity in the other. Scanning the JSON bodies instead takes seconds per 100k profiles;
 *   apart, a property condition reads a quarter of the bytes it would read with the activity.
 */

const METADATA = `
CREATE TABLE IF NOT EXISTS document_collections (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,
  name    TEXT    NOT NULL UNIQUE,
  mapping TEXT    NOT NULL
);
CREATE TABLE IF NOT EXISTS document_aliases (
  alias      TEXT NOT NULL PRIMARY KEY,
  collection TEXT NOT NULL
) WITHOUT ROWID;
`;

export interface MappedField {
  /** Number of the field in the values table: its position among the sorted field paths. */
  ordinal: number;
  type: FieldType;
}

export interface SqliteCollection {
  id: number;
  name: string;
  mapping: CollectionMapping;
  fields: ReadonlyMap<string, MappedField>;
  documents: string;
  bodies: string;
  values: string;
  /** Absent when no field is mapped as `text`. */
  text?: string;
  /** Absent unless the collection holds segment views. */
  views?: { facts: string; activity: string };
}

interface CollectionRow {
  id: number;
  name: string;
  mapping: string;
}

export class SqliteDocumentCatalog {
  readonly #db: Database;
  // Keyed by id: a collection's mapping never changes, and ids are never reused.
  readonly #collections = new Map<number, SqliteCollection>();
  // Prepared once: every read and write resolves its collection through these.
  readonly #selectRow: Statement<[string], CollectionRow>;
  readonly #selectAlias: Statement<[string], string>;

  constructor(db: Database) {
    this.#db = db;
    db.exec(METADATA);
    this.#selectRow = db.prepare<[string], CollectionRow>(
      'SELECT id, name, mapping FROM document_collections WHERE name = ?',
    );
    this.#selectAlias = db
      .prepare<[string], string>('SELECT collection FROM document_aliases WHERE alias = ?')
      .pluck();
  }

  create(name: string, mapping: CollectionMapping): void {
    if (this.#row(name) !== undefined) return;
    if (this.resolveAlias(name) !== undefined) throw nameTaken(name, 'alias');
    const id = this.#db
      .prepare('INSERT INTO document_collections (name, mapping) VALUES (?, ?) RETURNING id')
      .pluck()
      .get(name, JSON.stringify(mapping)) as number;
    const { documents, bodies, values, text, views } = tablesOf(id, mapping);
    this.#db.exec(`
      CREATE TABLE "${documents}" (
        rid INTEGER PRIMARY KEY,
        id  TEXT    NOT NULL UNIQUE
      );
      CREATE TABLE "${bodies}" (
        rid  INTEGER PRIMARY KEY,
        body TEXT    NOT NULL
      );
      CREATE TABLE "${values}" (
        doc INTEGER NOT NULL,
        f   INTEGER NOT NULL,
        v           NOT NULL,
        PRIMARY KEY (doc, f, v)
      ) WITHOUT ROWID;
      CREATE INDEX "${values}_by_value" ON "${values}" (f, v, doc);
      ${text === undefined ? '' : `CREATE VIRTUAL TABLE "${text}" USING fts5(words, tokenize = 'unicode61 remove_diacritics 0');`}
      ${views === undefined ? '' : `CREATE TABLE "${views.facts}" (rid INTEGER PRIMARY KEY, view BLOB NOT NULL);`}
      ${views === undefined ? '' : `CREATE TABLE "${views.activity}" (rid INTEGER PRIMARY KEY, view BLOB NOT NULL);`}
    `);
  }

  /** Drops the collection and the aliases pointing at it; returns its id, if it existed. */
  drop(name: string): number | undefined {
    const row = this.#row(name);
    if (row === undefined) return undefined;
    const tables = tablesOf(row.id, JSON.parse(row.mapping) as CollectionMapping);
    this.#db.prepare('DELETE FROM document_aliases WHERE collection = ?').run(name);
    this.#db.prepare('DELETE FROM document_collections WHERE id = ?').run(row.id);
    const { views, ...others } = tables;
    for (const table of [...Object.values(others), views?.facts, views?.activity]) {
      if (table !== undefined) this.#db.exec(`DROP TABLE "${table}"`);
    }
    this.#collections.delete(row.id);
    return row.id;
  }

  list(prefix: string): string[] {
    return this.#db
      .prepare(
        'SELECT name FROM document_collections WHERE substr(name, 1, length(@prefix)) = @prefix ORDER BY name',
      )
      .pluck()
      .all({ prefix }) as string[];
  }

  setAlias(alias: string, collection: string): void {
    if (this.#row(collection) === undefined) throw collectionNotFound(collection);
    if (this.#row(alias) !== undefined) throw nameTaken(alias, 'collection');
    this.#db
      .prepare(
        `INSERT INTO document_aliases (alias, collection) VALUES (?, ?)
         ON CONFLICT (alias) DO UPDATE SET collection = excluded.collection`,
      )
      .run(alias, collection);
  }

  resolveAlias(alias: string): string | undefined {
    return this.#selectAlias.get(alias);
  }

  /** The collection named `name`, or the one the alias `name` points at. */
  find(name: string): SqliteCollection | undefined {
    const row = this.#row(this.resolveAlias(name) ?? name);
    if (row === undefined) return undefined;
    let collection = this.#collections.get(row.id);
    if (collection === undefined) {
      collection = toCollection(row);
      this.#collections.set(row.id, collection);
    }
    return collection;
  }

  /** Like {@link find}, for operations that need the collection to exist. */
  get(name: string): SqliteCollection {
    const collection = this.find(name);
    if (collection === undefined) throw collectionNotFound(name);
    return collection;
  }

  #row(name: string): CollectionRow | undefined {
    return this.#selectRow.get(name);
  }
}

function toCollection(row: CollectionRow): SqliteCollection {
  const mapping = JSON.parse(row.mapping) as CollectionMapping;
  const fields = new Map<string, MappedField>(
    Object.keys(mapping.fields)
      .sort()
      .map((path, ordinal) => [path, { ordinal, type: mapping.fields[path]! }]),
  );
  return { id: row.id, name: row.name, mapping, fields, ...tablesOf(row.id, mapping) };
}

function tablesOf(id: number, mapping: CollectionMapping) {
  const hasText = Object.values(mapping.fields).includes('text');
  return {
    documents: `document_${id}`,
    bodies: `document_${id}_bodies`,
    values: `document_${id}_values`,
    text: hasText ? `document_${id}_text` : undefined,
    views: holdsSegmentViews(mapping)
      ? { facts: `document_${id}_facts`, activity: `document_${id}_activity` }
      : undefined,
  };
}
