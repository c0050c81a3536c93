/**
 * One gateway process for the fan-out tests: a realtime gateway on its own port, with its own
 * plain personalization, fanning out through Redis. Prints `ready <port>`, then reads one JSON
 * command per line from stdin and prints `done` after each:
 *   {"profileChange": ProfileChange}            its feed reports a profile change
 *   {"rules": PlainRule[], "announce": boolean} its rules become these (announced or not)
 * Stops when stdin ends.
 *
 * Usage: node --conditions=@uspa/source --import tsx gateway-process.fixture.ts <dataDir>
 *          <channelPrefix> <rules JSON>   (Redis at REDIS_URL, default 127.0.0.1:6379)
 */
import { createInterface } from 'node:readline';
import { startGatewayUnderTest } from './gateway-under-test.fixture.js';
import { KeyRing, type PlainRule } from './plain-personalization.fixture.js';
import type { ProfileChange } from './personalization.port.js';

const [dataDir, channelPrefix, rulesJson] = process.argv.slice(2);
if (!dataDir || !channelPrefix || !rulesJson) {
  throw new Error('usage: gateway-process.fixture.ts <dataDir> <channelPrefix> <rules JSON>');
}

interface Command {
  profileChange?: ProfileChange;
  rules?: PlainRule[];
  announce?: boolean;
}

const ring = new KeyRing(dataDir);
await ring.reload();
const under = await startGatewayUnderTest(ring.keys, JSON.parse(rulesJson) as PlainRule[], {
  redis: { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', channelPrefix },
});
process.stdout.write(`ready ${new URL(under.base).port}\n`);

for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line) as Command;
  if (command.profileChange) under.source.reportProfileChange(command.profileChange);
  if (command.rules && command.announce) under.source.reportRulesChanged(command.rules);
  else if (command.rules) under.source.rules = command.rules;
  process.stdout.write('done\n');
}
await under.stop();
await ring.close();
