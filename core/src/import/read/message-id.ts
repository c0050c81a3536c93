import { hash } from 'node:crypto';

/**
 * Gives a message without a `messageId` one derived from its content, so that importing the same
 * file again stores nothing twice (the pipeline deduplicates on source and messageId). Two
 * identical messages in one file are therefore stored once: they could not be told apart anyway.
 *
 * @example
 * withMessageId({ type: 'track', event: 'Signed Up', userId: '42' }).messageId; // 'import-3f1c…'
 */
export function withMessageId(message: Record<string, unknown>): Record<string, unknown> {
  const { messageId, ...content } = message;
  if (typeof messageId === 'string' && messageId !== '') return message;
  const digest = hash('sha256', canonicalJson(content));
  return { ...content, messageId: `import-${digest.slice(0, 32)}` };
}

/** JSON with object keys sorted, so that key order does not change the id. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
