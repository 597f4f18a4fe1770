/**
 * The servers under test, started as child processes on a free port, each with an
 * injector that speaks its input: Filmgrain (`filmgrain start --source replay --replay -
 * --speed max`: posts as NDJSON on stdin, through feeder → engine → endpoint), the bare
 * reference (`<movie> <line>` on stdin) and nats-server (PUB over its own protocol).
 * Node servers get the stats probe preloaded (event-loop delay, RSS) on stderr.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import tls from 'node:tls';
import { freePort } from '../../harness/ports.js';
import type { TargetKind } from '../client-worker.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const NATS_SERVER = process.env.NATS_SERVER ?? '/usr/sbin/nats-server';

export interface ProbeSample {
  t: number;
  rss: number;
  elMaxMs: number;
  elP99Ms: number;
  /** Longest GC pause in the window (absent from an older probe). */
  gcMaxMs?: number;
  /** perf_hooks' kind of that pause (1 minor, 4 major, 8 incremental, 16 weak). */
  gcMaxKind?: number;
  heapUsed?: number;
  cpu: number;
}

export interface TargetOptions {
  kind: TargetKind;
  tls: boolean;
  certPath: string;
  keyPath: string;
  ca: string;
  workDir: string;
  /** Filmgrain only: a Redis URL for `--redis`, else the in-process engine. */
  redis?: string | undefined;
  /** Extra flags for `filmgrain start`. */
  extraArgs?: string[];
  /** Filmgrain only: run the CLI of another checkout (a baseline build), not this one. */
  root?: string | undefined;
  /** Node flags for the server process (e.g. V8 heap settings). */
  nodeArgs?: string[];
  /** Run the server with `--cpu-prof` into this directory. */
  cpuProfDir?: string | undefined;
  verbose?: boolean;
}

export interface RunningTarget {
  kind: TargetKind;
  pid: number;
  port: number;
  /** Filmgrain: its WebSocket transport's URL (PROTOCOL.md § 12). */
  websocket?: string;
  samples: ProbeSample[];
  /** Queues one input record; resolves when the input stream has room again. */
  inject(movie: number, filmgrainLine: string, deliveredLine: string): void;
  /** Resolves once everything queued has been handed to the server's input. */
  drained(): Promise<void>;
  /**
   * Filmgrain: its admin `/metrics` as name → value (null when it cannot be read, e.g.
   * a baseline checkout older than the metric asked for simply lacks that name).
   */
  metrics?(): Promise<Map<string, number> | null>;
  stop(): Promise<void>;
}

/** Reads a Prometheus text page into name{labels} → value. */
async function readMetrics(port: number): Promise<Map<string, number> | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    if (!res.ok) return null;
    const out = new Map<string, number>();
    for (const line of (await res.text()).split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      const at = line.lastIndexOf(' ');
      out.set(line.slice(0, at), Number(line.slice(at + 1)));
    }
    return out;
  } catch {
    return null;
  }
}

function nodeArgs(o: TargetOptions): string[] {
  const args = [
    ...(o.nodeArgs ?? []),
    '--import',
    'tsx',
    '--import',
    join(ROOT, 'bench/lib/probe.ts'),
  ];
  if (o.cpuProfDir !== undefined) args.push('--cpu-prof', `--cpu-prof-dir=${o.cpuProfDir}`);
  return args;
}

function watchStderr(child: ChildProcess, samples: ProbeSample[], verbose: boolean): void {
  let rest = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('FGBENCH ')) samples.push(JSON.parse(line.slice(8)) as ProbeSample);
      else if (verbose && line.trim() !== '') process.stderr.write(`  [server] ${line}\n`);
    }
  });
}

function waitForLine(child: ChildProcess, stream: 'stdout' | 'stderr', re: RegExp, ms = 90_000) {
  return new Promise<RegExpExecArray>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${text}`)), ms);
    const on = (chunk: Buffer) => {
      text += chunk.toString();
      const m = re.exec(text);
      if (m === null) return;
      clearTimeout(timer);
      child[stream]?.off('data', on);
      resolve(m);
    };
    child[stream]?.on('data', on);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before it started: ${text}`));
    });
  });
}

/** A write queue over a stream that honours backpressure and batches small writes. */
function writer(stream: NodeJS.WritableStream) {
  let parts: string[] = [];
  let waiting = false;
  let idle: (() => void)[] = [];
  const pump = () => {
    while (parts.length > 0 && !waiting) {
      const data = parts.join('');
      parts = [];
      if (!stream.write(data)) {
        waiting = true;
        stream.once('drain', () => {
          waiting = false;
          pump();
        });
      }
    }
    if (!waiting && parts.length === 0) {
      for (const f of idle) f();
      idle = [];
    }
  };
  return {
    push(s: string) {
      parts.push(s);
      if (parts.length === 1 && !waiting) setImmediate(pump);
    },
    drained: () =>
      new Promise<void>((r) => {
        if (!waiting && parts.length === 0) r();
        else idle.push(r);
      }),
  };
}

function stopChild(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs = 5000,
): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const hard = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(hard);
      resolve();
    });
    child.kill(signal);
  });
}

export async function startTarget(o: TargetOptions): Promise<RunningTarget> {
  const samples: ProbeSample[] = [];
  if (o.kind === 'nats') return startNats(o, samples);
  const port = await freePort();
  // Filmgrain's WebSocket listener on a port of its own (its default, --port + 2, may
  // be taken on a busy machine).
  const wsPort = o.kind === 'filmgrain' ? await freePort() : 0;
  // Its admin server, for the flush-window counters (how often load delayed posts).
  const adminPort = o.kind === 'filmgrain' ? await freePort() : 0;
  const args =
    o.kind === 'filmgrain'
      ? [
          ...nodeArgs(o),
          join(o.root ?? ROOT, 'src/cli/main.ts'),
          'start',
          '--source',
          'replay',
          '--replay',
          '-',
          '--speed',
          'max',
          '--port',
          String(port),
          // (A baseline checkout may predate the WebSocket listener and its flag.)
          ...(o.root === undefined ? ['--ws-port', String(wsPort)] : []),
          '--idle-timeout',
          '3600000',
          '--handshake-timeout',
          '120000',
          '--messages-per-second',
          '1000',
          // The connect phase is not what fan-out measures: no handshake gate.
          '--handshakes-per-second',
          '0',
          '--admin-port',
          String(adminPort),
          ...(o.tls ? ['--cert', o.certPath, '--key', o.keyPath] : ['--plain']),
          // A fresh key prefix per run: history left by an earlier run would replay as
          // backlog and count as duplicates.
          ...(o.redis ? ['--redis', o.redis, '--deployment', `bench${process.pid}x${port}`] : []),
          ...(o.extraArgs ?? []),
        ]
      : [
          ...nodeArgs(o),
          join(ROOT, 'bench/reference-server.ts'),
          '--port',
          String(port),
          ...(o.tls ? ['--cert', o.certPath, '--key', o.keyPath] : []),
        ];
  const child = spawn(process.execPath, args, {
    cwd: o.root ?? ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, FILMGRAIN_LOG_LEVEL: 'warn' },
  });
  watchStderr(child, samples, o.verbose ?? false);
  child.stdin.on('error', () => {});
  await waitForLine(child, 'stdout', o.kind === 'filmgrain' ? /Filmgrain is running/ : /listening/);
  child.stdout.resume();
  const w = writer(child.stdin);
  return {
    kind: o.kind,
    pid: child.pid!,
    port,
    ...(o.kind === 'filmgrain'
      ? { websocket: `${o.tls ? 'wss' : 'ws'}://127.0.0.1:${wsPort}/` }
      : {}),
    samples,
    inject(movie, filmgrainLine, deliveredLine) {
      w.push(o.kind === 'filmgrain' ? `${filmgrainLine}\n` : `${movie} ${deliveredLine}`);
    },
    drained: w.drained,
    ...(o.kind === 'filmgrain' ? { metrics: () => readMetrics(adminPort) } : {}),
    // SIGTERM: Filmgrain drains and says shutting_down to 10,000 clients; SIGKILL is
    // enough here (nothing to keep) and keeps runs short.
    // (With --cpu-prof, SIGINT: the profile is written on a clean exit.)
    stop: () => {
      if (o.cpuProfDir === undefined) return stopChild(child, 'SIGKILL');
      child.stdin.end(); // the replay source ends, so shutdown does not wait on stdin
      return stopChild(child, 'SIGINT', 60_000);
    },
  };
}

async function startNats(o: TargetOptions, samples: ProbeSample[]): Promise<RunningTarget> {
  if (!existsSync(NATS_SERVER)) throw new Error(`nats-server not found at ${NATS_SERVER}`);
  const port = await freePort();
  const conf = join(o.workDir, `nats-${port}.conf`);
  writeFileSync(
    conf,
    [
      `listen: 127.0.0.1:${port}`,
      'ping_interval: "10m"',
      'max_connections: 100000',
      o.tls ? `tls { cert_file: "${o.certPath}", key_file: "${o.keyPath}", timeout: 10 }` : '',
    ].join('\n'),
  );
  const child = spawn(NATS_SERVER, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  await waitForLine(child, 'stderr', /Server is ready/);
  child.stdout.resume();
  child.stderr.resume();
  const raw = net.connect({ host: '127.0.0.1', port });
  await new Promise((r) => raw.once('data', r)); // INFO
  const sock: net.Socket = o.tls
    ? await new Promise<tls.TLSSocket>((resolve, reject) => {
        const s = tls.connect({ socket: raw, ca: o.ca, servername: 'localhost' }, () => resolve(s));
        s.once('error', reject);
      })
    : raw;
  sock.setNoDelay(true);
  sock.on('error', () => {});
  sock.on('data', (d: Buffer) => {
    if (d.includes('PING')) sock.write('PONG\r\n');
  });
  sock.write('CONNECT {"verbose":false,"pedantic":false}\r\n');
  const w = writer(sock);
  return {
    kind: 'nats',
    pid: child.pid!,
    port,
    samples,
    inject(movie, _filmgrainLine, deliveredLine) {
      w.push(`PUB m.${movie} ${Buffer.byteLength(deliveredLine)}\r\n${deliveredLine}\r\n`);
    },
    drained: w.drained,
    async stop() {
      sock.destroy();
      await stopChild(child, 'SIGKILL');
    },
  };
}
