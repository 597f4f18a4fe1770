/**
 * A scripted raw TLS server for client tests: it speaks PROTOCOL.md lines by hand, so a
 * test can make the server misbehave (stay silent, redirect, refuse the version, send
 * an oversized line) in ways the real endpoint never does.
 */
import type net from 'node:net';
import tls from 'node:tls';
import { testCertificate } from '../support/certs.js';

export interface RawConnection {
  socket: net.Socket;
  /** Client lines received so far, parsed. */
  lines: { action: string; params: Record<string, unknown> }[];
  send(action: string, params: Record<string, unknown>): void;
}

export interface RawServer {
  port: number;
  ca: Buffer | string;
  connections: RawConnection[];
  close(): Promise<void>;
}

export async function startRawServer(
  onLine: (conn: RawConnection, m: { action: string; params: Record<string, unknown> }) => void,
): Promise<RawServer> {
  const material = await testCertificate();
  const connections: RawConnection[] = [];
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ cert: material.cert, key: material.key }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const conn: RawConnection = {
      socket,
      lines: [],
      send(action, params) {
        if (!socket.destroyed) socket.write(`${JSON.stringify({ action, params })}\n`);
      },
    };
    connections.push(conn);
    let buf = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      buf += d;
      for (let nl = buf.indexOf('\n'); nl !== -1; nl = buf.indexOf('\n')) {
        const m = JSON.parse(buf.slice(0, nl)) as {
          action: string;
          params: Record<string, unknown>;
        };
        buf = buf.slice(nl + 1);
        conn.lines.push(m);
        onLine(conn, m);
      }
    });
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    ca: material.cert,
    connections,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

export const MOVIES = [{ id: 1, title: 'Dune: Part Two', count: 3, rank: 1 }];

/** Answers connect with set_movies and ping with pong, like a healthy endpoint. */
export function healthy(
  conn: RawConnection,
  m: { action: string; params: Record<string, unknown> },
): void {
  if (m.action === 'connect') conn.send('set_movies', { movies: MOVIES, generated_at: 1 });
  if (m.action === 'ping') conn.send('pong', { ts: m.params.ts, server_time: Date.now() });
}
