/** Readers of /proc (Linux): a process's CPU time and memory, and kernel socket memory. */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ; 100 on every Linux we run). */
const TICKS_PER_SECOND = 100;

/** User + system CPU seconds a process has used so far (0 once it is gone). */
export function cpuSeconds(pid: number): number {
  const { user, system } = cpuTimes(pid);
  return user + system;
}

/**
 * A process's CPU seconds in user space and in the kernel. On loopback the kernel part
 * of a write includes the receiving end's TCP work (it runs in the sender's context),
 * which a remote client would not cost: the split tells the two apart.
 */
export function cpuTimes(pid: number): { user: number; system: number } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the `(comm)`, which may itself hold spaces: state is field 3.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {
      user: Number(rest[11]) / TICKS_PER_SECOND,
      system: Number(rest[12]) / TICKS_PER_SECOND,
    };
  } catch {
    return { user: 0, system: 0 };
  }
}

/** Resident set size now and at its peak (VmRSS, VmHWM), in bytes. */
export function memory(pid: number): { rss: number; peakRss: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (key: string) => {
      const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
      return m ? Number(m[1]) * 1024 : 0;
    };
    return { rss: kib('VmRSS'), peakRss: kib('VmHWM') };
  } catch {
    return { rss: 0, peakRss: 0 };
  }
}

/**
 * Kernel memory held by TCP sockets, machine-wide, in bytes (/proc/net/sockstat `mem`,
 * counted in pages). Loopback: both ends of every connection count, so a caller
 * measures a delta and splits it by side.
 */
export function tcpKernelBytes(): { inuse: number; bytes: number } {
  try {
    const s = readFileSync('/proc/net/sockstat', 'utf8');
    const m = /^TCP: inuse (\d+) orphan \d+ tw \d+ alloc \d+ mem (\d+)/m.exec(s);
    return m ? { inuse: Number(m[1]), bytes: Number(m[2]) * 4096 } : { inuse: 0, bytes: 0 };
  } catch {
    return { inuse: 0, bytes: 0 };
  }
}
