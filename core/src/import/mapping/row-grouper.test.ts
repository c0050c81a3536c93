import { describe, expect, it } from 'vitest';
import { RowGrouper, type Group } from './row-grouper.js';

function feed(grouper: RowGrouper<string>, rows: [string, string][]): (Group<string> | 'late')[] {
  const out: (Group<string> | 'late')[] = [];
  for (const [key, row] of rows) {
    const result = grouper.add(key, row);
    if (result.status === 'late') out.push('late');
    else out.push(...result.closed);
  }
  return [...out, ...grouper.flush()];
}

describe('RowGrouper', () => {
  it('groups consecutive rows and emits each group once the window moves on', () => {
    const grouper = new RowGrouper<string>(1);
    expect(grouper.add('a', 'a1')).toEqual({ status: 'added', closed: [] });
    grouper.add('a', 'a2');
    expect(grouper.add('b', 'b1')).toEqual({
      status: 'added',
      closed: [{ key: 'a', rows: ['a1', 'a2'] }],
    });
    expect(grouper.flush()).toEqual([{ key: 'b', rows: ['b1'] }]);
  });

  it('keeps rows of an interleaved group together within the window', () => {
    // Online Retail: cancellation C542805 sits between rows of order 542806.
    const groups = feed(new RowGrouper<string>(2), [
      ['542806', 'o1'],
      ['C542805', 'c1'],
      ['C542805', 'c2'],
      ['542806', 'o2'],
      ['542812', 'n1'],
      ['542813', 'm1'],
    ]);
    expect(groups).toEqual([
      { key: 'C542805', rows: ['c1', 'c2'] },
      { key: '542806', rows: ['o1', 'o2'] },
      { key: '542812', rows: ['n1'] },
      { key: '542813', rows: ['m1'] },
    ]);
  });

  it('reports a row whose group was already emitted instead of starting it again', () => {
    const groups = feed(new RowGrouper<string>(1), [
      ['a', 'a1'],
      ['b', 'b1'],
      ['a', 'a2'],
    ]);
    expect(groups).toEqual([{ key: 'a', rows: ['a1'] }, 'late', { key: 'b', rows: ['b1'] }]);
  });

  it('forgets emitted keys beyond its memory, so memory stays bounded', () => {
    const grouper = new RowGrouper<string>(1, 2);
    feed(grouper, [
      ['a', 'a1'],
      ['b', 'b1'],
      ['c', 'c1'],
      ['d', 'd1'],
    ]);
    expect(grouper.add('c', 'c2').status).toBe('late');
    expect(grouper.add('b', 'b2').status).toBe('added');
  });
});
