import { describe, expect, it } from 'vitest';
import { memoOn } from './memo-on.js';

const KEY = Symbol('test');

describe('memoOn', () => {
  it('derives once per target, out of sight of copies and JSON', () => {
    let calls = 0;
    const derive = (entry: { at: string }) => `${entry.at}#${++calls}`;
    const entry = { at: '2026-11-29' };
    expect(memoOn(entry, KEY, derive)).toBe('2026-11-29#1');
    expect(memoOn(entry, KEY, derive)).toBe('2026-11-29#1');
    expect(memoOn({ ...entry }, KEY, derive)).toBe('2026-11-29#2');
    expect(JSON.stringify(entry)).toBe('{"at":"2026-11-29"}');
    expect(Object.keys(entry)).toEqual(['at']);
  });

  it('keeps an undefined result too, and derives each time for a frozen target', () => {
    let calls = 0;
    const nothing = () => void calls++;
    const entry = {};
    memoOn(entry, KEY, nothing);
    memoOn(entry, KEY, nothing);
    expect(calls).toBe(1);
    const frozen = Object.freeze({});
    memoOn(frozen, KEY, nothing);
    memoOn(frozen, KEY, nothing);
    expect(calls).toBe(3);
  });
});
