/**
 * `filmgrain watch`: the live ranking and a movie's posts in the terminal, built on
 * the client SDK (filmgrain/client) — so it reconnects, follows redirects and resumes
 * feeds without losing posts, exactly as an app would. Full screen on a terminal;
 * plain lines when stdout is a pipe.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient, type NodeClientOptions } from '../../client/node.js';
import type { Command } from '../command.js';
import { DEFAULT_DATA_DIR, DEFAULT_PORT } from '../endpoint-runtime.js';
import { intFlag, parseFlags } from '../flags.js';
import { untilSignal } from '../signals.js';
import { WatchModel } from '../watch/model.js';
import { PlainOutput } from '../watch/plain.js';
import { render } from '../watch/render.js';
import { openScreen } from '../watch/tty.js';

const FLAGS = {
  directory: {
    type: 'string',
    env: 'FILMGRAIN_DIRECTORY',
    value: 'URL',
    help: 'endpoints.json to pick an endpoint from (instead of --host/--port)',
  },
  host: { type: 'string', default: '127.0.0.1', value: 'ADDR', help: 'endpoint host' },
  port: { type: 'string', default: String(DEFAULT_PORT), value: 'N', help: 'endpoint port' },
  ca: {
    type: 'string',
    value: 'FILE',
    help: 'CA certificate (PEM) to trust (default: the system CAs, or the development certificate of --data-dir for a local endpoint)',
  },
  pin: {
    type: 'string',
    value: 'SHA256',
    help: 'accept only the certificate with this fingerprint',
  },
  insecure: { type: 'boolean', help: 'accept any certificate (development only)' },
  plain: { type: 'boolean', help: 'plain TCP instead of TLS' },
  movie: { type: 'string', value: 'ID', help: "follow this movie's posts (default: the top one)" },
  'data-dir': {
    type: 'string',
    env: 'FILMGRAIN_DATA_DIR',
    default: DEFAULT_DATA_DIR,
    value: 'DIR',
    help: 'where `filmgrain start` keeps its development certificate',
  },
} as const;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export const command: Command = {
  summary: 'watch the live ranking and a movie’s posts (terminal UI, or lines in a pipe)',
  async run(argv) {
    const flags = parseFlags(argv, FLAGS, 'usage: filmgrain watch [options]');
    if (flags === null) return 0;
    const host = flags.host ?? '127.0.0.1';
    const options: NodeClientOptions = { client: { name: 'filmgrain-watch' } };
    if (flags.directory !== undefined) options.directory = flags.directory;
    else {
      options.host = host;
      options.port = intFlag('port', flags.port, DEFAULT_PORT);
      options.tls = !flags.plain;
    }
    if (flags.ca !== undefined) options.ca = readFileSync(flags.ca);
    else if (flags.pin !== undefined) options.pin = flags.pin;
    else if (flags.insecure) options.insecure = true;
    else if (flags.directory === undefined && LOOPBACK.has(host)) {
      // `filmgrain start` on this machine serves its development certificate.
      const dev = join(flags['data-dir'] ?? DEFAULT_DATA_DIR, 'dev-cert.pem');
      if (existsSync(dev)) options.ca = readFileSync(dev);
    }
    const movieFlag = flags.movie === undefined ? undefined : intFlag('movie', flags.movie, 0);
    const client = createClient(options);
    const model = new WatchModel();
    const tty = process.stdout.isTTY === true;

    let quit: () => void = () => {};
    const quitting = new Promise<void>((resolve) => {
      quit = resolve;
    });
    const follow = (id: number) => {
      if (model.followed === id) return;
      if (model.followed !== undefined) client.unfollow(model.followed);
      model.follow(id);
      client.follow(id);
    };
    if (movieFlag !== undefined && movieFlag > 0) follow(movieFlag);

    if (!tty) {
      const out = new PlainOutput(
        (line) => process.stdout.write(`${line}\n`),
        (id) => model.title(id),
      );
      client.on('ranking', (r) => {
        model.setRanking(r);
        out.ranking(r);
      });
      client.on('post', (p) => out.post(p));
      client.on('state', (s) => out.note(`${s.to}${s.endpoint ? ` ${s.endpoint}` : ''}`));
      // Every error, also the client's own (a refused connection, a failed TLS check):
      // in a pipe nobody sees the status line, and retries are spaced by back-off.
      client.on('error', (e) => process.stderr.write(`filmgrain watch: ${e.code}: ${e.message}\n`));
      void client.connect().catch(() => quit());
      await Promise.race([untilSignal(['SIGINT', 'SIGTERM']), quitting]);
      await client.close();
      return client.state === 'closed' && model.movies.length === 0 ? 1 : 0;
    }

    const screen = openScreen(
      (cols, rows) => render(model, cols, rows),
      (key) => {
        switch (key) {
          case 'up':
            model.move(-1);
            break;
          case 'down':
            model.move(1);
            break;
          case 'page-up':
            model.move(-10);
            break;
          case 'page-down':
            model.move(10);
            break;
          case 'top':
            model.move(-Number.MAX_SAFE_INTEGER);
            break;
          case 'bottom':
            model.move(Number.MAX_SAFE_INTEGER);
            break;
          case 'enter': {
            const movie = model.selectedMovie();
            if (movie !== undefined) follow(movie.id);
            break;
          }
          case 'quit':
            quit();
            return;
        }
        screen.invalidate();
      },
    );
    const restore = () => screen.restore();
    process.once('exit', restore);
    client.on('ranking', (r) => {
      model.setRanking(r);
      // Nothing chosen yet: follow the top movie so the feed is never empty.
      if (model.followed === undefined && r.movies[0] !== undefined) {
        follow(r.movies[0].id);
      }
      screen.invalidate();
    });
    client.on('post', (p) => {
      model.addPost(p);
      screen.invalidate();
    });
    client.on('rtt', (ms) => {
      model.rttMs = ms;
      screen.invalidate();
    });
    client.on('state', (s) => {
      model.state = s.to;
      model.endpoint = s.endpoint ?? model.endpoint;
      model.reconnects = client.reconnects;
      if (s.reason) model.notice = `${s.reason.code}`;
      screen.invalidate();
    });
    client.on('error', (e) => {
      model.notice = e.code;
      screen.invalidate();
    });
    client.on('redirect', (r) => {
      model.notice = `redirected to ${r.target.host}:${r.target.port} (${r.reason})`;
      screen.invalidate();
    });
    void client.connect().catch(() => {});
    await Promise.race([untilSignal(['SIGINT', 'SIGTERM']), quitting]);
    await client.close();
    restore();
    process.off('exit', restore);
    return 0;
  },
};
