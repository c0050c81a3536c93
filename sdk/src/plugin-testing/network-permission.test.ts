import { describe, expect, it } from 'vitest';
import { checkNetworkAccess } from './network-permission.js';

const allowed = (url: string, patterns: string[], config: Record<string, unknown> = {}) =>
  checkNetworkAccess(url, patterns, config).allowed;

describe('checkNetworkAccess', () => {
  it('allows an exact host on any port, whatever its case', () => {
    expect(allowed('https://api.crm.example/v1/contacts', ['api.crm.example'])).toBe(true);
    expect(allowed('http://API.CRM.example:8080/', ['api.crm.example'])).toBe(true);
    expect(allowed('https://api.crm.example/', [' API.crm.example '])).toBe(true);
  });

  it('does not take a parent, a sibling or a lookalike for an exact host', () => {
    expect(allowed('https://crm.example/', ['api.crm.example'])).toBe(false);
    expect(allowed('https://eu.api.crm.example/', ['api.crm.example'])).toBe(false);
    expect(allowed('https://api.crm.example.evil.example/', ['api.crm.example'])).toBe(false);
  });

  it('limits a pattern with a port to that port', () => {
    expect(allowed('https://api.crm.example:8443/', ['api.crm.example:8443'])).toBe(true);
    expect(allowed('https://api.crm.example/', ['api.crm.example:8443'])).toBe(false);
    expect(allowed('https://api.crm.example/', ['api.crm.example:443'])).toBe(true);
    expect(allowed('http://[::1]:9000/', ['[::1]:9000'])).toBe(true);
    expect(allowed('http://[::1]:9001/', ['[::1]:9000'])).toBe(false);
  });

  it('allows any depth of subdomain for *., but not the domain itself', () => {
    expect(allowed('https://eu.api.crm.example/', ['*.crm.example'])).toBe(true);
    expect(allowed('https://api.crm.example/', ['*.crm.example'])).toBe(true);
    expect(allowed('https://crm.example/', ['*.crm.example'])).toBe(false);
    expect(allowed('https://evilcrm.example/', ['*.crm.example'])).toBe(false);
  });

  it('opens nothing for a wildcard over a top-level domain, with a port, or a malformed pattern', () => {
    expect(allowed('https://crm.com/', ['*.com'])).toBe(false);
    expect(allowed('https://api.crm.example:8443/', ['*.crm.example:8443'])).toBe(false);
    expect(allowed('https://api.crm.example/', ['api.crm.example/v1'])).toBe(false);
    expect(allowed('https://api.crm.example/', ['user@api.crm.example'])).toBe(false);
  });

  it('allows the host of the URL in a config field for config:<field>', () => {
    const config = { url: 'https://hooks.acme.example/uspa?token=1', other: 42 };
    expect(allowed('https://hooks.acme.example/other', ['config:url'], config)).toBe(true);
    expect(allowed('https://acme.example/', ['config:url'], config)).toBe(false);
    expect(allowed('https://hooks.acme.example/', ['config:other'], config)).toBe(false);
    expect(allowed('https://hooks.acme.example/', ['config:missing'], config)).toBe(false);
  });

  it('reads config:<field> through dot paths of own properties only', () => {
    const config = { crm: { endpoint: 'http://127.0.0.1:4318/hook' } };
    expect(allowed('http://127.0.0.1:4318/hook', ['config:crm.endpoint'], config)).toBe(true);
    expect(allowed('http://127.0.0.1:9000/', ['config:crm.endpoint'], config)).toBe(true);
    expect(allowed('http://127.0.0.1/', ['config:crm.toString'], config)).toBe(false);
    expect(allowed('https://hooks.example/', ['config:url'], { url: 'ftp://hooks.example/' })).toBe(
      false,
    );
  });

  it('refuses anything without a declared host, naming the host', () => {
    expect(checkNetworkAccess('https://evil.example/steal', [], {})).toEqual({
      allowed: false,
      reason:
        "ctx.fetch refused evil.example: the host is not in the plugin's permissions.network (none declared)",
    });
    expect(
      checkNetworkAccess('https://evil.example/', ['api.crm.example', 'config:url'], {}),
    ).toEqual({
      allowed: false,
      reason:
        "ctx.fetch refused evil.example: the host is not in the plugin's permissions.network (api.crm.example, config:url)",
    });
  });

  it('refuses schemes other than http and https, and what is not a URL', () => {
    expect(checkNetworkAccess('file:///etc/passwd', ['*.example'], {})).toMatchObject({
      allowed: false,
      reason: 'ctx.fetch refused "file:///etc/passwd": only http and https URLs',
    });
    expect(checkNetworkAccess('/relative', ['api.crm.example'], {})).toMatchObject({
      allowed: false,
      reason: 'ctx.fetch refused "/relative": only http and https URLs',
    });
  });
});
