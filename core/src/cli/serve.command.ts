import { Command } from 'commander';
import { startUspaServer } from '../composition/uspa-server.js';
import { loadConfig } from '../config/load-config.js';

/** `uspa serve`: runs the API on the configured adapters until SIGTERM or SIGINT. */
export function serveCommand(): Command {
  return new Command('serve')
    .description('serve the HTTP API (embedded stores by default; see README for settings)')
    .action(async () => {
      const server = await startUspaServer(loadConfig(process.env));
      let signals = 0;
      const onSignal = (signal: NodeJS.Signals): void => {
        signals += 1;
        if (signals > 1) {
          process.stderr.write(`uspa: second ${signal}, exiting at once\n`);
          process.exit(130);
        }
        server.stop().then(
          () => process.exit(0),
          (error: unknown) => {
            process.stderr.write(`uspa: shutdown failed: ${(error as Error).message}\n`);
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
    });
}
