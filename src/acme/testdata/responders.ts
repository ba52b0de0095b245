// Challenge responders for the unit tests: an HTTP server answering http-01 paths and a
// TLS server answering acme-tls/1 handshakes, each scriptable to misbehave. Listening on
// 127.0.0.1, port 0. Test-only (testdata/ is not built).
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { createHash } from 'node:crypto';
import {
  type Server as TlsServer,
  createSecureContext,
  createServer as createTlsServer,
} from 'node:tls';
import type { AddressInfo } from 'node:net';
import { issue, newKey } from '../../pki/testdata/certificates.ts';

export interface HttpResponder {
  readonly port: number;
  /** token → what to answer (a string body, or a function taking over the reply). */
  readonly routes: Map<string, string | ((req: IncomingMessage, res: ServerResponse) => void)>;
  readonly requests: { path: string; host: string | undefined }[];
  close(): Promise<void>;
}

function listen(server: Server | TlsServer): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

function closeServer(server: Server | TlsServer): Promise<void> {
  if ('closeAllConnections' in server) server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

export async function startHttpResponder(): Promise<HttpResponder> {
  const routes: HttpResponder['routes'] = new Map();
  const requests: HttpResponder['requests'] = [];
  const server = createServer((req, res) => {
    requests.push({ path: req.url ?? '', host: req.headers.host });
    const token = (req.url ?? '').replace('/.well-known/acme-challenge/', '');
    const route = routes.get(token);
    if (route === undefined) {
      res.writeHead(404).end('not found');
    } else if (typeof route === 'string') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(route);
    } else {
      route(req, res);
    }
  });
  const port = await listen(server);
  return { port, routes, requests, close: () => closeServer(server) };
}

export interface AlpnCertificate {
  /** SAN entries: DNS names or IP addresses. */
  readonly dns?: readonly string[];
  readonly ips?: readonly string[];
  /** The key authorization whose digest goes in the acmeIdentifier extension (absent: none). */
  readonly keyAuthorization?: string;
  readonly critical?: boolean;
}

export interface TlsAlpnResponder {
  readonly port: number;
  /** servername → certificate to present; unknown names get a handshake failure. */
  set(servername: string, cert: AlpnCertificate): void;
  readonly servernames: string[];
  close(): Promise<void>;
}

/** The certificate RFC 8737 §3 describes, made with the pki testdata issuer. */
export function alpnCertificate(spec: AlpnCertificate): { cert: string; key: string } {
  const key = newKey('p256');
  const digest =
    spec.keyAuthorization === undefined
      ? undefined
      : Buffer.concat([
          Buffer.from([0x04, 0x20]),
          createHash('sha256').update(spec.keyAuthorization).digest(),
        ]);
  const cert = issue({
    cn: 'acme-tls-alpn',
    key,
    ...(spec.dns === undefined ? {} : { dns: spec.dns }),
    ...(spec.ips === undefined ? {} : { ips: spec.ips }),
    rawExtensions:
      digest === undefined
        ? []
        : [{ oid: '1.3.6.1.5.5.7.1.31', value: digest, critical: spec.critical ?? true }],
  });
  return {
    cert: cert.pem,
    key: key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

export async function startTlsAlpnResponder(
  alpn: readonly string[] = ['acme-tls/1'],
): Promise<TlsAlpnResponder> {
  const contexts = new Map<string, ReturnType<typeof createSecureContext>>();
  const servernames: string[] = [];
  const fallback = alpnCertificate({ dns: ['fallback.invalid'] });
  const server = createTlsServer({
    ...fallback,
    ...(alpn.length === 0 ? {} : { ALPNProtocols: [...alpn] }),
    SNICallback: (name, cb) => {
      servernames.push(name);
      cb(null, contexts.get(name));
    },
  });
  server.on('tlsClientError', () => undefined);
  const port = await listen(server);
  return {
    port,
    servernames,
    set: (name, spec) => contexts.set(name, createSecureContext(alpnCertificate(spec))),
    close: () => closeServer(server),
  };
}
