import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from './webhook-signature.js';

const secret = 'whsec_8d2f0c6b1a9e4d7f';
const body = '{"id":"e-1","type":"Tracked"}';
const at = 1_795_000_000;
const now = new Date(at * 1000);

describe('webhook signatures', () => {
  it('are sha256= and the hex HMAC-SHA256 of "<timestamp>.<body>"', () => {
    const expected = createHmac('sha256', secret).update(`${at}.${body}`).digest('hex');
    expect(signWebhook(secret, at, body)).toBe(`sha256=${expected}`);
  });

  it('verify for the same secret, timestamp and body, as a string or as bytes', () => {
    const header = signWebhook(secret, at, body);
    expect(verifyWebhookSignature(secret, String(at), body, header, { now })).toBe(true);
    expect(verifyWebhookSignature(secret, at, Buffer.from(body), header, { now })).toBe(true);
  });

  it('do not verify with another secret, body or timestamp', () => {
    const header = signWebhook(secret, at, body);
    expect(verifyWebhookSignature('whsec_other_secret_00', at, body, header, { now })).toBe(false);
    expect(verifyWebhookSignature(secret, at, body.replace('e-1', 'e-2'), header, { now })).toBe(
      false,
    );
    expect(verifyWebhookSignature(secret, at + 1, body, header, { now })).toBe(false);
  });

  it('refuse a timestamp outside the tolerance, either way', () => {
    const later = signWebhook(secret, at + 301, body);
    const earlier = signWebhook(secret, at - 301, body);
    expect(verifyWebhookSignature(secret, at + 301, body, later, { now })).toBe(false);
    expect(verifyWebhookSignature(secret, at - 301, body, earlier, { now })).toBe(false);
    const options = { now, toleranceSeconds: 600 };
    expect(verifyWebhookSignature(secret, at - 301, body, earlier, options)).toBe(true);
  });

  it('refuse a missing or malformed header or timestamp', () => {
    const header = signWebhook(secret, at, body);
    const check = (timestamp: string | undefined, value: string | undefined) =>
      verifyWebhookSignature(secret, timestamp, body, value, { now });
    expect(check(String(at), undefined)).toBe(false);
    expect(check(String(at), header.replace('sha256=', 'sha1='))).toBe(false);
    expect(check(String(at), `${header}00`)).toBe(false);
    expect(check(String(at), `${header}zz`)).toBe(false);
    expect(check(String(at), header.slice(0, -2))).toBe(false);
    expect(check(undefined, header)).toBe(false);
    expect(check(`${at}.5`, header)).toBe(false);
    expect(check(` ${at}`, header)).toBe(false);
  });
});
