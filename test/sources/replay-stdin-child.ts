/**
 * Child process for replay.test.ts: replays standard input (`-`) and prints each post's
 * id the moment it is emitted, then `done` at EOF. Not a test file itself.
 */
import { createSource } from '../../src/feeder/sources/index.js';

const src = createSource({ kind: 'replay', path: '-' });
src.start((posts) => {
  for (const p of posts) process.stdout.write(`${p.id}\n`);
});
await src.done;
process.stdout.write(`done ${src.stats().posts} ${src.stats().malformed}\n`);
