/**
 * A listener that cannot bind says which one it is and which flag sets its port:
 * a bare `EADDRINUSE` from one of three servers in a process (endpoint, directory,
 * admin) leaves the operator guessing.
 */
export function listenError(
  err: unknown,
  listener: 'endpoint' | 'WebSocket' | 'directory' | 'admin',
  host: string,
  port: number,
  flag: string,
): Error {
  const code = (err as NodeJS.ErrnoException).code;
  const where = `${host}:${port}`;
  switch (code) {
    case 'EADDRINUSE':
      return new Error(
        `${listener} cannot listen on ${where}: the port is in use by another process (EADDRINUSE); choose another with ${flag}`,
      );
    case 'EACCES':
      return new Error(
        `${listener} cannot listen on ${where}: permission denied (EACCES; ports below 1024 need privileges); choose another with ${flag}`,
      );
    case 'EADDRNOTAVAIL':
      return new Error(
        `${listener} cannot listen on ${where}: no such local address (EADDRNOTAVAIL)`,
      );
    default:
      return new Error(
        `${listener} cannot listen on ${where}: ${err instanceof Error ? err.message : String(err)}`,
      );
  }
}
