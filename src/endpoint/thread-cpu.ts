/**
 * CPU time of the calling thread, ms: what a flush pass costs the event loop itself.
 * `process.cpuUsage()` counts every thread of the process, so V8's concurrent marking and
 * sweeping on the other core landed in whichever flush pass they overlapped: at 1,000
 * TLS clients × 50 posts/s a pass of ~23 ms of main-thread CPU was priced at up to 101 ms
 * (bench:fanout, a trace of every pass), which opened a coalescing window that load did
 * not call for. Linux gives the thread's own time in /proc/thread-self/schedstat (first
 * field, ns on a CPU); elsewhere, or where it cannot be read, the process's time stands in.
 * Node 20 has no `process.threadCpuUsage` (it came in 23.9).
 */
import { closeSync, openSync, readSync } from 'node:fs';

const processCpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** A clock of this thread's CPU time in ms (one pread of a procfs file per call). */
export function threadCpuClock(): () => number {
  let fd: number;
  try {
    fd = openSync('/proc/thread-self/schedstat', 'r');
  } catch {
    return processCpuMs;
  }
  const buf = Buffer.alloc(64);
  const read = (): number => {
    const n = readSync(fd, buf, 0, buf.length, 0);
    const space = buf.indexOf(32);
    return Number(buf.toString('latin1', 0, space > 0 && space < n ? space : n)) / 1e6;
  };
  try {
    if (!Number.isFinite(read())) throw new Error('unreadable');
  } catch {
    closeSync(fd);
    return processCpuMs;
  }
  return read;
}
