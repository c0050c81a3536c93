import { Command } from 'commander';
import { ConfigError } from '../errors/index.js';
import { eventsCommand } from './events.command.js';
import { importCommand } from './import.command.js';
import { keysCommand } from './keys.command.js';
import { projectionsCommand, replayCommand } from './projections.command.js';
import { serveCommand } from './serve.command.js';

const program = new Command('uspa')
  .description('USPA: an open-source, self-hosted, event-sourced Customer Data Platform')
  .showHelpAfterError()
  .addCommand(serveCommand())
  .addCommand(eventsCommand())
  .addCommand(keysCommand())
  .addCommand(importCommand())
  .addCommand(projectionsCommand())
  .addCommand(replayCommand());

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Configuration and usage errors are the operator's to fix: one line, no stack trace.
  if (error instanceof ConfigError) {
    process.stderr.write(`uspa: ${error.message}\n`);
    process.exit(78);
  }
  process.stderr.write(`uspa: ${(error as Error).message}\n`);
  process.exit(1);
}
