// Where a tunnel listens and where it forwards: `host:port`, `[v6]:port`, or (as a target
// of the server side) `unix:/path/to.sock`; and the plaintext dial to a target, with a
// connect timeout so a black-holed backend cannot pin a connection slot.
import { type Socket, connect, isIP } from 'node:net';
import { WiretightError } from '../errors.ts';

export type Endpoint =
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number }
  | { readonly kind: 'unix'; readonly path: string };

const HOST_PORT = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/;
const MAX_UNIX_PATH = 107;

/** Parses a `--listen`/`--target` value; a RangeError names the flag. Port 0 only for listeners. */
export function parseEndpoint(
  flag: string,
  value: string,
  accepts: { unix?: boolean; anyPort?: boolean } = {},
): Endpoint {
  if (value.startsWith('unix:')) {
    const path = value.slice('unix:'.length);
    if (accepts.unix !== true)
      throw new RangeError(`${flag} ${value}: a unix socket is not accepted here`);
    if (path === '' || path.length > MAX_UNIX_PATH || path.includes('\0')) {
      throw new RangeError(
        `${flag} ${value}: expected unix:/path/to.sock (at most ${MAX_UNIX_PATH} bytes)`,
      );
    }
    return { kind: 'unix', path };
  }
  const m = HOST_PORT.exec(value);
  const host = m?.[1] ?? m?.[2] ?? '';
  const port = Number(m?.[3]);
  if (m === null || host === '' || (m[1] !== undefined && isIP(host) !== 6)) {
    throw new RangeError(
      `${flag} ${value}: expected host:port, [v6]:port${accepts.unix === true ? ' or unix:/path' : ''}`,
    );
  }
  if (!Number.isInteger(port) || port > 65535 || (port === 0 && accepts.anyPort !== true)) {
    throw new RangeError(`${flag} ${value}: the port must be 1 to 65535`);
  }
  return { kind: 'tcp', host, port };
}

export function formatEndpoint(endpoint: Endpoint): string {
  if (endpoint.kind === 'unix') return `unix:${endpoint.path}`;
  return isIP(endpoint.host) === 6
    ? `[${endpoint.host}]:${endpoint.port}`
    : `${endpoint.host}:${endpoint.port}`;
}

/** A connected plaintext socket (half-open allowed), or WT_ERR_PROBE_CONNECT / _TIMEOUT. */
export function dialPlain(endpoint: Endpoint, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket =
      endpoint.kind === 'unix'
        ? connect({ path: endpoint.path, allowHalfOpen: true })
        : connect({ host: endpoint.host, port: endpoint.port, allowHalfOpen: true });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new WiretightError(
          'WT_ERR_PROBE_TIMEOUT',
          `${formatEndpoint(endpoint)}: no connection within ${timeoutMs} ms`,
        ),
      );
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (cause: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        new WiretightError(
          'WT_ERR_PROBE_CONNECT',
          `${formatEndpoint(endpoint)}: ${cause.code ?? cause.message}`,
          { cause },
        ),
      );
    });
  });
}
