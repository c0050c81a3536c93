import { describe, expect, it } from 'vitest';
import { derivedId } from './derived-id.js';

describe('derivedId', () => {
  it('gives the id it always gave: a change would make a replay write every decision again', () => {
    expect(derivedId('ProfilesMerged', 'e1', 'p2')).toBe('79197e9f-a288-57d9-8f69-3607e293f414');
    expect(derivedId('ProfilesMerged', 'e1', 'p3')).not.toBe(
      derivedId('ProfilesMerged', 'e1', 'p2'),
    );
  });
});
