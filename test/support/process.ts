/**
 * Real `filmgrain` processes for tests: run through tsx when the tests run from source
 * (this file is .ts), from the compiled `dist/` otherwise — the same code either way.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const fromSource = import.meta.url.endsWith('.ts');

/** The repository root. */
export const ROOT = fileURLToPath(new URL(fromSource ? '../..' : '../../..', import.meta.url));

/** argv (after `node`) that runs the CLI. */
export function cliArgs(args: string[]): string[] {
  return fromSource
    ? ['--import', 'tsx', 'src/cli/main.ts', ...args]
    : ['dist/src/cli/main.js', ...args];
}

export interface CliProcess {
  child: ChildProcess;
  /** Everything printed so far. */
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves with the first stdout match of `re` (waits up to `timeoutMs`). */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or signal name). */
  readonly exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): void;
}

export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = spawn(process.execPath, cliArgs(args), {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    for (const w of waiters) w();
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => {
      for (const w of waiters) w();
      resolve(code ?? signal ?? -1);
    }),
  );
  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    exited,
    waitFor(re, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = stdout.match(re);
          if (m) {
            cleanup();
            resolve(m);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            cleanup();
            reject(
              new Error(
                `process exited before printing ${re}\nstdout: ${stdout}\nstderr: ${stderr}`,
              ),
            );
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(`no ${re} within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`),
          );
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}
