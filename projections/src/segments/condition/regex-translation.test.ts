import { describe, expect, it } from 'vitest';
import { checkRegex, toJsRegExp, toLuceneRegexp } from './regex-translation.js';

describe('regular expression subset', () => {
  it('accepts literals, classes, groups, alternation, bounded quantifiers and anchors', () => {
    for (const pattern of [
      'gmail',
      '^ord(er)?-[0-9]{4}$',
      '(?:ab|cd)+x{2,}',
      '[^a-z_.]',
      '\\d\\w\\s\\D',
      'a\\.b\\*\\@\\"',
      'é😀.',
    ]) {
      expect(checkRegex(pattern), pattern).toBeUndefined();
    }
  });

  it('refuses what is not portable or may backtrack, with the reason', () => {
    const refused: Record<string, string> = {
      '': 'the pattern is empty',
      '(a+)+': 'nested quantifiers are not allowed: (a+)* can take exponential time',
      '(a|b*)*c': 'nested quantifiers are not allowed: (a+)* can take exponential time',
      'a**': 'a quantifier cannot follow another quantifier',
      'a+?': 'a quantifier cannot follow another quantifier',
      '(a)\\1': 'backreferences are not supported',
      'a(?=b)': 'lookarounds are not supported',
      '(?<!a)b': 'lookarounds are not supported',
      '(?<year>\\d)': 'named or special groups are not supported',
      '\\bword': 'word boundaries (\\b) are not supported',
      '\\u0041': '\\u is not supported: write the character itself',
      'a{101}': 'repeat counts go up to 100',
      'a{3,2}': '{3,2}: m < n',
      'a{x}': 'write a literal { as \\{, or a repeat as {n,m}',
      'a^b': '^ is only allowed at the very start (^) or end ($)',
      '^a|b': 'with ^ or $, wrap the alternatives in a group: ^(a|b)$',
      'a|': 'an alternative or group is empty',
      '[z-a]': 'a range is out of order, like [z-a]',
      '[\\D]': '\\D is not supported in a class',
      '(ab': 'unclosed (',
      'ab)': 'unmatched )',
      '*a': 'nothing to repeat before *',
      ['x'.repeat(257)]: 'the pattern is longer than 256 characters',
      ['a?'.repeat(26)]: 'the pattern has too many or nested repetitions',
    };
    for (const [pattern, reason] of Object.entries(refused)) {
      expect(checkRegex(pattern), pattern).toBe(reason);
    }
  });

  it('writes JavaScript with search semantics, code points and dotAll', () => {
    expect(toJsRegExp('^ord(er)?-[0-9]{4}$').source).toBe('^ord(?:er)?-[0-9]{4}$');
    expect(toJsRegExp('a').flags).toBe('su');
    expect(toJsRegExp('rd').test('order')).toBe(true);
    expect(toJsRegExp('^rd').test('order')).toBe(false);
    expect(toJsRegExp('^.$').test('😀')).toBe(true);
    expect(toJsRegExp('a.b').test('a\nb')).toBe(true);
    expect(toJsRegExp('[a-]').test('-')).toBe(true);
    expect(toJsRegExp('\\s').test('\u00a0')).toBe(false); // \s is ASCII whitespace, as in Lucene
    expect(toJsRegExp('\\d+').test('٣')).toBe(false);
  });

  it('writes Lucene anchored where the pattern is not, escaping its operators', () => {
    expect(toLuceneRegexp('^ord(er)?-[0-9]{4}$')).toBe('(ord(er)?\\-[0-9]{4})');
    expect(toLuceneRegexp('gmail')).toBe('.*(gmail).*');
    expect(toLuceneRegexp('^a|b'.slice(1))).toBe('.*(a|b).*');
    expect(toLuceneRegexp('x$')).toBe('.*(x)');
    expect(toLuceneRegexp('\\@\\#\\&\\<\\>\\~\\"')).toBe('.*(\\@\\#\\&\\<\\>\\~\\").*');
    expect(toLuceneRegexp('\\d\\w')).toBe('.*([0-9][0-9A-Z\\_a-z]).*');
    expect(toLuceneRegexp('[^a-c]{2,}')).toBe('.*([^a-c]{2,}).*');
  });
});
