/**
 * Real `filmgrain` processes for tests: run through tsx when the tests run from source
 * (this file is .ts), from the compiled `dist/` otherwise — the same code either way.
 * Every process started is killed by `killAll()`.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const fromSource = import.meta.url.endsWith('.ts');

/** The repository root. */
export const ROOT = fileURLToPath(new URL(fromSource ? '..' : '../..', import.meta.url));

/** argv (after `node`) that runs the CLI. */
export function cliArgs(args: string[]): string[] {
  return fromSource
    ? ['--import', 'tsx', 'src/cli/main.ts', ...args]
    : ['dist/src/cli/main.js', ...args];
}

export class CliProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      this.stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      this.stderr += d;
    });
    child.stdin.on('error', () => {});
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Waits until stdout matches `re`; returns the match. */
  async waitFor(re: RegExp, ms = 20_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + ms;
    for (;;) {
      const m = this.stdout.match(re);
      if (m !== null) return m;
      if (this.child.exitCode !== null || Date.now() > deadline)
        throw new Error(
          `no ${re} on stdout (exit ${this.child.exitCode}); stderr:\n${this.stderr}`,
        );
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  write(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

const started = new Set<CliProcess>();

export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = spawn(process.execPath, cliArgs(args), {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
  const p = new CliProcess(child);
  started.add(p);
  void p.exited.then(() => started.delete(p));
  return p;
}

export async function killAll(): Promise<void> {
  await Promise.all([...started].map((p) => p.kill('SIGKILL')));
}
