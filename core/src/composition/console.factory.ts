import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Router } from 'express';
import type { ProjectionControl } from '@uspa/projections';
import { Server } from 'socket.io';
import type { UspaConfig } from '../config/config.js';
import { ConsoleOverview } from '../console/console-overview.js';
import {
  CONSOLE_NAMESPACE,
  serveConsoleNamespace,
  type ConsoleLive,
} from '../console/console-namespace.js';
import { ConsoleSessions } from '../console/console-sessions.js';
import { consoleSite, DEFAULT_CONSOLE_DIST } from '../console/console-site.js';
import { contentPreviewRoutes } from '../console/content-preview.routes.js';
import { LiveFeed } from '../console/live-feed.js';
import { LogTally } from '../console/log-tally.js';
import { consoleSessionAuthentication } from '../console/session-cookie.js';
import { loadSessionSecret } from '../console/session-secret.js';
import { sessionRoutes } from '../console/session.routes.js';
import { SignInThrottle } from '../console/sign-in-throttle.js';
import { statsRoutes } from '../console/stats.routes.js';
import type { ContentRuleDirectory } from '../content/content-rule-directory.js';
import type { ApiKeyDirectory } from '../keys/api-key-directory.js';
import type { EventStore } from '../ports/event-store.port.js';
import type { Logger } from '../ports/logger.port.js';
import type { ProfileQueries } from '../profiles/profile-queries.js';

export interface ConsoleServerDeps {
  store: EventStore;
  keys: ApiKeyDirectory;
  profiles: ProfileQueries;
  contentRules: ContentRuleDirectory;
  /** The projections of this process, whose lag the overview shows; absent when run elsewhere. */
  projections: ProjectionControl | undefined;
  logger: Logger;
}

/** Everything the operations console needs from the server, wired. */
export interface ConsoleServer {
  /** Its API: mount before the content rule routes (`/v1/content-rules/resolve`). */
  readonly routers: Router[];
  /** The built console at `/`, or undefined when it is not built. */
  readonly site: Router | undefined;
  /** Call on every request before any handler: accepts the session cookie (see session-cookie). */
  readonly recognise: (request: IncomingMessage) => void;
  /** Serves `/console` on the realtime gateway's socket.io server, or on one of its own. */
  attach(httpServer: HttpServer, io: Server | undefined): void;
  /** Before the socket.io server closes. */
  close(): Promise<void>;
}

export async function createConsoleServer(
  config: Pick<UspaConfig, 'dataDir' | 'console'>,
  deps: ConsoleServerDeps,
): Promise<ConsoleServer> {
  const { store, keys, logger } = deps;
  const sessions = new ConsoleSessions(await loadSessionSecret(config));
  const tally = new LogTally(store);
  const distDir = config.console.distDir ?? DEFAULT_CONSOLE_DIST;
  const site = consoleSite(distDir);
  if (!site) {
    logger.info(
      { distDir },
      'The console is not built, so / answers JSON only: run `npm run build` to serve it',
    );
  }
  let live: ConsoleLive | undefined;
  let ownIo: Server | undefined;
  return {
    routers: [
      sessionRoutes({ keys, sessions, throttle: new SignInThrottle() }),
      statsRoutes(keys, new ConsoleOverview(tally, deps.projections)),
      contentPreviewRoutes({ keys, profiles: deps.profiles, rules: deps.contentRules }),
    ],
    site,
    recognise: consoleSessionAuthentication(sessions),
    attach: (httpServer, io) => {
      ownIo = io ? undefined : ownSocketServer(httpServer);
      const feed = new LiveFeed(store, logger.child({ module: 'console' }));
      live = serveConsoleNamespace(io ?? ownIo!, { keys, sessions, feed, tally, logger });
    },
    close: async () => {
      await live?.close();
      if (ownIo) {
        ownIo.engine.close();
        await ownIo.of('/').adapter.close();
      }
    },
  };
}

/** socket.io for the console alone, when this process serves no realtime personalisation. */
function ownSocketServer(httpServer: HttpServer): Server {
  const io = new Server(httpServer, {
    path: '/socket.io',
    serveClient: false,
    maxHttpBufferSize: 32 * 1024,
  });
  io.use((_socket, next) => next(new Error(`Connect to ${CONSOLE_NAMESPACE}`)));
  return io;
}
