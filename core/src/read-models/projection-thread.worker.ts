/**
 * The projection thread of a serving process (see `ProjectionThread`): the projection host runs
 * here, beside the event loop that serves HTTP and the realtime gateway. It reads the event log
 * through a connection of its own, woken by the serving thread's commits; it appends through the
 * serving thread, so the log keeps one writer; it writes the read models itself.
 */
import { inspect } from 'node:util';
import { parentPort, workerData } from 'node:worker_threads';
import {
  UnknownProjectionError,
  type ProjectionEventLog,
  type ProjectionHost,
  type ReadModelStore,
} from '@uspa/projections';
import type { AppendOptions, AppendResult, EventToAppend } from '@uspa/sdk';
import { SqliteEventStore } from '../adapters/sqlite/sqlite-event-store.js';
import { restoreError } from '../adapters/sqlite/store-error-transfer.js';
import { eventLogFile } from '../composition/event-store.factory.js';
import { createProjectionHost, openReadModels } from '../composition/read-side.factory.js';
import type { UspaConfig } from '../config/config.js';
import { ProfileChangeSender } from './profile-change-relay.js';
import type {
  ControlMethod,
  FromProjectionThread,
  ThreadError,
  ToProjectionThread,
} from './projection-thread.messages.js';
import { threadLogger } from './thread-logger.js';

const { config } = workerData as { config: UspaConfig };
const port = parentPort!;
const send = (message: FromProjectionThread): void => port.postMessage(message);
const logger = threadLogger((level, details, message) => {
  try {
    send({ kind: 'log', level, details, message });
  } catch {
    // Details that cannot cross (a function, a socket) are told by their text.
    send({ kind: 'log', level, details: { details: inspect(details) }, message });
  }
}, config.log.level);

const reader = new SqliteEventStore({
  file: eventLogFile(config),
  synchronous: config.eventStore.sqlite.synchronous,
  pollIntervalMs: config.eventStore.sqlite.pollIntervalMs,
  writer: 'inline',
});
const appends = new Map<
  number,
  { resolve: (result: AppendResult) => void; reject: (error: unknown) => void }
>();
let nextAppend = 1;
const log: ProjectionEventLog = {
  subscribeToAll: (options) => reader.subscribeToAll(options),
  readStream: (streamId, options) => reader.readStream(streamId, options),
  readAll: (options) => reader.readAll(options),
  append: (streamId: string, events: readonly EventToAppend[], options?: AppendOptions) =>
    new Promise((resolve, reject) => {
      const id = nextAppend++;
      appends.set(id, { resolve, reject });
      send({ kind: 'append', id, streamId, events, options });
    }),
};

let store: ReadModelStore | undefined;
let host: ProjectionHost | undefined;
let stopping: Promise<void> | undefined;

port.on('message', (message: ToProjectionThread) => {
  switch (message.kind) {
    case 'committed':
      reader.noticeCommit(message.commit);
      return;
    case 'appended':
      appends.get(message.id)?.resolve(message.result);
      appends.delete(message.id);
      return;
    case 'appendFailed':
      appends.get(message.id)?.reject(restoreError(message.error));
      appends.delete(message.id);
      return;
    case 'call':
      answer(message.id, message.method, message.args);
      return;
    case 'stop':
      stopping ??= stop();
      return;
  }
});

try {
  store = await openReadModels(config, logger);
  host = createProjectionHost(config, log, store, logger, new ProfileChangeSender(send));
  await host.start();
  send({ kind: 'started' });
} catch (error) {
  send({ kind: 'startFailed', message: error instanceof Error ? error.message : String(error) });
}

function answer(id: number, method: ControlMethod, args: unknown[]): void {
  call(method, args).then(
    (value) => send({ kind: 'answer', id, value }),
    (error: unknown) => send({ kind: 'answerFailed', id, error: threadError(error) }),
  );
}

async function call(method: ControlMethod, args: unknown[]): Promise<unknown> {
  if (!host || !store || stopping) throw new Error('projections are not running');
  const name = args[0] as string;
  switch (method) {
    case 'statuses':
      return host.statuses();
    case 'status':
      return host.status(name);
    case 'rebuild':
      return host.rebuild(name);
    case 'deadLettersPending':
      return host.deadLetters.pending(name);
    case 'deadLettersReplay':
      return host.deadLetters.replay(name);
    case 'waitFor': {
      const [, position, timeoutMs, options] = args as [
        string,
        number,
        number?,
        { settled?: boolean }?,
      ];
      const reached = await host.waitFor(name, position, timeoutMs, options);
      // The serving thread reads documents through its own connection: they must be in.
      if (reached) await store.written?.();
      return reached;
    }
  }
}

async function stop(): Promise<void> {
  try {
    await host?.stop();
    await store?.close();
    await reader.close();
  } finally {
    send({ kind: 'stopped' });
    port.close();
  }
}

function threadError(error: unknown): ThreadError {
  if (error instanceof UnknownProjectionError) {
    return { name: error.name, message: error.message, projection: error.projection };
  }
  return {
    name: error instanceof Error ? error.name : 'Error',
    message: error instanceof Error ? error.message : String(error),
  };
}
