import { describe, expect, it } from 'vitest';
import { domainLists, emailDomain } from './email-domain.js';
import { DEFAULT_FREE_MAIL_DOMAINS } from './free-mail-domains.js';

const lists = domainLists({ freeMailDomains: [...DEFAULT_FREE_MAIL_DOMAINS], ignoreDomains: [] });

describe('emailDomain', () => {
  it('finds the registrable domain under a multi-label public suffix', () => {
    expect(emailDomain('ada@research.acme.co.uk', lists)).toEqual({
      domain: 'research.acme.co.uk',
      registrableDomain: 'acme.co.uk',
      freeMail: false,
      company: 'acme',
    });
    expect(emailDomain('kim@globex.com.au', lists)).toMatchObject({
      registrableDomain: 'globex.com.au',
      company: 'globex',
    });
  });

  it('reads addresses case-insensitively, trimmed, with or without a trailing dot', () => {
    expect(emailDomain('  Ada.Lovelace@ACME.co.uk. ', lists)).toMatchObject({
      domain: 'acme.co.uk',
      company: 'acme',
    });
  });

  it('marks free mail, by its domain or its registrable domain, with no company', () => {
    expect(emailDomain('ada@gmail.com', lists)).toEqual({
      domain: 'gmail.com',
      registrableDomain: 'gmail.com',
      freeMail: true,
      company: null,
    });
    expect(emailDomain('max@gmx.de', lists)).toMatchObject({ freeMail: true });
    expect(emailDomain('ada@eu.proton.me', lists)).toMatchObject({ freeMail: true });
  });

  it('keeps internationalised domains in the form they were written', () => {
    expect(emailDomain('jörg@bücher.de', lists)).toMatchObject({
      registrableDomain: 'bücher.de',
      company: 'bücher',
    });
  });

  it.each([
    ['not an address', 'ada.lovelace'],
    ['two @', 'ada@acme@co.uk'],
    ['a space', 'ada lovelace@acme.co.uk'],
    ['no dot in the domain', 'root@localhost'],
    ['an IP address', 'ada@[192.0.2.1]'],
    ['an empty label', 'ada@acme..co.uk'],
    ['a suffix only', 'ada@co.uk'],
    ['a reserved suffix', 'ada@build.test'],
    ['an internal suffix', 'ada@corp.internal'],
    ['not a string', 42],
  ])('gives nothing for %s', (_case, email) => {
    expect(emailDomain(email, lists)).toBeUndefined();
  });

  it('leaves ignored domains and their subdomains alone', () => {
    const ignoring = domainLists({ freeMailDomains: [], ignoreDomains: ['Example.com'] });
    expect(emailDomain('qa@example.com', ignoring)).toBeUndefined();
    expect(emailDomain('qa@staging.example.com', ignoring)).toBeUndefined();
    expect(emailDomain('qa@myexample.com', ignoring)).toMatchObject({ company: 'myexample' });
  });
});
