/**
 * The form a plugin's configuration JSON Schema asks for: one field per property, each of a kind
 * the form knows how to render. Whatever it cannot render (`oneOf`, `$ref`, maps, arrays of
 * objects…) becomes a JSON text field for that property alone, so every schema stays editable.
 */

export type JsonSchema = Record<string, unknown>;

export type ConfigFieldKind =
  'text' | 'password' | 'number' | 'boolean' | 'enum' | 'list' | 'choices' | 'object' | 'json';

export interface ConfigOption {
  /** The option's JSON, so `1` and `"1"` stay apart in a select. */
  value: string;
  label: string;
}

export interface ConfigField {
  /** Property name; '' for a whole configuration edited as JSON. */
  key: string;
  /** JSON pointer of the value (`/auth/token`), as the API names invalid fields. */
  pointer: string;
  label: string;
  description?: string;
  required: boolean;
  kind: ConfigFieldKind;
  default?: unknown;
  /** `number`: whole numbers only, and bounds. */
  integer?: boolean;
  minimum?: number;
  maximum?: number;
  /** `text`: the input type for a known string format. */
  inputType?: 'text' | 'url' | 'email';
  /** `enum` and `choices`. */
  options?: ConfigOption[];
  /** `list`: the type of each item. */
  itemType?: 'string' | 'number' | 'integer';
  /** `object`: its properties. */
  fields?: ConfigField[];
}

/**
 * The fields of a configuration schema; a schema without properties is edited as one JSON text.
 * @example
 * configFields({ type: 'object', properties: { url: { type: 'string' } }, required: ['url'] });
 * // [{ key: 'url', pointer: '/url', label: 'url', required: true, kind: 'text', inputType: 'text' }]
 */
export function configFields(schema: JsonSchema | undefined): ConfigField[] {
  if (schema && kindOf(schema) === 'object') return propertiesOf(schema, '');
  return [{ key: '', pointer: '', label: 'Configuration (JSON)', required: false, kind: 'json' }];
}

function propertiesOf(schema: JsonSchema, pointer: string): ConfigField[] {
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  return Object.entries(properties).map(([key, property]) =>
    fieldOf(
      key,
      isSchema(property) ? property : {},
      `${pointer}/${escapePointer(key)}`,
      required.includes(key),
    ),
  );
}

function fieldOf(key: string, schema: JsonSchema, pointer: string, required: boolean): ConfigField {
  const kind = kindOf(schema);
  const field: ConfigField = {
    key,
    pointer,
    label: typeof schema.title === 'string' ? schema.title : key,
    required,
    kind,
    ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
    ...('default' in schema ? { default: schema.default } : {}),
  };
  switch (kind) {
    case 'text':
      return {
        ...field,
        inputType: schema.format === 'uri' ? 'url' : schema.format === 'email' ? 'email' : 'text',
      };
    case 'number':
      return { ...field, integer: typeOf(schema) === 'integer', ...boundsOf(schema) };
    case 'enum':
      return { ...field, options: optionsOf(schema.enum as unknown[]) };
    case 'choices':
      return { ...field, options: optionsOf((schema.items as JsonSchema).enum as unknown[]) };
    case 'list':
      return { ...field, itemType: typeOf(schema.items as JsonSchema) as ConfigField['itemType'] };
    case 'object':
      return { ...field, fields: propertiesOf(schema, pointer) };
    default:
      return field;
  }
}

/** Which input a property gets. */
export function kindOf(schema: JsonSchema): ConfigFieldKind {
  // Combinators and references need a reading of their own: JSON is the honest fallback.
  if (['oneOf', 'anyOf', 'allOf', '$ref', 'not', 'if', 'const'].some((key) => key in schema))
    return 'json';
  if (isScalarList(schema.enum)) return 'enum';
  const type = typeOf(schema);
  switch (type) {
    case 'string':
      return schema.writeOnly === true || schema.format === 'password' ? 'password' : 'text';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array': {
      const items = schema.items;
      if (!isSchema(items)) return 'json';
      if (isScalarList(items.enum)) return 'choices';
      const itemType = typeOf(items);
      return itemType === 'string' || itemType === 'number' || itemType === 'integer'
        ? 'list'
        : 'json';
    }
    case 'object':
    case undefined:
      return isSchema(schema.properties) && Object.keys(schema.properties).length > 0
        ? 'object'
        : 'json';
    default:
      return 'json';
  }
}

/** The one type of a schema (`["string", "null"]` counts as string), if it has one. */
function typeOf(schema: JsonSchema): string | undefined {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) {
    const types = type.filter((t) => t !== 'null');
    return types.length === 1 && typeof types[0] === 'string' ? types[0] : 'mixed';
  }
  return undefined;
}

function boundsOf(schema: JsonSchema): Pick<ConfigField, 'minimum' | 'maximum'> {
  const number = (value: unknown) => (typeof value === 'number' ? value : undefined);
  const minimum = number(schema.minimum) ?? number(schema.exclusiveMinimum);
  const maximum = number(schema.maximum) ?? number(schema.exclusiveMaximum);
  return {
    ...(minimum === undefined ? {} : { minimum }),
    ...(maximum === undefined ? {} : { maximum }),
  };
}

function optionsOf(values: unknown[]): ConfigOption[] {
  return values.map((value) => ({ value: JSON.stringify(value), label: String(value) }));
}

function isScalarList(value: unknown): value is (string | number | boolean)[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((item) => ['string', 'number', 'boolean'].includes(typeof item))
  );
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RFC 6901: `~` and `/` inside a key, as Ajv writes them in `instancePath`. */
export function escapePointer(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}
