import { readFileSync } from 'node:fs';

/**
 * CPU time (user + system, in microseconds) the main thread of this process has used, read from
 * Linux's per-thread accounting; undefined elsewhere. `process.cpuUsage()` counts every thread,
 * and event-loop utilisation counts time the thread waited for a core, so neither tells what
 * the event loop itself spends when other threads and processes share the machine.
 *
 * @example
 * const before = mainThreadCpu();
 * // … load …
 * const spent = mainThreadCpu()! - before!;
 */
export function mainThreadCpu(): number | undefined {
  try {
    const stat = readFileSync(`/proc/${process.pid}/task/${process.pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and
    // 13th, in clock ticks (USER_HZ, 100 on Linux).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return undefined;
  }
}
