/**
 * Preloaded into a server under test (`node --import ./bench/lib/probe.ts …`): every
 * `FILMGRAIN_BENCH_STATS_MS` (default 250) it prints one line on stderr,
 * `FGBENCH {"t":…,"rss":…,"elMaxMs":…,"elP99Ms":…,"gcMaxMs":…,"cpu":…}`, with the worst
 * event-loop delay and GC pause of that window (perf_hooks histogram, reset each window). The
 * server's own code is untouched: the same probe measures Filmgrain and the reference.
 */
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

const every = Number(process.env.FILMGRAIN_BENCH_STATS_MS ?? 250);
const h = monitorEventLoopDelay({ resolution: 5 });
h.enable();
// The longest GC pause of each window: tells a loop block the server's code caused
// from one the collector did.
let gcMaxMs = 0;
// Which collector made that pause (perf_hooks' constants: 1 minor/scavenge, 4 major
// mark-compact, 8 incremental marking, 16 weak callbacks): a scavenge grows with what
// survives the young generation, a mark-compact with the whole heap.
let gcMaxKind = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if (e.duration <= gcMaxMs) continue;
    gcMaxMs = e.duration;
    gcMaxKind = (e as { detail?: { kind?: number } }).detail?.kind ?? 0;
  }
}).observe({ entryTypes: ['gc'] });
const timer = setInterval(() => {
  const cpu = process.cpuUsage();
  const mem = process.memoryUsage();
  const line = {
    t: Number(process.hrtime.bigint() / 1000n),
    rss: mem.rss,
    elMaxMs: h.max / 1e6,
    elP99Ms: h.percentile(99) / 1e6,
    gcMaxMs,
    gcMaxKind,
    heapUsed: mem.heapUsed,
    cpu: (cpu.user + cpu.system) / 1e6,
  };
  h.reset();
  gcMaxMs = 0;
  gcMaxKind = 0;
  process.stderr.write(`FGBENCH ${JSON.stringify(line)}\n`);
}, every);
timer.unref();
