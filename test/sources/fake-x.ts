/**
 * A local imitation of the X API v2 filtered stream, for tests.
 *
 * Imitates (docs.x.com): "GET /2/tweets/search/stream" — HTTP/1.1 chunked body of
 * `\r\n`-terminated JSON lines (`data`, `includes.users`, `matching_rules`) with a bare
 * `\r\n` keep-alive; "GET/POST /2/tweets/search/stream/rules" — `{data, meta}`, add and
 * delete bodies, `meta.summary`; "Handling disconnections" — the `operational-disconnect`
 * error object; error statuses with problem JSON bodies (401 Unauthorized, 429 Too Many
 * Requests, 503 Service Unavailable). Rule count and length caps are enforced as X does,
 * reporting refused rules in `errors`.
 *
 * Each stream connection plays the next script; a script is a list of steps.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Step =
  /** One JSON line (object serialized compactly, or a raw string) plus `\r\n`. */
  | { line: unknown }
  /** The keep-alive: a bare `\r\n`. */
  | { heartbeat: true }
  /** Raw bytes, for lines split across chunks. */
  | { raw: string }
  | { wait: number }
  /** Destroy the socket mid-body (no final chunk). */
  | { drop: true }
  /** Stay silent (no keep-alive) until the client goes away. */
  | { hang: true };

/** A connection answered with this status and a problem body instead of a stream. */
export interface StatusScript {
  status: number;
}

/** A connection whose socket is destroyed before any response (a network error). */
export interface ResetScript {
  reset: true;
}

export interface FakeXOptions {
  token: string;
  scripts: Array<Step[] | StatusScript | ResetScript>;
  maxRules?: number;
  maxRuleLength?: number;
  rules?: Array<{ id: string; value: string; tag: string }>;
}

export interface FakeX {
  baseUrl: string;
  streamRequests: URL[];
  /** Bodies of POST /rules, in order. */
  rulePosts: unknown[];
  rules: Array<{ id: string; value: string; tag: string }>;
  close(): Promise<void>;
}

const TITLES: Record<number, string> = {
  401: 'Unauthorized',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

function problem(res: ServerResponse, status: number): void {
  const title = TITLES[status] ?? 'Error';
  res.writeHead(status, { 'content-type': 'application/problem+json' });
  res.end(JSON.stringify({ title, detail: title, type: 'about:blank', status }));
}

/** A filtered-stream line as the docs show it. */
export function xLine(
  id: string,
  text: string,
  user = { id: '2244994945', username: 'XDevelopers', name: 'Developers' },
  rules = [{ id: '1166916266197536768', tag: 'filmgrain:1' }],
) {
  return {
    data: {
      author_id: user.id,
      created_at: '2024-09-09T19:46:02.000Z',
      edit_history_tweet_ids: [id],
      id,
      lang: 'en',
      text,
    },
    includes: { users: [{ id: user.id, name: user.name, username: user.username }] },
    matching_rules: rules,
  };
}

export async function startFakeX(opts: FakeXOptions): Promise<FakeX> {
  const streamRequests: URL[] = [];
  const rulePosts: unknown[] = [];
  const rules = [...(opts.rules ?? [])];
  let nextRuleId = 1_000_000;
  let conn = 0;

  const stream = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    streamRequests.push(url);
    const script = opts.scripts[conn++] ?? { status: 503 };
    if ('reset' in script) return void req.socket.destroy();
    if (!Array.isArray(script)) return problem(res, script.status);
    res.writeHead(200, { 'content-type': 'application/json' });
    let gone = false;
    req.socket.on('close', () => {
      gone = true;
    });
    for (const step of script) {
      if (gone) return;
      if ('line' in step) {
        res.write(`${typeof step.line === 'string' ? step.line : JSON.stringify(step.line)}\r\n`);
      } else if ('heartbeat' in step) res.write('\r\n');
      else if ('raw' in step) res.write(step.raw);
      else if ('wait' in step) await new Promise((r) => setTimeout(r, step.wait));
      else if ('drop' in step) {
        // Let written chunks reach the client before the socket dies.
        await new Promise((r) => setTimeout(r, 10));
        req.socket.destroy();
        return;
      } else if ('hang' in step) return;
    }
    res.end();
  };

  const rulesEndpoint = async (req: IncomingMessage, res: ServerResponse) => {
    const sent = new Date().toISOString();
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' });
      const body =
        rules.length > 0
          ? { data: rules, meta: { sent, result_count: rules.length } }
          : { meta: { sent, result_count: 0 } };
      return res.end(JSON.stringify(body));
    }
    let text = '';
    for await (const chunk of req) text += chunk;
    const body = JSON.parse(text) as {
      add?: Array<{ value: string; tag: string }>;
      delete?: { ids: string[] };
    };
    rulePosts.push(body);
    const errors: unknown[] = [];
    if (body.delete) {
      let deleted = 0;
      for (const id of body.delete.ids) {
        const i = rules.findIndex((r) => r.id === id);
        if (i >= 0) {
          rules.splice(i, 1);
          deleted++;
        } else errors.push({ title: 'Not Found', value: id });
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(
        JSON.stringify({
          meta: { sent, summary: { deleted, not_deleted: body.delete.ids.length - deleted } },
          ...(errors.length ? { errors } : {}),
        }),
      );
    }
    const created: typeof rules = [];
    for (const r of body.add ?? []) {
      if (r.value.length > (opts.maxRuleLength ?? 1024))
        errors.push({ title: 'RuleTooLong', value: r.value });
      else if (rules.length >= (opts.maxRules ?? 1000))
        errors.push({ title: 'RulesCapExceeded', value: r.value });
      else {
        const rule = { id: String(nextRuleId++), value: r.value, tag: r.tag };
        rules.push(rule);
        created.push(rule);
      }
    }
    res.writeHead(201, { 'content-type': 'application/json' });
    const summary = {
      created: created.length,
      not_created: errors.length,
      valid: created.length,
      invalid: errors.length,
    };
    res.end(
      JSON.stringify({
        data: created,
        meta: { sent, summary },
        ...(errors.length ? { errors } : {}),
      }),
    );
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.headers.authorization !== `Bearer ${opts.token}`) return problem(res, 401);
    if (url.pathname === '/2/tweets/search/stream' && req.method === 'GET')
      void stream(req, res, url);
    else if (url.pathname === '/2/tweets/search/stream/rules') void rulesEndpoint(req, res);
    else problem(res, 404);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    streamRequests,
    rulePosts,
    rules,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
