import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { realtimeGatewayOptions } from './realtime-settings.js';

describe('realtimeGatewayOptions', () => {
  it('runs in this process only on embedded read models', () => {
    expect(realtimeGatewayOptions(loadConfig({}))).toEqual({});
  });

  it('fans out through the read models Redis when they are on Redis, under their key prefix', () => {
    const config = loadConfig({
      USPA_READ_MODELS: 'opensearch-redis',
      REDIS_URL: 'redis://cache:6379',
    });
    expect(realtimeGatewayOptions(config)).toEqual({
      redis: { url: 'redis://cache:6379', channelPrefix: 'uspa:realtime' },
    });
  });

  it('prefers an explicit realtime Redis and passes the identity secret', () => {
    const config = loadConfig({
      USPA_READ_MODELS: 'opensearch-redis',
      USPA_REALTIME_REDIS_URL: 'redis://pubsub:6379',
      USPA_IDENTITY_SECRET: 'identity-secret-for-tests',
    });
    expect(realtimeGatewayOptions(config)).toEqual({
      identitySecret: 'identity-secret-for-tests',
      redis: { url: 'redis://pubsub:6379', channelPrefix: 'uspa:realtime' },
    });
  });
});
