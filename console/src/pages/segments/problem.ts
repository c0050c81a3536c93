import { ApiError } from '../../lib/api.js';
import { messageOf } from '../../lib/errors.js';

/**
 * The messages of a failed call, for a form: the problem document's `errors` (one per invalid
 * field) when it has them, else its one sentence. Goes through `messageOf`, so a 401 signs out.
 *
 * @example
 * problemMessages(new ApiError(400, 'validation_failed', 'Invalid segment', { errors: ['name: …'] }));
 * // ['name: …']
 */
export function problemMessages(error: unknown): string[] {
  const message = messageOf(error);
  const errors =
    error instanceof ApiError
      ? (error.body as { errors?: unknown } | undefined)?.errors
      : undefined;
  if (!Array.isArray(errors) || errors.length === 0) return [message];
  return errors.map((item) =>
    typeof item === 'string'
      ? item
      : ((item as { message?: string }).message ?? JSON.stringify(item)),
  );
}

/**
 * Splits messages into those about a form's own fields (`name: …`, `name must …`), those about
 * a nested condition (`condition.and[0]…`, passed on without the prefix) and the rest, so each
 * can be shown beside what it is about.
 *
 * @example
 * splitByField(['name: a string of 1–200 characters', 'condition.and[0].value: …'], ['name'], 'condition');
 * // { fields: { name: ['a string of 1–200 characters'] }, nested: ['and[0].value: …'], other: [] }
 */
export function splitByField(
  messages: readonly string[],
  fields: readonly string[],
  nestedPrefix?: string,
): { fields: Record<string, string[]>; nested: string[]; other: string[] } {
  const result = {
    fields: {} as Record<string, string[]>,
    nested: [] as string[],
    other: [] as string[],
  };
  for (const message of messages) {
    const afterPrefix = nestedPrefix ? message.slice(nestedPrefix.length) : '';
    if (nestedPrefix && message.startsWith(nestedPrefix) && /^[.:[]/.test(afterPrefix)) {
      // `condition.and[0]…` → `and[0]…`; `condition: …` → `…` (about the whole condition).
      result.nested.push(afterPrefix.replace(/^\./, '').replace(/^:\s*/, ''));
      continue;
    }
    const field = fields.find(
      (name) => message.startsWith(`${name}:`) || message.startsWith(`${name} `),
    );
    if (field === undefined) result.other.push(message);
    else {
      const own = message.startsWith(`${field}:`)
        ? message.slice(field.length + 1).trim()
        : message;
      (result.fields[field] ??= []).push(own);
    }
  }
  return result;
}
