import { describe, expect, it } from 'vitest';
import { escapedName, parseNpmSpec } from './npm-spec.js';

describe('parseNpmSpec', () => {
  it.each([
    ['geo@1.2.0', { name: 'geo', selector: '1.2.0', kind: 'version' }],
    [
      '@acme/uspa-crm@2.0.0-rc.1',
      { name: '@acme/uspa-crm', selector: '2.0.0-rc.1', kind: 'version' },
    ],
    ['geo@beta', { name: 'geo', selector: 'beta', kind: 'tag' }],
    ['@acme/uspa-crm', { name: '@acme/uspa-crm', selector: 'latest', kind: 'tag' }],
    [' geo ', { name: 'geo', selector: 'latest', kind: 'tag' }],
  ])('reads %s', (spec, parsed) => {
    expect(parseNpmSpec(spec)).toEqual(parsed);
  });

  it.each(['geo@~1.2.0', 'geo@1.x', 'geo@', 'geo@latest || 1'])('refuses the range %s', (spec) => {
    expect(() => parseNpmSpec(spec)).toThrow(/version range|Not a version or a dist-tag/);
  });

  it.each(['Geo@1.0.0', '../etc@1.0.0', '@acme@1.0.0', 'https://evil.example/x.tgz'])(
    'refuses the name in %s',
    (spec) => {
      expect(() => parseNpmSpec(spec)).toThrow(
        expect.objectContaining({ code: 'plugin_spec_invalid' }),
      );
    },
  );
});

describe('escapedName', () => {
  it('escapes only the scope slash, as npm does', () => {
    expect(escapedName('@acme/uspa-crm')).toBe('@acme%2fuspa-crm');
    expect(escapedName('geo')).toBe('geo');
  });
});
