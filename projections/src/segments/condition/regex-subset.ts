/**
 * The regular expressions `matchesRegex` accepts: a subset that means the same in JavaScript and
 * in Lucene (OpenSearch `regexp` queries) and cannot backtrack catastrophically. It is parsed
 * into a small tree, from which `regex-translation.ts` writes either dialect, so the two never
 * drift apart. See the README's "Regular expressions" section for the accepted syntax.
 */

/** One element of a pattern. Characters are Unicode code points. */
export type RegexNode =
  | { kind: 'char'; code: number }
  | { kind: 'any' }
  | { kind: 'class'; negated: boolean; ranges: [number, number][] }
  | { kind: 'group'; options: RegexNode[][] }
  | { kind: 'repeat'; node: RegexNode; min: number; max: number | undefined };

export interface ParsedRegex {
  /** The alternatives at the top level, each a sequence of nodes. */
  options: RegexNode[][];
  anchoredStart: boolean;
  anchoredEnd: boolean;
}

export const MAX_REGEX_LENGTH = 256;
export const MAX_REPEAT = 100;

const SHORTHANDS: Readonly<Record<string, [number, number][]>> = {
  d: [[0x30, 0x39]],
  w: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x5f, 0x5f],
    [0x61, 0x7a],
  ],
  s: [
    [0x09, 0x0d],
    [0x20, 0x20],
  ],
};
const CONTROL_ESCAPES: Readonly<Record<string, number>> = { n: 10, t: 9, r: 13, f: 12, v: 11 };
const PUNCTUATION = /^[!-/:-@[-`{-~ ]$/;

/** Thrown by {@link parseRegex} with a message for the person who wrote the pattern. */
export class RegexSyntaxError extends Error {}

/**
 * Parses a pattern of the portable subset.
 * @throws RegexSyntaxError naming the first thing outside the subset.
 * @example
 * parseRegex('^ord(er)?-[0-9]{4}$').anchoredStart; // true
 */
export function parseRegex(pattern: string): ParsedRegex {
  if (pattern.length === 0) throw new RegexSyntaxError('the pattern is empty');
  if (pattern.length > MAX_REGEX_LENGTH) {
    throw new RegexSyntaxError(`the pattern is longer than ${MAX_REGEX_LENGTH} characters`);
  }
  const chars = Array.from(pattern);
  const anchoredStart = chars[0] === '^';
  const last = chars.length - 1;
  const anchoredEnd = chars[last] === '$' && !escapedAt(chars, last) && last > 0;
  const body = chars.slice(anchoredStart ? 1 : 0, anchoredEnd ? last : chars.length);
  const parser = new Parser(body);
  const options = parser.alternatives(0);
  if (parser.position < body.length) throw new RegexSyntaxError('unmatched )');
  if ((anchoredStart || anchoredEnd) && options.length > 1) {
    throw new RegexSyntaxError('with ^ or $, wrap the alternatives in a group: ^(a|b)$');
  }
  return { options, anchoredStart, anchoredEnd };
}

function escapedAt(chars: string[], index: number): boolean {
  let backslashes = 0;
  while (index - 1 - backslashes >= 0 && chars[index - 1 - backslashes] === '\\') backslashes++;
  return backslashes % 2 === 1;
}

class Parser {
  position = 0;
  constructor(private readonly chars: string[]) {}

  alternatives(depth: number): RegexNode[][] {
    const options: RegexNode[][] = [this.sequence(depth)];
    while (this.peek() === '|') {
      this.position++;
      options.push(this.sequence(depth));
    }
    return options;
  }

  sequence(depth: number): RegexNode[] {
    const nodes: RegexNode[] = [];
    for (let char = this.peek(); char !== undefined && char !== '|' && char !== ')';) {
      nodes.push(this.quantified(this.atom(depth)));
      char = this.peek();
    }
    if (nodes.length === 0) throw new RegexSyntaxError('an alternative or group is empty');
    return nodes;
  }

  atom(depth: number): RegexNode {
    const char = this.next();
    switch (char) {
      case '.':
        return { kind: 'any' };
      case '[':
        return this.characterClass();
      case '(':
        return this.group(depth);
      case '\\':
        return this.escape(false);
      case '^':
      case '$':
        throw new RegexSyntaxError(`${char} is only allowed at the very start (^) or end ($)`);
      case '*':
      case '+':
      case '?':
        throw new RegexSyntaxError(`nothing to repeat before ${char}`);
      case '{':
      case '}':
      case ']':
        throw new RegexSyntaxError(`write a literal ${char} as \\${char}`);
      default:
        return { kind: 'char', code: char!.codePointAt(0)! };
    }
  }

  group(depth: number): RegexNode {
    if (this.peek() === '?') {
      const kind = this.chars.slice(this.position, this.position + 3).join('');
      if (!kind.startsWith('?:')) {
        const what = /^\?<?[=!]/.test(kind) ? 'lookarounds' : 'named or special groups';
        throw new RegexSyntaxError(`${what} are not supported`);
      }
      this.position += 2;
    }
    const options = this.alternatives(depth + 1);
    if (this.next() !== ')') throw new RegexSyntaxError('unclosed (');
    return { kind: 'group', options };
  }

  quantified(node: RegexNode): RegexNode {
    const bounds = this.quantifier();
    if (bounds === undefined) return node;
    if (this.quantifier() !== undefined) {
      throw new RegexSyntaxError('a quantifier cannot follow another quantifier');
    }
    if (node.kind === 'group' && containsRepeat(node)) {
      throw new RegexSyntaxError(
        'nested quantifiers are not allowed: (a+)* can take exponential time',
      );
    }
    return { kind: 'repeat', node, ...bounds };
  }

  quantifier(): { min: number; max: number | undefined } | undefined {
    const char = this.peek();
    if (char === '*' || char === '+' || char === '?') {
      this.position++;
      return { min: char === '+' ? 1 : 0, max: char === '?' ? 1 : undefined };
    }
    if (char !== '{') return undefined;
    const rest = this.chars.slice(this.position).join('');
    const match = /^\{(\d{1,3})(,(\d{0,3}))?\}/.exec(rest);
    if (match === null)
      throw new RegexSyntaxError('write a literal { as \\{, or a repeat as {n,m}');
    this.position += Array.from(match[0]).length;
    const min = Number(match[1]);
    const max = match[2] === undefined ? min : match[3] === '' ? undefined : Number(match[3]);
    if (min > MAX_REPEAT || (max ?? 0) > MAX_REPEAT) {
      throw new RegexSyntaxError(`repeat counts go up to ${MAX_REPEAT}`);
    }
    if (max !== undefined && max < min) throw new RegexSyntaxError(`{${min},${max}}: m < n`);
    return { min, max };
  }

  characterClass(): RegexNode {
    const negated = this.peek() === '^';
    if (negated) this.position++;
    const ranges: [number, number][] = [];
    while (this.peek() !== ']') {
      if (this.peek() === undefined) throw new RegexSyntaxError('unclosed [');
      const low = this.classMember();
      if (Array.isArray(low)) {
        ranges.push(...low);
        continue;
      }
      if (this.peek() === '-' && this.chars[this.position + 1] !== ']') {
        this.position++;
        const high = this.classMember();
        if (Array.isArray(high)) throw new RegexSyntaxError('a range cannot end in a class');
        if (high < low) throw new RegexSyntaxError('a range is out of order, like [z-a]');
        ranges.push([low, high]);
      } else {
        ranges.push([low, low]);
      }
    }
    this.position++;
    if (ranges.length === 0) throw new RegexSyntaxError('a character class is empty');
    return { kind: 'class', negated, ranges };
  }

  /** One character of a class, or the ranges of a shorthand such as `\d`. */
  classMember(): number | [number, number][] {
    const char = this.next()!;
    if (char === '[') throw new RegexSyntaxError('write a literal [ inside a class as \\[');
    if (char !== '\\') return char.codePointAt(0)!;
    const node = this.escape(true);
    return node.kind === 'char' ? node.code : (node as { ranges: [number, number][] }).ranges;
  }

  escape(inClass: boolean): RegexNode {
    const char = this.next();
    if (char === undefined) throw new RegexSyntaxError('the pattern ends in a lone \\');
    const lower = char.toLowerCase();
    if (lower in SHORTHANDS) {
      const negated = char !== lower;
      if (negated && inClass) throw new RegexSyntaxError(`\\${char} is not supported in a class`);
      return { kind: 'class', negated, ranges: SHORTHANDS[lower]! };
    }
    if (char in CONTROL_ESCAPES) return { kind: 'char', code: CONTROL_ESCAPES[char]! };
    if (PUNCTUATION.test(char)) return { kind: 'char', code: char.codePointAt(0)! };
    if (/[1-9]/.test(char)) throw new RegexSyntaxError('backreferences are not supported');
    if (char === 'b' || char === 'B') {
      throw new RegexSyntaxError('word boundaries (\\b) are not supported');
    }
    throw new RegexSyntaxError(`\\${char} is not supported: write the character itself`);
  }

  peek(): string | undefined {
    return this.chars[this.position];
  }

  next(): string | undefined {
    return this.chars[this.position++];
  }
}

function containsRepeat(node: RegexNode): boolean {
  if (node.kind === 'repeat') return true;
  if (node.kind !== 'group') return false;
  return node.options.some((sequence) => sequence.some(containsRepeat));
}
