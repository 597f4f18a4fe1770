/**
 * The flush pacer prices a pass by the flushing thread's CPU (thread-cpu.ts), so work on
 * another thread of the process (V8's concurrent GC; here a worker) must not count.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { threadCpuClock } from '../../src/endpoint/thread-cpu.js';

const processCpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

test('the thread clock counts this thread’s work', () => {
  const cpu = threadCpuClock();
  const before = cpu();
  // Spin until the process has spent 40 ms of CPU (this thread's, in a test process that
  // does nothing else), however long a shared core makes that take.
  const process0 = processCpuMs();
  let x = 0;
  while (processCpuMs() - process0 < 40) x += Math.sqrt(x + 1);
  const spent = cpu() - before;
  assert.ok(x > 0);
  assert.ok(spent >= 30 && spent < 400, `thread spent ${spent} ms of the process's 40+`);
});

test('the thread clock does not count another thread’s work; the process clock does', {
  skip: process.platform !== 'linux' && 'the thread clock is the process clock off Linux',
}, () => {
  const cpu = threadCpuClock();
  const done = new Int32Array(new SharedArrayBuffer(4));
  const thread0 = cpu();
  const process0 = processCpuMs();
  // The worker spins until the process has spent 200 ms of CPU since it began; this
  // thread sleeps in Atomics.wait meanwhile, so nearly all of that is the worker's.
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
     const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
     const start = cpu(); let x = 0;
     while (cpu() - start < 200) x += Math.sqrt(x + 1);
     Atomics.store(workerData, 0, 1); Atomics.notify(workerData, 0);`,
    { eval: true, workerData: done },
  );
  while (Atomics.load(done, 0) === 0) Atomics.wait(done, 0, 0, 30_000);
  const threadSpent = cpu() - thread0;
  const processSpent = processCpuMs() - process0;
  void worker.terminate();
  assert.ok(processSpent >= 200, `process ${processSpent} ms`);
  // Starting a worker costs this thread a little; the spin itself costs it nothing.
  assert.ok(threadSpent < 100, `thread ${threadSpent} ms while another thread spun 200 ms`);
});
