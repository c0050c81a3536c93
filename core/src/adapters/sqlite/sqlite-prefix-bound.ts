/**
 * The smallest string greater than every string starting with `prefix` (in code point order, which
 * is UTF-8 byte order), so `key >= prefix AND key < bound` is an index range scan, unlike LIKE
 * (case-folding) or substr() (a full scan). When no such string exists (an empty prefix), an empty
 * BLOB: SQLite sorts every BLOB after every TEXT, so the bound then excludes nothing.
 */
export function prefixUpperBound(prefix: string): string | Buffer {
  const codePoints = Array.from(prefix);
  while (codePoints.length > 0) {
    const last = codePoints.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      // Surrogate code points never occur in UTF-8 text: step over them.
      codePoints.push(String.fromCodePoint(last === 0xd7ff ? 0xe000 : last + 1));
      return codePoints.join('');
    }
  }
  return Buffer.alloc(0);
}
