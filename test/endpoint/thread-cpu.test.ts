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
  const end = performance.now() + 60;
  let x = 0;
  while (performance.now() < end) x += Math.sqrt(x + 1);
  const spent = cpu() - before;
  assert.ok(x > 0);
  // 60 ms of wall time spinning; on a shared core the thread may get less of it.
  assert.ok(spent > 5 && spent < 1000, `spent ${spent} ms`);
});

test('the thread clock does not count another thread’s work; the process clock does', {
  skip: process.platform !== 'linux' && 'the thread clock is the process clock off Linux',
}, () => {
  const cpu = threadCpuClock();
  const done = new Int32Array(new SharedArrayBuffer(4));
  const thread0 = cpu();
  const process0 = processCpuMs();
  // The worker spins 300 ms of wall time; this thread sleeps in Atomics.wait meanwhile.
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
     const end = performance.now() + 300; let x = 0;
     while (performance.now() < end) x += Math.sqrt(x + 1);
     Atomics.store(workerData, 0, 1); Atomics.notify(workerData, 0);`,
    { eval: true, workerData: done },
  );
  while (Atomics.load(done, 0) === 0) Atomics.wait(done, 0, 0, 5000);
  const threadSpent = cpu() - thread0;
  const processSpent = processCpuMs() - process0;
  void worker.terminate();
  assert.ok(
    processSpent - threadSpent > 50,
    `process ${processSpent} ms, thread ${threadSpent} ms`,
  );
  // Starting a worker costs this thread a little; the spin itself costs it nothing.
  assert.ok(threadSpent < 100, `thread ${threadSpent} ms while another thread spun 300 ms`);
});
