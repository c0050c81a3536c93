/**
 * Identifiers of a person, as `type:value` keys: `anonymous_id:a1`, `user_id:42`,
 * `email:ada@example.com`, `phone:+441234567890`, `external:crm:123`. Values are normalised so
 * the same person written two ways is one identifier.
 */
export type IdentifierType = 'anonymous_id' | 'user_id' | 'email' | 'phone' | 'external';

export interface Identifier {
  type: IdentifierType;
  /** For `external`: `<system>:<id>`. */
  value: string;
  key: string;
}

export const DEFAULT_JUNK_VALUES: readonly string[] = [
  '',
  'null',
  'undefined',
  'nil',
  'none',
  'nan',
  '0',
  '-1',
  'anonymous',
  'unknown',
  'guest',
  'n/a',
  'na',
  'test',
  '[object object]',
  '00000000-0000-0000-0000-000000000000',
];

export function identifierKey(type: IdentifierType, value: string): string {
  return `${type}:${value}`;
}

/** Parses `type:value` as the profile API accepts it; undefined when the type is unknown. */
export function parseIdentifierKey(key: string): Identifier | undefined {
  const colon = key.indexOf(':');
  if (colon <= 0) return undefined;
  const type = key.slice(0, colon);
  if (!isIdentifierType(type)) return undefined;
  const value = normalise(type, key.slice(colon + 1));
  return value === undefined ? undefined : { type, value, key: identifierKey(type, value) };
}

function isIdentifierType(type: string): type is IdentifierType {
  return ['anonymous_id', 'user_id', 'email', 'phone', 'external'].includes(type);
}

/** Trims ids; lower-cases e-mails; keeps digits (and a leading +) of phone numbers. */
export function normalise(type: IdentifierType, raw: string): string | undefined {
  const value = raw.trim();
  if (value.length === 0 || value.length > 512) return undefined;
  if (type === 'email') {
    const email = value.toLowerCase();
    return /^[^\s@]+@[^\s@]+$/.test(email) ? email : undefined;
  }
  if (type === 'phone') {
    const digits = value.replace(/[^\d]/g, '');
    if (digits.length < 6) return undefined;
    return value.startsWith('+') ? `+${digits}` : digits;
  }
  return value;
}

export function makeIdentifier(
  type: IdentifierType,
  raw: unknown,
  junk: ReadonlySet<string>,
): Identifier | undefined {
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const value = normalise(type, String(raw));
  if (value === undefined) return undefined;
  const bare = type === 'external' ? value.slice(value.indexOf(':') + 1) : value;
  if (junk.has(bare.toLowerCase())) return undefined;
  return { type, value, key: identifierKey(type, value) };
}
