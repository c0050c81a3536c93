import { describe, expect, it } from 'vitest';
import { limitsFor, sanitiseMessage } from './sanitise-message.js';

describe('sanitiseMessage', () => {
  it('accepts a message at the limit and refuses one just over it, escapes counted', () => {
    const limit = limitsFor('http').bytes;
    const sized = (bytes: number, char = 'a') => {
      const message = { type: 'track', event: 'E', properties: { text: '' } };
      const overhead = Buffer.byteLength(JSON.stringify(message));
      message.properties.text = char.repeat(
        Math.floor((bytes - overhead) / Buffer.byteLength(JSON.stringify(char).slice(1, -1))),
      );
      return message;
    };
    expect(sanitiseMessage(sized(limit)).kind).toBe('ok');
    expect(sanitiseMessage(sized(limit + 10)).kind).toBe('dlq');
    // A control character is 6 bytes once escaped: 6,000 of them are 36 KB of JSON.
    expect(sanitiseMessage({ type: 'track', text: '\u0001'.repeat(6000) })).toMatchObject({
      kind: 'dlq',
      reason: 'event_too_large',
    });
    expect(sanitiseMessage({ type: 'track', text: '\u0001'.repeat(5000) }).kind).toBe('ok');
  });

  it('removes __proto__ keys and refuses deep nesting', () => {
    const parsed = JSON.parse(
      '{"type":"track","properties":{"__proto__":{"polluted":true},"a":1}}',
    ) as Record<string, unknown>;
    const result = sanitiseMessage(parsed);
    expect(result.kind).toBe('ok');
    expect(Object.keys(parsed.properties as object)).toEqual(['a']);
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let n = 0; n < 40; n++) deep = deep.next = {};
    expect(sanitiseMessage(root)).toMatchObject({ kind: 'dlq', reason: 'too_deeply_nested' });
  });
});
