import { randomBytes } from 'node:crypto';
import { v5 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { derivedId, nameBasedUuid } from './derived-id.js';

describe('derivedId', () => {
  it('gives the id it always gave: a change would make a replay write every decision again', () => {
    expect(derivedId('ProfilesMerged', 'e1', 'p2')).toBe('79197e9f-a288-57d9-8f69-3607e293f414');
    expect(derivedId('ProfilesMerged', 'e1', 'p3')).not.toBe(
      derivedId('ProfilesMerged', 'e1', 'p2'),
    );
  });

  it('are the version 5 UUIDs of their names, for any text', () => {
    const namespace = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';
    for (let i = 0; i < 200; i++) {
      const name = `${randomBytes(i % 50).toString('latin1')}\u0000ü-${i}`;
      expect(nameBasedUuid(Buffer.from(namespace.replaceAll('-', ''), 'hex'), name)).toBe(
        v5(name, namespace),
      );
    }
  });
});
