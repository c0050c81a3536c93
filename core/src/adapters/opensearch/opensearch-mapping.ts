import type { API, Types } from '@opensearch-project/opensearch';
import type { CollectionMapping, FieldType } from '@uspa/projections';
import { KEYWORD_IGNORE_ABOVE, NON_WORD_PATTERN } from '../shared/document-fields.js';

/**
 * How a collection becomes an OpenSearch index. The field options make OpenSearch index exactly
 * what the SQLite adapter indexes (`shared/document-fields.ts`), so both answer alike:
 *
 * - `dynamic: false`: fields outside the mapping are kept in `_source` but never indexed, so
 *   arbitrary profile JSON can neither break the mapping nor grow it without bound.
 * - numbers and dates: `ignore_malformed` (and no coercion of `"12"` to 12): a value of the wrong
 *   type is skipped, as if missing, instead of failing the whole document.
 * - keywords: `ignore_above`, as a keyword term cannot exceed 32 KB.
 * - text: a pattern analyzer splitting on what SQLite's unicode61 tokenizer splits on, then
 *   lowercased; `ada@example.com` is the words `ada`, `example`, `com` on both.
 * - the document id is copied into a keyword field {@link ID_FIELD}, excluded from `_source`,
 *   to break sort ties and page with `search_after`: sorting on `_id` needs fielddata on the heap.
 */

/** The keyword copy of the id; a document key of that name is refused (it would be lost). */
export const ID_FIELD = '__uspa_id';
const ANALYZER = 'uspa_words';

export function indexBody(mapping: CollectionMapping): API.Indices_Create_RequestBody {
  return {
    settings: {
      number_of_shards: 1,
      number_of_replicas: 0,
      analysis: {
        tokenizer: { [ANALYZER]: { type: 'pattern', pattern: NON_WORD_PATTERN } },
        analyzer: { [ANALYZER]: { type: 'custom', tokenizer: ANALYZER, filter: ['lowercase'] } },
      },
    },
    mappings: {
      dynamic: 'false',
      // Segment views are indexed for conditions, not returned: as in the SQLite adapter.
      _source: { excludes: [ID_FIELD, ...segmentViewFields(mapping)] },
      // The mapping as the caller gave it, read back by searches to check and convert fields.
      _meta: { uspa: { fields: mapping.fields } },
      properties: {
        [ID_FIELD]: { type: 'keyword' },
        ...properties(mapping),
      },
    },
  };
}

function segmentViewFields(mapping: CollectionMapping): string[] {
  return Object.entries(mapping.fields)
    .filter(([, type]) => type === 'facts' || type === 'activity')
    .map(([path]) => path);
}

/** The caller's mapping stored in an index by {@link indexBody}, if the index has one. */
export function storedMapping(meta: unknown): CollectionMapping | undefined {
  const uspa = (meta as { uspa?: { fields?: unknown } } | undefined)?.uspa;
  if (typeof uspa?.fields !== 'object' || uspa.fields === null) return undefined;
  return { fields: uspa.fields as Record<string, FieldType> };
}

/** Dotted paths as nested object mappings: `traits.email` → `traits: { properties: { email } }`. */
function properties(mapping: CollectionMapping): Record<string, Types.Common_Mapping.Property> {
  const root: Record<string, Types.Common_Mapping.Property> = {};
  for (const [path, type] of Object.entries(mapping.fields)) {
    const segments = path.split('.');
    const leaf = segments.pop()!;
    let level = root;
    for (const segment of segments) {
      const object = (level[segment] ??= { type: 'object', properties: {} }) as {
        properties: Record<string, Types.Common_Mapping.Property>;
      };
      level = object.properties;
    }
    level[leaf] = FIELD[type];
  }
  return root;
}

/**
 * A segment view's facts: one nested document per fact, so a condition's path and value are
 * matched within the same fact (`segments/condition/segment-view.ts` in projections).
 */
const FACTS: Types.Common_Mapping.Property = {
  type: 'nested',
  properties: {
    p: { type: 'keyword', ignore_above: KEYWORD_IGNORE_ABOVE },
    s: { type: 'keyword', ignore_above: KEYWORD_IGNORE_ABOVE },
    n: { type: 'double' },
    b: { type: 'boolean' },
  },
};

const FIELD: Readonly<Record<FieldType, Types.Common_Mapping.Property>> = {
  keyword: { type: 'keyword', ignore_above: KEYWORD_IGNORE_ABOVE },
  text: { type: 'text', analyzer: ANALYZER },
  number: { type: 'double', coerce: false, ignore_malformed: true },
  date: { type: 'date', ignore_malformed: true },
  boolean: { type: 'boolean' },
  facts: FACTS,
  // Activity entries, each with its own nested facts: an event condition counts entries.
  activity: {
    type: 'nested',
    properties: {
      t: { type: 'keyword', ignore_above: KEYWORD_IGNORE_ABOVE },
      e: { type: 'keyword', ignore_above: KEYWORD_IGNORE_ABOVE },
      at: { type: 'long' },
      facts: FACTS,
    },
  },
};
