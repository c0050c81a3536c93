import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/api.js';
import { problemMessages, splitByField } from './problem.js';

describe('problemMessages', () => {
  it('lists the errors of a problem document, or its one message', () => {
    const invalid = new ApiError(400, 'validation_failed', 'Invalid segment', {
      errors: ['name: a string of 1–200 characters', { path: '/url', message: 'must match' }],
    });
    expect(problemMessages(invalid)).toEqual(['name: a string of 1–200 characters', 'must match']);
    expect(
      problemMessages(new ApiError(409, 'segment_in_use', 'Segment a is used by b', {})),
    ).toEqual(['Segment a is used by b']);
    expect(problemMessages(new TypeError('Failed to fetch'))).toEqual([
      'The USPA server did not answer. Is it running?',
    ]);
  });
});

describe('splitByField', () => {
  it('sends field errors to their fields and condition errors to the builder', () => {
    const split = splitByField(
      [
        'name: a string of 1–200 characters',
        'slot must be 1–64 letters',
        'condition.and[0].value: between needs low ≤ high',
        'condition: conditions may nest at most 10 levels deep',
        'conditionally refused',
        'segment ghost does not exist',
      ],
      ['name', 'slot'],
      'condition',
    );
    expect(split.fields).toEqual({
      name: ['a string of 1–200 characters'],
      slot: ['slot must be 1–64 letters'],
    });
    expect(split.nested).toEqual([
      'and[0].value: between needs low ≤ high',
      'conditions may nest at most 10 levels deep',
    ]);
    expect(split.other).toEqual(['conditionally refused', 'segment ghost does not exist']);
  });
});
