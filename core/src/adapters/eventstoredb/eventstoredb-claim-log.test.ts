import { describe, expect, it } from 'vitest';
import { claimStreamOf, toClaimRecord } from './eventstoredb-claim-log.js';
import { isVisible } from './eventstoredb-mapping.js';

const id = '0b5c2f3e-1c1d-4d8e-9a57-9f0c3cf3d111';

describe('claim streams', () => {
  it('are named after the event id and hidden from $all readers', () => {
    expect(claimStreamOf(id)).toBe(`uspa-eventid-${id}`);
    expect(isVisible(claimStreamOf(id), 'UspaEventIdClaimed')).toBe(false);
  });

  it('read back each kind of record', () => {
    expect(toClaimRecord(id, 'UspaEventIdClaimed', { streamId: 'user-1' })).toEqual({
      kind: 'claimed',
      streamId: 'user-1',
    });
    expect(toClaimRecord(id, 'UspaEventIdReleased', { streamId: 'user-1' })).toEqual({
      kind: 'released',
      streamId: 'user-1',
    });
    const stored = { streamId: 'user-1', revision: 4, position: 9000 };
    expect(toClaimRecord(id, 'UspaEventIdStored', stored)).toEqual({ kind: 'stored', ...stored });
    const unknownPosition = { streamId: 'user-1', revision: 4, position: null };
    expect(toClaimRecord(id, 'UspaEventIdStored', unknownPosition)).toMatchObject({
      position: null,
    });
  });

  it('refuse a record they cannot trust rather than guess', () => {
    const unreadable = { code: 'claim_unreadable', status: 500 };
    expect(() => toClaimRecord(id, 'UspaEventIdStored', { streamId: 'user-1' })).toThrow(
      expect.objectContaining(unreadable),
    );
    expect(() => toClaimRecord(id, 'Tracked', { streamId: 'user-1' })).toThrow(
      expect.objectContaining(unreadable),
    );
    expect(() => toClaimRecord(id, 'UspaEventIdClaimed', 'user-1')).toThrow(
      expect.objectContaining(unreadable),
    );
  });
});
