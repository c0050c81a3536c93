import { Command, InvalidArgumentError } from 'commander';
import { withStore } from './with-store.js';
import { SECRET_KEY_SCOPES, type SecretKeyScope } from '../domain/api-keys.js';
import { createApiKey, revokeApiKey } from '../keys/api-key-commands.js';
import { ApiKeyDirectory } from '../keys/api-key-directory.js';
import { STREAM_PREFIX } from '../domain/streams.js';
import { LogFollower } from '../read-models/log-follower.js';
import { publicKey } from '../keys/api-key.routes.js';

/** `uspa keys create|list|revoke`: manage API keys in the configured store. */
export function keysCommand(): Command {
  const keys = new Command('keys').description('manage write keys and secret keys');

  keys
    .command('create')
    .description('create a key and print it once (only its hash is kept)')
    .requiredOption('--type <type>', 'write (collection) or secret (API)', toType)
    .option('--name <name>', 'a name to recognise it by')
    .option(
      '--scopes <scopes>',
      `secret key scopes, comma-separated (${SECRET_KEY_SCOPES.join(', ')})`,
      toScopes,
    )
    .option(
      '--origins <origins>',
      'browser origins allowed to use a write key, comma-separated',
      toList,
    )
    .option('--source <sourceId>', 'the source whose events it collects (deduplication scope)')
    .option('--json', 'print JSON')
    .action(
      async (options: {
        type: 'write' | 'secret';
        name?: string;
        scopes?: SecretKeyScope[];
        origins?: string[];
        source?: string;
        json?: boolean;
      }) =>
        withStore(async (store) => {
          const { key, secret } = await createApiKey(store, {
            type: options.type,
            name: options.name,
            scopes: options.scopes,
            allowedOrigins: options.origins,
            sourceId: options.source,
          });
          if (options.json) {
            process.stdout.write(`${JSON.stringify({ ...publicKey(key), key: secret })}\n`);
          } else {
            process.stdout.write(`${secret}\n`);
            process.stderr.write(
              `created ${key.type} key ${key.id}; the secret above is shown only once\n`,
            );
          }
        }),
    );

  keys
    .command('list')
    .description('list keys (never their secrets)')
    .action(async () =>
      withStore(async (store) => {
        const directory = new ApiKeyDirectory();
        const follower = new LogFollower(store, silentLogger, STREAM_PREFIX.apiKey, (event) =>
          directory.apply(event),
        );
        await follower.start();
        await follower.stop();
        for (const key of directory.list()) {
          process.stdout.write(`${JSON.stringify(publicKey(key))}\n`);
        }
      }),
    );

  keys
    .command('revoke <id>')
    .description('revoke a key: it stops working within a second')
    .action(async (id: string) =>
      withStore(async (store) => {
        await revokeApiKey(store, id);
        process.stderr.write(`revoked key ${id}\n`);
      }),
    );

  return keys;
}

function toType(value: string): 'write' | 'secret' {
  if (value !== 'write' && value !== 'secret') throw new InvalidArgumentError('write or secret');
  return value;
}

function toList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function toScopes(value: string): SecretKeyScope[] {
  const scopes = toList(value);
  for (const scope of scopes) {
    if (!SECRET_KEY_SCOPES.includes(scope as SecretKeyScope)) {
      throw new InvalidArgumentError(`unknown scope ${scope}`);
    }
  }
  return scopes as SecretKeyScope[];
}

const ignore = (): void => undefined;
const silentLogger = {
  trace: ignore,
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
  fatal: ignore,
  child: () => silentLogger,
};
