import { describe, expect, it } from 'vitest';
import { withMessageId } from './message-id.js';

describe('withMessageId', () => {
  it('keeps a messageId the message has', () => {
    const message = { type: 'track', messageId: 'm-1' };
    expect(withMessageId(message)).toBe(message);
  });

  it('derives one from the content, whatever the order of keys', () => {
    const a = withMessageId({ type: 'track', event: 'X', properties: { a: 1, b: 2 } });
    const b = withMessageId({
      properties: { b: 2, a: 1 },
      event: 'X',
      type: 'track',
      messageId: '',
    });
    expect(a.messageId).toMatch(/^import-[0-9a-f]{32}$/);
    expect(b.messageId).toBe(a.messageId);
    expect(withMessageId({ type: 'track', event: 'Y' }).messageId).not.toBe(a.messageId);
  });
});
