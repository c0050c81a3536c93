import { describe, expect, it } from 'vitest';
import { compileUrlPattern, pageAddressOf } from './url-pattern.js';

const matches = (pattern: string | undefined, url: string | undefined): boolean =>
  compileUrlPattern(pattern)(pageAddressOf(url));

describe('pageAddressOf', () => {
  it('drops the query and fragment, lower-cases the host and decodes the path', () => {
    expect(pageAddressOf('https://Shop.Example:8443/Blog/caf%C3%A9?utm_source=x#top')).toEqual({
      path: '/Blog/café',
      full: 'https://shop.example:8443/Blog/café',
    });
  });

  it('accepts a bare path, without a full URL', () => {
    expect(pageAddressOf('/pricing/teams?plan=pro')).toEqual({ path: '/pricing/teams' });
  });

  it('gives nothing for a missing or unparsable URL', () => {
    expect(pageAddressOf(undefined)).toBeUndefined();
    expect(pageAddressOf('')).toBeUndefined();
    expect(pageAddressOf('not a url')).toBeUndefined();
  });
});

describe('compileUrlPattern', () => {
  it('matches any page, or no page at all, when there is no pattern', () => {
    expect(matches(undefined, 'https://shop.example/anything')).toBe(true);
    expect(matches(undefined, undefined)).toBe(true);
  });

  it('globs the path with a trailing *', () => {
    expect(matches('/pricing*', 'https://shop.example/pricing')).toBe(true);
    expect(matches('/pricing*', 'https://shop.example/pricing/teams?x=1')).toBe(true);
    expect(matches('/pricing*', 'https://shop.example/about/pricing')).toBe(false);
  });

  it('lets * span several path segments and requires the rest literally', () => {
    expect(matches('/blog/*', 'https://shop.example/blog/2026/spring-sale')).toBe(true);
    expect(matches('/blog/*', 'https://shop.example/blog')).toBe(false);
    expect(matches('/blog/*/comments', 'https://shop.example/blog/a/comments')).toBe(true);
    expect(matches('/blog/*/comments', 'https://shop.example/blog/a/comments/2')).toBe(false);
  });

  it('matches an exact path only, query ignored on both sides', () => {
    expect(matches('/checkout', 'https://shop.example/checkout?step=2')).toBe(true);
    expect(matches('/checkout?step=1', 'https://shop.example/checkout?step=2')).toBe(true);
    expect(matches('/checkout', 'https://shop.example/checkout/done')).toBe(false);
  });

  it('treats regular-expression characters as literals', () => {
    expect(matches('/a.b(1)+', 'https://shop.example/a.b(1)+')).toBe(true);
    expect(matches('/a.b', 'https://shop.example/axb')).toBe(false);
  });

  it('matches the full URL when the pattern starts with http, host case-insensitively', () => {
    expect(matches('https://SHOP.example/sale/*', 'https://shop.example/sale/shoes')).toBe(true);
    expect(matches('https://shop.example/sale/*', 'https://other.example/sale/shoes')).toBe(false);
    expect(matches('https://*.example.com/*', 'https://eu.example.com/x')).toBe(true);
    expect(matches('http*://shop.example/*', 'http://shop.example/x')).toBe(true);
    expect(matches('https://shop.example', 'https://shop.example/?ref=mail')).toBe(true);
    expect(matches('https://shop.example', 'https://shop.example/pricing')).toBe(false);
  });

  it('never matches a pattern against an unknown page, nor a full-URL pattern against a bare path', () => {
    expect(matches('/pricing*', undefined)).toBe(false);
    expect(matches('https://shop.example/*', '/pricing')).toBe(false);
    expect(matches('/pricing', '/pricing')).toBe(true);
  });

  it('compares decoded paths, so an administrator writes what the visitor sees', () => {
    expect(matches('/blog/café*', 'https://shop.example/blog/caf%C3%A9-au-lait')).toBe(true);
    expect(matches('/a%20b', 'https://shop.example/a b')).toBe(true);
  });
});
