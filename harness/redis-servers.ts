/**
 * Real `redis-server` processes for tests: a single node on a spare port (stop and
 * restart it to simulate an outage) and a three-master Cluster made with
 * `redis-cli --cluster create`. No persistence (`--save '' --appendonly no`), working
 * files in a temporary directory, every process killed by `stop()`.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Is `port` free on 127.0.0.1? */
function free(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A port in 20000–29999 that is free, with its Cluster bus port (+10000) free too. */
export async function sparePort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = 20000 + Math.floor(Math.random() * 10000);
    if ((await free(port)) && (await free(port + 10000))) return port;
  }
  throw new Error('no spare port found');
}

async function cli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-p', String(port), ...args], { timeout: 10_000 });
  return stdout;
}

async function waitFor(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export class RedisServer {
  private proc: ChildProcess | null = null;
  readonly dir: string;

  private constructor(
    readonly port: number,
    private readonly cluster: boolean,
    private readonly extraArgs: readonly string[],
  ) {
    this.dir = mkdtempSync(join(tmpdir(), `fg-redis-${port}-`));
  }

  static async start(
    opts: { port?: number; cluster?: boolean; args?: string[] } = {},
  ): Promise<RedisServer> {
    const server = new RedisServer(
      opts.port ?? (await sparePort()),
      opts.cluster ?? false,
      opts.args ?? [],
    );
    await server.restart();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.proc !== null;
  }

  /** Starts the process (again, after `stop()`: same port, empty data). */
  async restart(): Promise<void> {
    if (this.proc !== null) return;
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      this.dir,
      '--loglevel',
      'warning',
    ];
    if (this.cluster)
      args.push('--cluster-enabled', 'yes', '--cluster-config-file', join(this.dir, 'nodes.conf'));
    args.push(...this.extraArgs);
    const proc = spawn('redis-server', args, { stdio: 'ignore' });
    this.proc = proc;
    proc.once('exit', () => {
      if (this.proc === proc) this.proc = null;
    });
    await waitFor(
      async () => (await cli(this.port, 'PING')).trim() === 'PONG',
      `redis :${this.port}`,
    );
  }

  /** Kills the process (SIGKILL: an abrupt outage) and waits for it to exit. */
  async stop(): Promise<void> {
    const proc = this.proc;
    if (proc === null) return;
    this.proc = null;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill('SIGKILL');
    await exited;
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface ClusterOptions {
  /** Replicas per master (`--cluster-replicas`). Default 0. */
  replicas?: number;
  /** `cluster-node-timeout`, ms: how long a master is unreachable before its replica
   * takes over. Default: the server's (15,000). */
  nodeTimeoutMs?: number;
}

export class RedisCluster {
  private constructor(readonly nodes: RedisServer[]) {}

  /**
   * `masters` masters (and `replicas` replicas each), all 16384 slots assigned; waits
   * for cluster_state:ok and, with replicas, for every replica to be in sync.
   */
  static async start(masters = 3, opts: ClusterOptions = {}): Promise<RedisCluster> {
    const replicas = opts.replicas ?? 0;
    const args =
      opts.nodeTimeoutMs === undefined
        ? []
        : ['--cluster-node-timeout', String(opts.nodeTimeoutMs)];
    const nodes: RedisServer[] = [];
    try {
      for (let i = 0; i < masters * (1 + replicas); i++)
        nodes.push(await RedisServer.start({ cluster: true, args }));
      const addrs = nodes.map((n) => `127.0.0.1:${n.port}`);
      await run(
        'redis-cli',
        ['--cluster', 'create', ...addrs, '--cluster-replicas', String(replicas), '--cluster-yes'],
        { timeout: 20_000 },
      );
      for (const n of nodes)
        await waitFor(
          async () => (await cli(n.port, 'CLUSTER', 'INFO')).includes('cluster_state:ok'),
          `cluster state ok on :${n.port}`,
          20_000,
        );
      const cluster = new RedisCluster(nodes);
      if (replicas > 0)
        await waitFor(
          async () => {
            let synced = 0;
            for (const n of nodes) {
              const info = await cli(n.port, 'INFO', 'replication');
              if (/^role:slave/m.test(info) && /master_link_status:up/.test(info)) synced++;
            }
            return synced === masters * replicas;
          },
          'replicas in sync',
          20_000,
        );
      return cluster;
    } catch (err) {
      await Promise.all(nodes.map((n) => n.destroy()));
      throw err;
    }
  }

  /** The `--redis` value: every node, comma-separated. */
  get url(): string {
    return this.nodes.map((n) => n.url).join(',');
  }

  /** The nodes whose process is running. */
  get live(): RedisServer[] {
    return this.nodes.filter((n) => n.running);
  }

  /** `CLUSTER NODES` as seen by a live node: port, flags, link state, slot ranges. */
  async nodeLines(): Promise<{ port: number; flags: string; link: string; slots: string[] }[]> {
    const text = await cli(this.live[0]!.port, 'CLUSTER', 'NODES');
    return text
      .trim()
      .split('\n')
      .map((line) => {
        const f = line.split(' ');
        return {
          port: Number(f[1]!.split('@')[0]!.split(':')[1]),
          flags: f[2]!,
          link: f[7]!,
          slots: f.slice(8),
        };
      });
  }

  /** The slot of a key (or hash tag), computed by the server. */
  async slotOf(key: string): Promise<number> {
    return Number((await cli(this.live[0]!.port, 'CLUSTER', 'KEYSLOT', key)).trim());
  }

  /** The node that is master of `slot` now, as the live nodes see it. */
  async masterOf(slot: number): Promise<RedisServer | undefined> {
    for (const l of await this.nodeLines()) {
      if (!l.flags.includes('master') || l.flags.includes('fail')) continue;
      const owns = l.slots.some((r) => {
        const [a, b = a] = r.split('-').map(Number) as [number, number?];
        return slot >= a && slot <= b!;
      });
      if (owns) return this.nodes.find((n) => n.port === l.port && n.running);
    }
    return undefined;
  }

  /**
   * Waits until a live node other than `old` is master of `slot` and every live node
   * reports cluster_state:ok (a replica was promoted); resolves with the new master.
   */
  async waitForPromotion(slot: number, old: RedisServer, ms = 60_000): Promise<RedisServer> {
    let master: RedisServer | undefined;
    await waitFor(
      async () => {
        master = await this.masterOf(slot);
        if (master === undefined || master === old) return false;
        for (const n of this.live)
          if (!(await cli(n.port, 'CLUSTER', 'INFO')).includes('cluster_state:ok')) return false;
        return true;
      },
      `a replica promoted for slot ${slot}`,
      ms,
    );
    return master!;
  }

  async destroy(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.destroy()));
  }
}
