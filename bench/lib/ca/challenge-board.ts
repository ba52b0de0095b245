// The http-01 responder of the bench's ACME client: a plain HTTP server on loopback that
// answers GET /.well-known/acme-challenge/<token> with the key authorization the client
// posted for that token, and 404 otherwise. The server under test (wiretight or pebble)
// validates against it, over a real connection, as it would against a real web server.
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';

const PREFIX = '/.well-known/acme-challenge/';

export interface ChallengeBoard {
  readonly port: number;
  /** Serves `keyAuthorization` for `token` until `remove(token)`. */
  put(token: string, keyAuthorization: string): void;
  remove(token: string): void;
  /** How many validation requests were answered 200 and 404 so far. */
  readonly served: { ok: number; missing: number };
  /** Stops serving (again: the same promise). */
  close(): Promise<void>;
}

export async function startChallengeBoard(port = 0, host = '127.0.0.1'): Promise<ChallengeBoard> {
  const tokens = new Map<string, string>();
  const served = { ok: 0, missing: 0 };
  const answer = (req: IncomingMessage, res: ServerResponse): void => {
    const path = req.url ?? '';
    const value =
      req.method === 'GET' && path.startsWith(PREFIX)
        ? tokens.get(path.slice(PREFIX.length))
        : undefined;
    if (value === undefined) {
      served.missing++;
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no such token\n');
      return;
    }
    served.ok++;
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(value);
  };
  const server = createServer({ requestTimeout: 10_000, headersTimeout: 10_000 }, answer);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  let closing: Promise<void> | undefined;
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : port,
    put: (token, keyAuthorization) => tokens.set(token, keyAuthorization),
    remove: (token) => tokens.delete(token),
    served,
    close: () =>
      (closing ??= new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      })),
  };
}
