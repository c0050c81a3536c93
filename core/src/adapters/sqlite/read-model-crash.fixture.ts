/**
 * Commits one batch of documents to a read-model store and is killed (SIGKILL) the moment the
 * commit returns, before the document writer thread can have written them all.
 * Usage: node --conditions=@uspa/source --import tsx read-model-crash.fixture.ts <file> <count>
 */
import { SqliteReadModelStore } from './sqlite-read-model-store.js';

const [file, countText] = process.argv.slice(2);
const store = SqliteReadModelStore.open(file!);
await store.documents.createCollection('people', { fields: { name: 'text', plan: 'keyword' } });
const documents = Array.from({ length: Number(countText) }, (_, n) => ({
  op: 'upsert' as const,
  collection: 'people',
  id: `p${n}`,
  document: { name: `Person ${n} of the crash`, plan: n % 2 === 0 ? 'pro' : 'free' },
}));
await store.commit({
  documents,
  keyValues: [{ op: 'set', key: 'last', value: String(countText) }],
  checkpoint: { name: 'people', position: 42 },
});
process.kill(process.pid, 'SIGKILL');
