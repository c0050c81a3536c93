import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CollectRequest, VisitorProcessMessage } from './visitor-process.js';

type Ready = Extract<VisitorProcessMessage, { ready: unknown }>['ready'];
export type VisitorReport = Extract<VisitorProcessMessage, { received: unknown }>;

export interface ConnectedVisitors extends Ready {
  /** Waits for these visitors' pushes until `deadline` (shared clock), then disconnects all. */
  collect(ids: string[], deadline: number): Promise<VisitorReport>;
  /** Ends the visitor process, whatever it is doing. */
  kill(): void;
}

const PROCESS_FILE = fileURLToPath(new URL('./visitor-process.ts', import.meta.url));

/**
 * Starts the visitor process and resolves once every visitor is connected and has its snapshot.
 *
 * @example
 * const visitors = await connectVisitors('http://127.0.0.1:8080', 1000);
 * const report = await visitors.collect(['bench-visitor-0'], sharedNow() + 5000);
 */
export async function connectVisitors(base: string, clients: number): Promise<ConnectedVisitors> {
  const child = fork(PROCESS_FILE, [base, String(clients)], { stdio: 'inherit' });
  const message = await nextMessage(child);
  if (!('ready' in message)) throw new Error('the visitor process did not report ready');
  return {
    ...message.ready,
    collect: async (ids, deadline) => {
      const report = nextMessage(child);
      child.send({ collect: ids, deadline } satisfies CollectRequest);
      const answer = await report;
      if (!('received' in answer)) throw new Error('the visitor process sent no report');
      return answer;
    },
    kill: () => void child.kill(),
  };
}

function nextMessage(child: ChildProcess): Promise<VisitorProcessMessage> {
  return new Promise((resolve, reject) => {
    const exited = (code: number | null): void =>
      reject(new Error(`the visitor process exited with ${code}`));
    child.once('exit', exited);
    child.once('message', (message: VisitorProcessMessage) => {
      child.off('exit', exited);
      resolve(message);
    });
  });
}
