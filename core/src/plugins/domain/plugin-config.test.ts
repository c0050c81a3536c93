import { describe, expect, it } from 'vitest';
import { SecretBox } from '../../secrets/secret-box.js';
import { maskSecrets, MASKED, openSecrets, sealSecrets } from './plugin-config.js';

const schema = {
  type: 'object',
  properties: {
    url: { type: 'string' },
    secret: { type: 'string', writeOnly: true },
    crm: {
      type: 'object',
      properties: { apiKey: { type: 'string', format: 'password' }, region: { type: 'string' } },
    },
  },
};
const box = new SecretBox(Buffer.from('an operator secret of 32 bytes!!'));
const config = {
  url: 'https://hooks.example.com',
  secret: 'whsec_1',
  crm: { apiKey: 'key_2', region: 'eu' },
};

describe('plugin configuration secrets', () => {
  it('seals only the secret fields that are set, and opens them again', () => {
    const sealed = sealSecrets(schema, config, box);
    expect(sealed.url).toBe(config.url);
    expect((sealed.crm as Record<string, unknown>).region).toBe('eu');
    expect(JSON.stringify(sealed)).not.toMatch(/whsec_1|key_2/);
    expect(openSecrets(sealed, box)).toEqual({ config });
    expect(sealSecrets(schema, { url: 'u', secret: '' }, box)).toEqual({ url: 'u', secret: '' });
  });

  it('does not seal twice, and passes on configurations stored in clear', () => {
    const sealed = sealSecrets(schema, config, box);
    expect(sealSecrets(schema, sealed, box)).toEqual(sealed);
    expect(openSecrets(config, box)).toEqual({ config });
  });

  it('leaves out a secret it cannot open, and says which and why', () => {
    const other = new SecretBox(Buffer.from('another operator secret, 32 byte'));
    const { config: opened, problem } = openSecrets(sealSecrets(schema, config, box), other);
    expect(opened).toEqual({ url: config.url, crm: { region: 'eu' } });
    expect(problem).toContain('/secret: the secret was sealed with key');
    expect(problem).toContain('/crm/apiKey');
  });

  it('masks sealed secrets in responses like clear ones', () => {
    const masked = maskSecrets(schema, sealSecrets(schema, config, box));
    expect(masked).toEqual({
      url: config.url,
      secret: MASKED,
      crm: { apiKey: MASKED, region: 'eu' },
    });
  });
});
