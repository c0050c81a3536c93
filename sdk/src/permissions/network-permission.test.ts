import { describe, expect, it } from 'vitest';
import { hostAllowed } from './network-permission.js';

describe('hostAllowed', () => {
  it.each([
    ['https://api.crm.example/v1', ['api.crm.example'], true],
    ['https://API.Crm.Example:8443/v1', ['api.crm.EXAMPLE'], true],
    ['https://api.crm.example.evil.test/', ['api.crm.example'], false],
    ['https://evil-api.crm.example/', ['api.crm.example'], false],
    ['http://127.0.0.1:9999/', ['127.0.0.1:9999'], true],
    ['http://127.0.0.1:9998/', ['127.0.0.1:9999'], false],
    ['https://api.crm.example/', ['api.crm.example:443'], true],
    ['http://[::1]:8080/', ['[::1]'], true],
    ['https://bücher.example/', ['BÜCHER.example'], true],
  ])('%s with %j → %s (exact hosts)', (url, patterns, allowed) => {
    expect(hostAllowed(url, patterns, {})).toBe(allowed);
  });

  it.each([
    ['https://eu.crm.example/', true],
    ['https://a.b.crm.example/', true],
    ['https://crm.example/', false],
    ['https://notcrm.example/', false],
  ])('*.crm.example allows subdomains only: %s → %s', (url, allowed) => {
    expect(hostAllowed(url, ['*.crm.example'], {})).toBe(allowed);
  });

  it('does not let a wildcard open a whole top-level domain', () => {
    expect(hostAllowed('https://anything.com/', ['*.com'], {})).toBe(false);
    expect(hostAllowed('https://anything.com/', ['*'], {})).toBe(false);
  });

  it('reaches an IP address only when it is named, never through a wildcard', () => {
    expect(hostAllowed('http://127.0.0.1/', ['*.0.0.1'], {})).toBe(false);
    expect(hostAllowed('http://10.1.2.3/', ['*.2.3'], {})).toBe(false);
    expect(hostAllowed('http://127.0.0.1/', ['127.0.0.1'], {})).toBe(true);
  });

  it('allows the host of a URL in the config, by field or dot path', () => {
    const config = { url: 'https://hooks.example/in', endpoint: { url: 'http://10.0.0.5:8080/x' } };
    expect(hostAllowed('https://hooks.example/other', ['config:url'], config)).toBe(true);
    expect(hostAllowed('http://10.0.0.5:9000/', ['config:endpoint.url'], config)).toBe(true);
    expect(hostAllowed('https://elsewhere.example/', ['config:url'], config)).toBe(false);
    expect(hostAllowed('https://hooks.example/', ['config:missing'], config)).toBe(false);
    expect(hostAllowed('https://hooks.example/', ['config:url.length'], config)).toBe(false);
    expect(hostAllowed('https://x.example/', ['config:constructor'], config)).toBe(false);
  });

  it('does not take a config value that is not an http(s) URL', () => {
    expect(hostAllowed('https://hooks.example/', ['config:host'], { host: 'hooks.example' })).toBe(
      false,
    );
    expect(hostAllowed('https://hooks.example/', ['config:u'], { u: 'ftp://hooks.example/' })).toBe(
      false,
    );
  });

  it.each(['ftp://api.crm.example/', 'file:///etc/passwd', 'data:text/plain,x', 'not a url'])(
    'refuses %s whatever is declared',
    (url) => {
      expect(hostAllowed(url, ['api.crm.example', '*.crm.example'], {})).toBe(false);
    },
  );

  it.each(['', 'https://api.crm.example', 'api.crm.example/path', 'user@api.crm.example', '::1'])(
    'matches nothing with the malformed pattern %j',
    (pattern) => {
      expect(hostAllowed('https://api.crm.example/', [pattern], {})).toBe(false);
    },
  );
});
