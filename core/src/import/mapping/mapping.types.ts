/**
 * How rows of a CSV file become Segment-spec messages. The format is documented with examples in
 * `core/src/import/README.md`; `mapping.schema.ts` is its JSON Schema.
 */
export interface ImportMapping {
  csv?: { delimiter?: string };
  /** Rows matching one of these are counted under their reason and not imported. */
  skip?: SkipRule[];
  /** Fields of each message, keyed by a dotted path: `properties.order_id`. */
  message: FieldMap;
  /** When present, rows with the same key become one message with an array of items. */
  group?: GroupMapping;
}

export interface SkipRule {
  reason: string;
  when: Condition;
}

/** Every named column must pass its test (a logical AND). */
export type Condition = Record<string, ColumnTest>;

export interface ColumnTest {
  /** A regular expression the column's (trimmed) text must match. */
  matches?: string;
  /** `true`: the column must be empty; `false`: it must not be. */
  empty?: boolean;
}

export interface GroupMapping {
  /** The key column. */
  by: string;
  /** Where the items go in the message, a dotted path: `properties.products`. */
  itemsAt: string;
  /** Fields of each item, computed from its row. */
  item: FieldMap;
  /** How many groups may be open at once; see README ("Grouping"). Defaults to 16. */
  maxOpenGroups?: number;
}

export type FieldMap = Record<string, FieldSpec>;

/** One value, or alternatives: the first whose `when` holds and whose value is not empty wins. */
export type FieldSpec = ValueSpec | ValueSpec[];

export type ValueSpec = ColumnValue | ConstValue | TemplateValue | SumValue;

export type ValueType = 'string' | 'number' | 'integer' | 'boolean' | 'date';

interface Conditional {
  when?: Condition;
}

export interface ColumnValue extends Conditional {
  column: string;
  /** Defaults to `string`. Empty text gives no value whatever the type. */
  type?: ValueType;
  /** For `date`: a pattern such as `yyyy-MM-dd HH:mm:ss`; without it, ISO 8601 (UTC if no offset). */
  format?: string;
  /** For a `date` pattern: the IANA zone the local time is in. Defaults to `UTC`. */
  timeZone?: string;
  /** For `number` / `integer`: the absolute value. */
  abs?: boolean;
  /** For `number` / `integer`: write the parsed number as text (`17850.0` → `"17850"`). */
  asString?: boolean;
}

export interface ConstValue extends Conditional {
  const: string | number | boolean;
}

export interface TemplateValue extends Conditional {
  /** Text with `{Column}` placeholders; no value when a placeholder's column is empty. */
  template: string;
}

/** Group messages only: the sum over the items of the product of these item fields. */
export interface SumValue extends Conditional {
  sum: string[];
  /** Decimal places to round the sum to. */
  round?: number;
  abs?: boolean;
}
