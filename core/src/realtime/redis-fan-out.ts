import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Logger } from '../ports/logger.port.js';

export interface RedisFanOutOptions {
  url: string;
  /** Prefix of the pub/sub channels: installations sharing one Redis use different ones. */
  channelPrefix: string;
}

/** The socket.io Redis adapter over its own publishing and subscribed connections. */
export interface RedisFanOut {
  readonly adapter: ReturnType<typeof createAdapter>;
  /** Settles once the subscriptions made so far are in place on the Redis server. */
  subscribed(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Connects the two Redis connections the socket.io adapter needs. Fails when Redis cannot be
 * reached at start, so a misconfigured node does not run cut off from its cluster; later
 * outages are logged and retried by ioredis.
 *
 * @example
 * const fanOut = await openRedisFanOut({ url: 'redis://127.0.0.1:6379', channelPrefix: 'uspa:realtime' }, log);
 * io.adapter(fanOut.adapter);
 */
export async function openRedisFanOut(
  options: RedisFanOutOptions,
  log: Logger,
): Promise<RedisFanOut> {
  const pub = new Redis(options.url, { lazyConnect: true, connectTimeout: 5000 });
  const sub = pub.duplicate();
  for (const client of [pub, sub]) {
    client.on('error', (error: Error) => log.warn({ err: error }, 'Realtime Redis connection'));
  }
  try {
    await Promise.all([pub.connect(), sub.connect()]);
  } catch (error) {
    pub.disconnect();
    sub.disconnect();
    throw new Error(`Cannot reach Redis for realtime fan-out at ${redacted(options.url)}`, {
      cause: error,
    });
  }
  return {
    adapter: createAdapter(guardPublishing(pub, log), sub, { key: options.channelPrefix }),
    // Redis answers a connection's commands in order: the PING comes back after the SUBSCRIBEs.
    subscribed: async () => void (await sub.ping()),
    close: async () => {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}

/**
 * The adapter ignores what PUBLISH returns; while Redis is down that promise rejects, and an
 * unhandled rejection would end the process. A lost fan-out message is logged instead: the
 * visitors it was for get the current state with their next snapshot.
 */
function guardPublishing(client: Redis, log: Logger): Redis {
  const publish = (channel: string, message: string | Buffer): Promise<number> =>
    client.publish(channel, message).catch((error: unknown) => {
      log.warn({ err: error, channel }, 'A realtime fan-out message was lost');
      return 0;
    });
  return new Proxy(client, {
    get(target, property) {
      if (property === 'publish') return publish;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function'
        ? (value as (...args: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}

/** The URL without its password, for messages. */
function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the configured URL';
  }
}
