/**
 * A Lua script run by EVALSHA, falling back to EVAL once when the server does not have
 * it cached (a restarted Redis, a new Cluster node) — the `NOSCRIPT` error code.
 */
import { createHash } from 'node:crypto';
import type { RedisConnection } from './connection.js';

export class Script {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /** Runs on the node that owns `keys[0]` (every key must share its slot). */
  async run(conn: RedisConnection, keys: string[], args: string[]): Promise<unknown> {
    const tail = [String(keys.length), ...keys, ...args];
    try {
      return await conn.send(keys[0], false, ['EVALSHA', this.sha, ...tail]);
    } catch (err) {
      // A Redis error reply starts with its code (RESP simple error): NOSCRIPT is the code.
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return conn.send(keys[0], false, ['EVAL', this.source, ...tail]);
    }
  }
}
