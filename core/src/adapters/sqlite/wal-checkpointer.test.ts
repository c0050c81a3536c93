import { describe, expect, it } from 'vitest';
import { reportAtMostEvery } from './wal-checkpointer.js';

describe('reportAtMostEvery', () => {
  it('reports the first problem at once, holds back the next ones and counts them later', () => {
    const reported: string[] = [];
    let now = 1_000;
    const report = reportAtMostEvery(
      60_000,
      (problem) => reported.push(problem),
      () => now,
    );

    report('pass failed: disk I/O error');
    now += 250;
    report('pass failed: disk I/O error');
    now += 250;
    report('pass failed: disk I/O error');
    expect(reported).toEqual(['pass failed: disk I/O error']);

    now += 60_000;
    report('pass failed: database is locked');
    expect(reported).toEqual([
      'pass failed: disk I/O error',
      'pass failed: database is locked (and 2 more failed passes since the last report)',
    ]);

    now += 60_000;
    report('pass failed: disk I/O error');
    expect(reported[2]).toBe('pass failed: disk I/O error');
  });
});
