// Soak memory probe, preloaded into the soak's child processes (NODE_OPTIONS=--import).
// Every 10 s it appends process.memoryUsage() to $FG_MEM_PROBE_DIR/<pid>.ndjson; on
// SIGUSR2 it runs a full GC first and appends the result with "gc": true. It lets the
// soak tell V8 heap, Buffers (external/arrayBuffers) and allocator residue apart
// without touching the product. Not loaded anywhere else.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const dir = process.env.FG_MEM_PROBE_DIR;
if (dir) {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc');
  const file = join(dir, `${process.pid}.ndjson`);
  const write = (extra) =>
    appendFileSync(
      file,
      `${JSON.stringify({ t: Date.now(), ...process.memoryUsage(), ...extra })}\n`,
    );
  setInterval(() => write({}), 10_000).unref();
  process.on('SIGUSR2', () => {
    gc();
    write({ gc: true });
  });
}
