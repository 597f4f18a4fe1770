/**
 * A local imitation of a Bluesky Jetstream instance, for tests.
 *
 * Imitates: github.com/bluesky-social/jetstream README, "Consuming Jetstream" and
 * "Example events" — `GET /subscribe` upgraded to a WebSocket, one JSON event per text
 * frame, compact JSON with the field order Jetstream's Go encoder writes (`did`,
 * `time_us`, `kind`, `commit{rev, operation, collection, rkey, record, cid}`), the
 * `wantedCollections` filter, and `cursor` replay: events whose `time_us` is at or after
 * the cursor are sent again. It can refuse upgrades with an HTTP status and drop a
 * connection mid-stream (`terminate`, no close frame, like a network failure).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export interface FakeEvent {
  timeUs: number;
  /** Exactly the frame's text. */
  frame: string;
  collection?: string;
}

export interface FakeJetstreamOptions {
  events: FakeEvent[];
  /** For connection n (0-based), terminate after sending this many frames. */
  dropAfter?: Record<number, number>;
  /** Refuse the first `refuse` upgrades with HTTP `refuseStatus` (default 503). */
  refuse?: number;
  refuseStatus?: number;
}

export interface FakeJetstream {
  url: string;
  /** Query of every connection attempt that was accepted, in order. */
  requests: URLSearchParams[];
  attempts: number;
  /** Sends a frame to every open connection (live tail). */
  push(ev: FakeEvent): void;
  close(): Promise<void>;
}

/** A post create event as Jetstream writes it. */
export function postEvent(
  did: string,
  timeUs: number,
  rkey: string,
  text: string,
  extra: { createdAt?: string; langs?: string[] } = {},
): FakeEvent {
  const createdAt = extra.createdAt ?? new Date(Math.floor(timeUs / 1000)).toISOString();
  const record: Record<string, unknown> = { $type: 'app.bsky.feed.post', createdAt };
  if (extra.langs) record.langs = extra.langs;
  record.text = text;
  const ev = {
    did,
    time_us: timeUs,
    kind: 'commit',
    commit: {
      rev: `3l3qo2vutsw${rkey.slice(-2)}`,
      operation: 'create',
      collection: 'app.bsky.feed.post',
      rkey,
      record,
      cid: 'bafyreidwaivazkwu67xztlmuobx35hs2lnfh3kolmgfmucldvhd3sgzcqi',
    },
  };
  return { timeUs, frame: JSON.stringify(ev), collection: 'app.bsky.feed.post' };
}

/** The README's "A like committed to a repo" example, verbatim but for time_us. */
export function likeEvent(timeUs: number): FakeEvent {
  const frame = `{"did":"did:plc:eygmaihciaxprqvxpfvl6flk","time_us":${timeUs},"kind":"commit","commit":{"rev":"3l3qo2vutsw2b","operation":"create","collection":"app.bsky.feed.like","rkey":"3l3qo2vuowo2b","record":{"$type":"app.bsky.feed.like","createdAt":"2024-09-09T19:46:02.102Z","subject":{"cid":"bafyreidc6sydkkbchcyg62v77wbhzvb2mvytlmsychqgwf2xojjtirmzj4","uri":"at://did:plc:wa7b35aakoll7hugkrjtf3xf/app.bsky.feed.post/3l3pte3p2e325"}},"cid":"bafyreidwaivazkwu67xztlmuobx35hs2lnfh3kolmgfmucldvhd3sgzcqi"}}`;
  return { timeUs, frame, collection: 'app.bsky.feed.like' };
}

/** The README's identity example (sent regardless of wantedCollections). */
export function identityEvent(timeUs: number): FakeEvent {
  const frame = `{"did":"did:plc:ufbl4k27gp6kzas5glhz7fim","time_us":${timeUs},"kind":"identity","identity":{"did":"did:plc:ufbl4k27gp6kzas5glhz7fim","handle":"yohenrique.bsky.social","seq":1409752997,"time":"2024-09-05T06:11:04.870Z"}}`;
  return { timeUs, frame };
}

export async function startFakeJetstream(opts: FakeJetstreamOptions): Promise<FakeJetstream> {
  const http: Server = createServer((_req, res) => {
    res.writeHead(426).end();
  });
  const wss = new WebSocketServer({ noServer: true });
  const open = new Set<{ ws: WebSocket; wanted: string[] }>();
  const requests: URLSearchParams[] = [];
  let attempts = 0;

  const wants = (wanted: string[], ev: FakeEvent): boolean =>
    ev.collection === undefined || wanted.length === 0 || wanted.includes(ev.collection);

  http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const n = attempts++;
    if (n < (opts.refuse ?? 0)) {
      const status = opts.refuseStatus ?? 503;
      socket.end(
        `HTTP/1.1 ${status} Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
      );
      return;
    }
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/subscribe') {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const index = requests.length;
    requests.push(url.searchParams);
    wss.handleUpgrade(req, socket, head, (ws) => {
      const wanted = url.searchParams.getAll('wantedCollections');
      const cursorParam = url.searchParams.get('cursor');
      const cursor = cursorParam === null ? 0 : Number(cursorParam);
      const drop = opts.dropAfter?.[index];
      const entry = { ws, wanted };
      open.add(entry);
      ws.on('close', () => open.delete(entry));
      const frames = opts.events
        .filter((ev) => ev.timeUs >= cursor && wants(wanted, ev))
        .map((ev) => ev.frame);
      const batch = drop === undefined ? frames : frames.slice(0, drop);
      if (drop === undefined || batch.length === 0) {
        for (const f of batch) ws.send(f);
        if (drop !== undefined) ws.terminate();
        return;
      }
      // Terminate only once the last frame reached the socket, so exactly `drop` arrive.
      batch.forEach((f, i) => {
        ws.send(f, () => {
          if (i === batch.length - 1) ws.terminate();
        });
      });
    });
  });

  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const { port } = http.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/subscribe`,
    requests,
    get attempts() {
      return attempts;
    },
    push(ev) {
      for (const { ws, wanted } of open) if (wants(wanted, ev)) ws.send(ev.frame);
    },
    async close() {
      for (const { ws } of open) ws.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}
