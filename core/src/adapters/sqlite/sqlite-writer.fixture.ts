/**
 * A second process writing to the same SQLite file, for the multi-process tests. Appends
 * `count` single-event appends to `streams` round-robin and prints `acked <n>` after each one.
 * Usage: node --import tsx sqlite-writer.fixture.ts <file> <count> <tag>
 */
import { SqliteEventStore } from './sqlite-event-store.js';

const [file, countText, tag] = process.argv.slice(2);
const store = new SqliteEventStore({ file: file!, synchronous: 'FULL', pollIntervalMs: 50 });
const count = Number(countText);
for (let n = 0; n < count; n++) {
  await store.append(`${tag}-${n % 7}`, [{ type: 'Written', data: { tag, n } }]);
  process.stdout.write(`acked ${n}\n`);
}
await store.close();
