import { describe, expect, it } from 'vitest';
import { anonymizeIp, isPublicIp, parseIp } from './ip-address.js';

describe('parseIp', () => {
  it.each([
    ['81.2.69.160', { family: 4, address: '81.2.69.160' }],
    [' 81.2.69.160 ', { family: 4, address: '81.2.69.160' }],
    ['81.2.69.160:8080', { family: 4, address: '81.2.69.160' }],
    ['::ffff:81.2.69.160', { family: 4, address: '81.2.69.160' }],
    ['2A00:1450:4009:081F:0000:0000:0000:200E', { family: 6, address: '2a00:1450:4009:81f::200e' }],
    ['[2a00:1450:4009:81f::200e]:443', { family: 6, address: '2a00:1450:4009:81f::200e' }],
    ['fe80::1%eth0', { family: 6, address: 'fe80::1' }],
    ['64:ff9b::81.2.69.160', { family: 6, address: '64:ff9b::5102:45a0' }],
  ])('reads %j', (text, expected) => {
    expect(parseIp(text)).toEqual(expected);
  });

  it.each([['not-an-ip'], ['256.1.1.1'], ['81.2.69'], [''], [42], [undefined], [null]])(
    'rejects %j',
    (value) => {
      expect(parseIp(value)).toBeUndefined();
    },
  );
});

describe('isPublicIp', () => {
  it.each([
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.10',
    '127.0.0.1',
    '169.254.10.1',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.251',
    '255.255.255.255',
    '::1',
    '::',
    'fd12:3456:789a::1',
    'fe80::1',
    '2001:db8::1',
  ])('%s is not public', (text) => {
    expect(isPublicIp(parseIp(text)!)).toBe(false);
  });

  it.each(['81.2.69.160', '8.8.8.8', '172.32.0.1', '2a00:1450:4009:81f::200e'])(
    '%s is public',
    (text) => {
      expect(isPublicIp(parseIp(text)!)).toBe(true);
    },
  );
});

describe('anonymizeIp', () => {
  it('zeroes the last octet of IPv4', () => {
    expect(anonymizeIp(parseIp('81.2.69.160')!)).toEqual({ family: 4, address: '81.2.69.0' });
  });

  it('keeps only the first 48 bits of IPv6', () => {
    expect(anonymizeIp(parseIp('2a00:1450:4009:81f::200e')!)).toEqual({
      family: 6,
      address: '2a00:1450:4009::',
    });
    expect(anonymizeIp(parseIp('2001:4860:0:2001::68')!).address).toBe('2001:4860::');
  });

  it('is idempotent, so re-anonymising a stored address changes nothing', () => {
    const once = anonymizeIp(parseIp('2a03:2880:f10c:83:face:b00c:0:25de')!);
    expect(anonymizeIp(once)).toEqual(once);
  });
});
