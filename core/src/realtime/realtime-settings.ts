import type { UspaConfig } from '../config/config.js';
import type { RealtimeGatewayOptions } from './realtime-gateway.js';

/**
 * The gateway options of a configuration. Without an explicit `realtime.redisUrl`, a process
 * whose read models are on Redis fans out through that Redis (its nodes share it anyway); an
 * embedded installation is one process and needs none. Channels live under the read models' key
 * prefix, so installations sharing a Redis do not hear each other.
 *
 * @example
 * const options = realtimeGatewayOptions(config);
 * const gateway = await attachRealtimeGateway(server, deps, options);
 */
export function realtimeGatewayOptions(
  config: Pick<UspaConfig, 'realtime' | 'readModels'>,
): RealtimeGatewayOptions {
  const { realtime, readModels } = config;
  const url =
    realtime.redisUrl ??
    (readModels.adapter === 'opensearch-redis' ? readModels.redis.url : undefined);
  return {
    ...(realtime.identitySecret !== undefined && { identitySecret: realtime.identitySecret }),
    ...(url !== undefined && {
      redis: { url, channelPrefix: `${readModels.redis.keyPrefix}realtime` },
    }),
  };
}
