import safeRegex from 'safe-regex2';
import { parseRegex, RegexSyntaxError, type ParsedRegex, type RegexNode } from './regex-subset.js';

/**
 * Writes a pattern of the portable subset (`regex-subset.ts`) as a JavaScript RegExp and as a
 * Lucene regexp. Both mean "the string contains a match" (`RegExp.test`): Lucene matches whole
 * terms only, so an unanchored side gets `.*`.
 */

/**
 * Why a pattern is refused, or undefined when it is accepted.
 * @example
 * checkRegex('(a+)+$'); // 'nested quantifiers are not allowed: (a+)* can take exponential time'
 * checkRegex('^[A-Z]{2}-\\d+$'); // undefined
 */
export function checkRegex(pattern: string): string | undefined {
  try {
    parseRegex(pattern);
  } catch (error) {
    if (error instanceof RegexSyntaxError) return error.message;
    throw error;
  }
  // A second opinion on catastrophic backtracking, and a cap on the number of repetitions.
  if (!safeRegex(pattern)) return 'the pattern has too many or nested repetitions';
  return undefined;
}

/**
 * The JavaScript RegExp of an accepted pattern, with the `u` and `s` flags (code points; `.`
 * matches line breaks too, as in Lucene).
 * @throws RegexSyntaxError when the pattern is not accepted by {@link checkRegex}.
 * @example
 * toJsRegExp('^ord').test('order'); // true
 */
export function toJsRegExp(pattern: string): RegExp {
  const refused = checkRegex(pattern);
  if (refused !== undefined) throw new RegexSyntaxError(refused);
  const parsed = parseRegex(pattern);
  const body = alternatives(parsed.options, jsAtom);
  return new RegExp(
    `${parsed.anchoredStart ? '^' : ''}${body}${parsed.anchoredEnd ? '$' : ''}`,
    'us',
  );
}

/**
 * The Lucene regexp (OpenSearch `regexp` query) of an accepted pattern: anchored, so `.*` stands
 * where the pattern is not; every ASCII symbol is escaped, Lucene's own operators
 * (`@ # & < > ~ "`) included.
 * @throws RegexSyntaxError when the pattern is not accepted by {@link checkRegex}.
 * @example
 * toLuceneRegexp('ord(er)?$'); // '.*(ord(er)?)'
 */
export function toLuceneRegexp(pattern: string): string {
  const refused = checkRegex(pattern);
  if (refused !== undefined) throw new RegexSyntaxError(refused);
  const parsed: ParsedRegex = parseRegex(pattern);
  const body = `(${alternatives(parsed.options, luceneAtom)})`;
  return `${parsed.anchoredStart ? '' : '.*'}${body}${parsed.anchoredEnd ? '' : '.*'}`;
}

type AtomWriter = (node: RegexNode) => string;

function alternatives(options: RegexNode[][], atom: AtomWriter): string {
  return options.map((sequence) => sequence.map((node) => element(node, atom)).join('')).join('|');
}

function element(node: RegexNode, atom: AtomWriter): string {
  if (node.kind !== 'repeat') return atom(node);
  const { min, max } = node;
  let quantifier: string;
  if (min === 0 && max === undefined) quantifier = '*';
  else if (min === 1 && max === undefined) quantifier = '+';
  else if (min === 0 && max === 1) quantifier = '?';
  else if (max === undefined) quantifier = `{${min},}`;
  else quantifier = min === max ? `{${min}}` : `{${min},${max}}`;
  return `${atom(node.node)}${quantifier}`;
}

// What the `u` flag lets one escape: syntax characters and `/`, plus `-` inside a class only.
const JS_SYNTAX = new Set('^$\\.*+?()[]{}|/');

function jsChar(code: number): string {
  if (code < 0x20 || code === 0x7f) return `\\u{${code.toString(16)}}`;
  const char = String.fromCodePoint(code);
  return JS_SYNTAX.has(char) ? `\\${char}` : char;
}

function jsClassChar(code: number): string {
  return code === 0x2d ? '\\-' : jsChar(code);
}

function jsAtom(node: RegexNode): string {
  switch (node.kind) {
    case 'char':
      return jsChar(node.code);
    case 'any':
      return '.';
    case 'class':
      return `[${node.negated ? '^' : ''}${classRanges(node.ranges, jsClassChar)}]`;
    case 'group':
      return `(?:${alternatives(node.options, jsAtom)})`;
    case 'repeat':
      return element(node, jsAtom);
  }
}

function luceneChar(code: number): string {
  const char = String.fromCodePoint(code);
  // Every ASCII character but letters and digits is escaped: `\` makes any character literal in
  // Lucene, and escaping letters would turn `d`, `s`, `w` into classes.
  return code < 0x80 && !/[A-Za-z0-9]/.test(char) && code >= 0x20 ? `\\${char}` : char;
}

function luceneAtom(node: RegexNode): string {
  switch (node.kind) {
    case 'char':
      return luceneChar(node.code);
    case 'any':
      return '.';
    case 'class':
      return `[${node.negated ? '^' : ''}${classRanges(node.ranges, luceneChar)}]`;
    case 'group':
      return `(${alternatives(node.options, luceneAtom)})`;
    case 'repeat':
      return element(node, luceneAtom);
  }
}

function classRanges(ranges: [number, number][], char: (code: number) => string): string {
  return ranges
    .map(([low, high]) => (low === high ? char(low) : `${char(low)}-${char(high)}`))
    .join('');
}
