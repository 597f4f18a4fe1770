/**
 * `filmgrain watch` as a person uses it: in an 80×24 pseudo-terminal (tmux), against a
 * real `filmgrain start` process. The ranking appears, j + Enter follows the second
 * movie and its posts show, and a restart of the endpoint is survived (the status line
 * counts the reconnect and posts keep coming). A private tmux server (-L) per run.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { freePort } from '../../harness/ports.js';
import { cliArgs, ROOT } from '../../harness/process.js';

const root = ROOT;
const entry = cliArgs([]);
const socket = `filmgrain-watch-test-${process.pid}`;
const dataDir = mkdtempSync(join(tmpdir(), 'filmgrain-watch-'));
const children = new Set<ChildProcess>();

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', socket, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}

after(() => {
  try {
    tmux('kill-server');
  } catch {}
  for (const c of children) c.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs `filmgrain start`; resolves once it prints that it is running. */
function startService(port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [...entry, 'start', '--port', String(port), '--data-dir', dataDir, '--rate', '40'],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.add(child);
  child.on('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    // What it said, for the failure message: a start that fails says why on stderr.
    const said = () => `stdout: ${out.slice(-2000)}\nstderr: ${err.slice(-2000)}`;
    const timer = setTimeout(() => reject(new Error(`start did not come up\n${said()}`)), 15_000);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('Filmgrain is running')) {
        clearTimeout(timer);
        child.removeListener('exit', exited);
        resolve(child);
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      err = (err + d).slice(-4000); // the child lives on after start: keep the tail
    });
    const exited = (code: number | null, signal: string | null) => {
      clearTimeout(timer);
      reject(new Error(`start exited (${code ?? signal}) before it was running\n${said()}`));
    };
    child.once('exit', exited);
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

const screen = () => tmux('capture-pane', '-p', '-t', 'watch');

async function waitScreen(check: (s: string) => boolean, what: string, ms = 15_000) {
  const deadline = Date.now() + ms;
  let s = '';
  while (Date.now() < deadline) {
    s = screen();
    if (check(s)) return s;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`screen never showed ${what}:\n${s}`);
}

/** The feed pane: the right of the │ on the body rows. */
const feedOf = (s: string) =>
  s
    .split('\n')
    .slice(2, 22)
    .map((l) => l.split('│')[1] ?? '')
    .join('\n');

test('ranking, following a movie, and surviving an endpoint restart at 80×24', async () => {
  const port = await freePort();
  let service = await startService(port);
  const cmd = [process.execPath, ...entry, 'watch', '--port', String(port), '--data-dir', dataDir]
    .map((a) => `'${a}'`)
    .join(' ');
  tmux('new-session', '-d', '-s', 'watch', '-x', '80', '-y', '24', '-c', root, cmd);

  let s = await waitScreen(
    (x) => /^\s+2 . \S/m.test(x) && x.includes('● connected'),
    'the ranking',
  );
  const lines = s.split('\n');
  assert.ok(lines.length >= 24 && lines.every((l) => l.length <= 80));
  assert.match(lines[1]!, /#\s+Title\s+1h/);

  // Move the selection down one movie and follow it (the selection stays on its movie
  // while the young ranking reshuffles, so read which one got the ● marker).
  // Wait until the second movie is a popular one (the synthetic stream is Zipf-skewed),
  // then g (top) j (down) Enter: follow whatever is second right now.
  const busy = (rank: number, min: number) => (x: string) => {
    tmux('send-keys', '-t', 'watch', 'g'); // keep the top of the ranking in view
    return Number(new RegExp(`^.\\s+${rank} . .{22} +(\\d+)`, 'm').exec(x)?.[1] ?? 0) >= min;
  };
  s = await waitScreen(busy(2, 3), 'a busy #2');
  const first = /Feed: (.+?)\s*$/m.exec(s)![1]!;
  // Row 2, unless the movie followed from the start is #2 right now: then row 3. The
  // young ranking reshuffles between a capture and the keys, so try again if needed.
  for (let attempt = 1; ; attempt++) {
    const followedRank = Number(/^●\s+(\d+) /m.exec(s)?.[1] ?? 0);
    tmux('send-keys', '-t', 'watch', 'g', 'j', ...(followedRank === 2 ? ['j'] : []), 'Enter');
    try {
      s = await waitScreen((x) => !x.includes(`Feed: ${first}`), 'another movie followed', 4000);
      break;
    } catch (err) {
      if (attempt === 3) throw err;
      s = screen();
    }
  }
  const title = /^●\s+\d+ . (.+?)(…|\s{2,})/m.exec(s)![1]!;
  assert.notEqual(title, first);
  s = await waitScreen(
    (x) => x.includes(`Feed: ${title}`) && /\d\d:\d\d @\S+/.test(feedOf(x)),
    'posts of the followed movie',
  );

  // Restart the endpoint: watch shows it, reconnects, and posts keep arriving.
  await stop(service);
  await waitScreen((x) => /● (reconnecting|connecting)/.test(x), 'reconnecting');
  service = await startService(port);
  s = await waitScreen(
    (x) => x.includes('● connected') && x.includes('reconnects 1'),
    'reconnected',
    15_000,
  );
  // The restarted service has a fresh synthetic stream whose popular movies differ;
  // follow its current top movie (g, Enter) and see its posts arrive over the new
  // connection. (No-loss resume itself is checked in test/client/failover.test.ts.)
  await waitScreen(busy(1, 2), 'a busy #1');
  tmux('send-keys', '-t', 'watch', 'g', 'Enter');
  s = await waitScreen((x) => /^●\s+1 /m.test(x), 'the top movie followed');
  const top = /^●\s+1 . (.+?)(…|\s{2,})/m.exec(s)![1]!;
  await waitScreen(
    (x) => x.includes(`Feed: ${top}`) && /\d\d:\d\d @\S+/.test(feedOf(x)),
    'posts after the restart',
  );
  assert.match(screen(), /reconnects 1/);

  tmux('send-keys', '-t', 'watch', 'q');
  // `q` quits watch, and the tmux session ends with it: poll has-session (it fails once
  // the session is gone) rather than the screen, which can no longer be captured.
  const quitBy = Date.now() + 5000;
  let quit = false;
  while (!quit && Date.now() < quitBy) {
    try {
      tmux('has-session', '-t', 'watch');
      await new Promise((r) => setTimeout(r, 150));
    } catch {
      quit = true;
    }
  }
  assert.ok(quit, 'watch quits on q within 5 s');
  await stop(service);
});
