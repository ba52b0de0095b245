// Real TLS servers on loopback for the integration tests: openssl s_server, nginx and
// gnutls-serv, each with a certificate from the test PKI. Each starter resolves once the
// server accepts TCP connections and rejects with the server's stderr when it cannot
// start within ~5 s. See process.ts for how they are stopped.
import { mkdtempSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTestPki } from './pki.ts';
import { nginxConf } from './nginx-conf.ts';
import { freePort, launch, listeningPorts, type RunningServer } from './process.ts';
import { requireProgram } from './tools.ts';

export type { RunningServer } from './process.ts';

/** A server certificate: leaf PEM, its key, and optionally leaf + intermediates PEM. */
export interface ServerCert {
  cert: string;
  key: string;
  chain?: string;
}

export interface OpenSslServerOptions extends Partial<ServerCert> {
  /** A second certificate (`-dcert`): `true` for the test PKI's ECDSA leaf. */
  dual?: true | ServerCert;
  timeoutMs?: number;
}

const tempDir = (what: string) => mkdtempSync(join(tmpdir(), `wiretight-${what}-`));

/** The RSA leaf with its chain, unless the caller gave a certificate. */
async function certOrDefault(opts: Partial<ServerCert>): Promise<ServerCert> {
  if (opts.cert !== undefined && opts.key !== undefined) {
    return opts.chain === undefined
      ? { cert: opts.cert, key: opts.key }
      : { cert: opts.cert, key: opts.key, chain: opts.chain };
  }
  if (opts.cert !== undefined || opts.key !== undefined) {
    throw new TypeError('give both cert and key, or neither');
  }
  const { rsa } = await makeTestPki();
  return rsa;
}

/** The second certificate asked for: true means the test PKI's ECDSA leaf. */
async function secondCert(dual: true | ServerCert | undefined): Promise<ServerCert | undefined> {
  return dual === true ? (await makeTestPki()).ecdsa : dual;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n?/g;

// s_server's -cert_chain takes the certificates *after* the leaf; given leaf + chain it
// would send the leaf twice. So write the chain minus its first certificate.
async function extraChainFile(chain: string, dir: string, name: string): Promise<string[]> {
  const certs = (await readFile(chain, 'utf8')).match(PEM_CERT) ?? [];
  if (certs.length < 2) return [];
  const file = join(dir, name);
  await writeFile(file, certs.slice(1).join(''));
  return [file];
}

/**
 * `openssl s_server -accept 127.0.0.1:0 …args`, accepting any number of connections
 * (one at a time: s_server is single-threaded). The port is read from its "ACCEPT
 * 127.0.0.1:N" line. Default certificate: the test PKI's RSA leaf and its chain.
 * At Debian's security level 2, TLS 1.0/1.1, DHE-1024 and the RSA-1024 certificate need
 * `-cipher …:@SECLEVEL=0` in args ("ee key too small" otherwise).
 */
export async function startOpenSslServer(
  args: readonly string[],
  opts: OpenSslServerOptions = {},
): Promise<RunningServer> {
  const openssl = requireProgram('openssl');
  const main = await certOrDefault(opts);
  const dir = tempDir('s_server');
  const argv = ['s_server', '-accept', '127.0.0.1:0', '-cert', main.cert, '-key', main.key];
  if (main.chain !== undefined) {
    const extra = await extraChainFile(main.chain, dir, 'chain.pem');
    if (extra[0] !== undefined) argv.push('-cert_chain', extra[0]);
  }
  const second = await secondCert(opts.dual);
  if (second !== undefined) {
    argv.push('-dcert', second.cert, '-dkey', second.key);
    if (second.chain !== undefined) {
      const extra = await extraChainFile(second.chain, dir, 'dchain.pem');
      if (extra[0] !== undefined) argv.push('-dcert_chain', extra[0]);
    }
  }
  argv.push(...args);
  return launch({
    name: 'openssl s_server',
    cmd: openssl,
    args: argv,
    tmpDir: dir,
    port: (output) => {
      const m = /^ACCEPT 127\.0\.0\.1:(\d+)$/m.exec(output);
      return m?.[1] === undefined ? undefined : Number(m[1]);
    },
    ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
  });
}

export interface NginxOptions extends Partial<ServerCert> {
  /** `ssl_protocols`, e.g. 'TLSv1.2 TLSv1.3'. */
  protocols: string;
  /**
   * `ssl_ciphers` (OpenSSL syntax). Debian's OpenSSL 3 runs at security level 2: TLS 1.0/1.1,
   * DHE-1024 (dhparam) and the RSA-1024 certificate all need `…:@SECLEVEL=0` here.
   */
  ciphers?: string;
  preferServerCiphers?: boolean;
  /** `ssl_ecdh_curve`, e.g. 'X25519:prime256v1'. */
  ecdhCurve?: string;
  http2?: boolean;
  /** `ssl_dhparam` file, e.g. the test PKI's dh1024. */
  dhparam?: string;
  /**
   * Adds `Strict-Transport-Security`: true for 'max-age=31536000', the header value, or
   * several values (one header each, in order).
   */
  hsts?: true | string | readonly string[];
  /** gzip-compress the page (`gzip on` for text/plain, however short). */
  gzip?: boolean;
  /**
   * A plain HTTP listener on a second free port, returned as `httpPort`: 'redirect'
   * answers 301 to https://$host:<TLS port>$request_uri, 'page' serves NGINX_PAGE, and
   * `{ return: '…' }` is an nginx `return` of your own (e.g. '301 https://elsewhere.example/').
   */
  plainHttp?: 'redirect' | 'page' | { return: string };
  /** A second certificate (nginx serves RSA and ECDSA side by side): true for ECDSA leaf. */
  dual?: true | ServerCert;
  timeoutMs?: number;
}

/** A running nginx; `httpPort` is its plain HTTP listener when `plainHttp` asked for one. */
export interface NginxServer extends RunningServer {
  httpPort?: number;
}

export const NGINX_PAGE = 'wiretight test page\n';

/**
 * nginx in the foreground (`daemon off; master_process off;`) with a generated config in
 * a temp dir: one `ssl` listener on a free loopback port returning NGINX_PAGE. Logs go
 * to stderr; nothing touches /var/log or /run.
 */
export async function startNginx(opts: NginxOptions): Promise<NginxServer> {
  const nginx = requireProgram('nginx');
  const main = await certOrDefault(opts);
  const second = await secondCert(opts.dual);
  // nginx cannot listen on port 0: take a free port and retry if another process won it.
  for (let attempt = 1; ; attempt++) {
    const dir = tempDir('nginx');
    const port = await freePort();
    const httpPort = opts.plainHttp === undefined ? undefined : await otherFreePort(port);
    await writeFile(join(dir, 'nginx.conf'), nginxConfig(dir, port, opts, main, second, httpPort));
    try {
      const server = await launch({
        name: 'nginx',
        cmd: nginx,
        args: ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', 'stderr'],
        tmpDir: dir,
        port,
        ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
      });
      return httpPort === undefined ? server : { ...server, httpPort };
    } catch (err) {
      if (attempt >= 3 || !String(err).includes('Address already in use')) throw err;
    }
  }
}

/** A free port other than `taken` (two calls to freePort may hand out the same one). */
async function otherFreePort(taken: number): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port !== taken) return port;
  }
}

/** The `server` block of the plain HTTP listener. */
function plainHttpServer(
  plain: NonNullable<NginxOptions['plainHttp']>,
  httpPort: number,
  tlsPort: number,
): string {
  const action =
    plain === 'redirect'
      ? `return 301 https://$host:${tlsPort}$request_uri;`
      : plain === 'page'
        ? `return 200 '${NGINX_PAGE.trim()}\\n';`
        : `return ${plain.return};`;
  return `server {
    listen 127.0.0.1:${httpPort};
    server_name localhost;
    location / { ${action} }
  }`;
}

function hstsLines(hsts: NginxOptions['hsts']): string[] {
  if (hsts === undefined) return [];
  const values = hsts === true ? ['max-age=31536000'] : typeof hsts === 'string' ? [hsts] : hsts;
  return values.map((v) => `add_header Strict-Transport-Security "${v}" always;`);
}

function nginxConfig(
  dir: string,
  port: number,
  opts: NginxOptions,
  main: ServerCert,
  second: ServerCert | undefined,
  httpPort?: number,
): string {
  // nginx wants the leaf followed by its chain in ssl_certificate.
  const certLines = [main, ...(second === undefined ? [] : [second])].map(
    (c) => `ssl_certificate ${c.chain ?? c.cert}; ssl_certificate_key ${c.key};`,
  );
  const optional = [
    opts.ciphers === undefined ? '' : `ssl_ciphers '${opts.ciphers}';`,
    opts.preferServerCiphers === undefined
      ? ''
      : `ssl_prefer_server_ciphers ${opts.preferServerCiphers ? 'on' : 'off'};`,
    opts.ecdhCurve === undefined ? '' : `ssl_ecdh_curve ${opts.ecdhCurve};`,
    opts.dhparam === undefined ? '' : `ssl_dhparam ${opts.dhparam};`,
    ...hstsLines(opts.hsts),
    opts.gzip === true ? 'gzip on; gzip_min_length 1; gzip_types text/plain;' : '',
  ];
  return nginxConf(
    dir,
    `  default_type text/plain;
  server {
    listen 127.0.0.1:${port} ssl${opts.http2 === true ? ' http2' : ''};
    server_name localhost;
    ${certLines.join('\n    ')}
    ssl_protocols ${opts.protocols};
    ${optional.filter((l) => l !== '').join('\n    ')}
    location / { return 200 '${NGINX_PAGE.trim()}\\n'; }
  }
  ${opts.plainHttp === undefined || httpPort === undefined ? '' : plainHttpServer(opts.plainHttp, httpPort, port)}`,
  );
}

export interface GnutlsServOptions extends Partial<ServerCert> {
  /** A second certificate: true for the test PKI's ECDSA leaf. */
  dual?: true | ServerCert;
  /** Require a client certificate signed by this CA file (default: none is requested). */
  clientCa?: string;
  /** Extra gnutls-serv flags. */
  args?: readonly string[];
  timeoutMs?: number;
}

/**
 * `gnutls-serv --priority <priority>` in HTTP mode. It has no bind-address flag (it listens
 * on 0.0.0.0 and ::) and does not print the port it got for `--port 0`, so the port is read
 * from /proc once it says it is listening.
 */
export async function startGnutlsServ(
  priority: string,
  opts: GnutlsServOptions = {},
): Promise<RunningServer> {
  const gnutlsServ = requireProgram('gnutls-serv');
  const main = await certOrDefault(opts);
  const second = await secondCert(opts.dual);
  const certs = second === undefined ? [main] : [main, second];
  const args = ['--port', '0', '--priority', priority];
  for (const c of certs) args.push('--x509certfile', c.chain ?? c.cert, '--x509keyfile', c.key);
  // gnutls-serv asks every client for a certificate unless told not to.
  if (opts.clientCa === undefined) args.push('--disable-client-cert');
  else args.push('--require-client-cert', '--verify-client-cert', '--x509cafile', opts.clientCa);
  args.push(...(opts.args ?? []));
  return launch({
    name: 'gnutls-serv',
    cmd: gnutlsServ,
    args,
    port: (output, pid) => {
      if (!/listening on IPv4 .*done/.test(output)) return undefined;
      return listeningPorts(pid)[0];
    },
    ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
  });
}
