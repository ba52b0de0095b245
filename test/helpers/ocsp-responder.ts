// Revocation for the integration tests: leaves issued by the test PKI's intermediate with
// an OCSP URL, a caIssuers URL and a CRL distribution point that all answer on loopback.
// - OCSP: a real `openssl ocsp -index … -port …` responder (OpenSSL 3.0), signing as a
//   delegated responder (EKU OCSPSigning, issued by the intermediate).
// - CRL and caIssuers: a node:http server serving the intermediate's CRL (`openssl ca
//   -gencrl`, DER) and the intermediate itself (DER).
// The leaves must name the responder's port before it runs (it reads its index once, at
// start), so the port is taken free first and the whole set is made again if another
// process wins it.
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { atExit } from './cleanup.ts';
import { execOk, killGroup } from './exec.ts';
import { type Leaf, makeTestPki } from './pki.ts';
import { freePort } from './process.ts';
import { requireProgram } from './tools.ts';

export interface RevocationPki {
  /** The `openssl ocsp` responder, `http://127.0.0.1:<port>`. */
  readonly ocspUrl: string;
  /** The intermediate's CRL (DER), served by node:http. */
  readonly crlUrl: string;
  /** The intermediate (DER), served by node:http for AIA. */
  readonly caIssuersUrl: string;
  /** Leaves for localhost / 127.0.0.1, with OCSP, caIssuers and CRL pointers. */
  readonly good: Leaf;
  readonly revoked: Leaf;
  /** A DER OCSP response about `leaf` made offline by `openssl ocsp`, for `s_server -status_file`. */
  staple(leaf: Leaf): Promise<string>;
  /** The paths the HTTP server (CRL, caIssuers) was asked for, in order. */
  httpRequests(): string[];
  stop(): Promise<void>;
}

const caConfig = (dir: string, pkiDir: string, ocspPort: number, httpPort: number): string => `
[ca]
default_ca = int_ca
[int_ca]
database = ${dir}/index.txt
new_certs_dir = ${dir}/issued
serial = ${dir}/serial
crlnumber = ${dir}/crlnumber
certificate = ${pkiDir}/intermediate.pem
private_key = ${pkiDir}/intermediate.key
default_md = sha256
default_days = 90
default_crl_days = 1
policy = policy_any
unique_subject = no
[policy_any]
commonName = supplied
[leaf]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
authorityKeyIdentifier = keyid
subjectAltName = DNS:localhost,IP:127.0.0.1
authorityInfoAccess = OCSP;URI:http://127.0.0.1:${ocspPort},caIssuers;URI:http://127.0.0.1:${httpPort}/int.der
crlDistributionPoints = URI:http://127.0.0.1:${httpPort}/int.crl
[ocsp_signer]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = OCSPSigning
authorityKeyIdentifier = keyid
`;

async function startHttp(
  files: Record<string, string>,
  seen: string[],
): Promise<{ server: Server; port: number }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push(req.url ?? '');
    const file = files[req.url ?? ''];
    if (file === undefined) {
      res.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body),
      () => res.writeHead(500).end(),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  server.unref();
  return { server, port: (server.address() as AddressInfo).port };
}

/**
 * `openssl ocsp` as a responder, ready once it says it waits for clients. Not started with
 * process.ts's launch(): its readiness probe, a TCP connection closed without a request,
 * wedges OpenSSL 3.0's responder for good (it never answers again, `-multi` or not).
 */
function startResponder(
  openssl: string,
  args: readonly string[],
  cwd: string,
): Promise<{ stop(): Promise<void> }> {
  const child = spawn(openssl, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  const unregister = atExit(() => killGroup(child.pid, 'SIGKILL'));
  const exited = once(child, 'exit');
  let output = '';
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (why: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      killGroup(child.pid, 'SIGKILL');
      unregister();
      reject(new Error(`openssl ocsp failed to start: ${why}: ${output.trim()}`));
    };
    const timer = setTimeout(() => fail('not ready within 5 s'), 5000);
    const onOutput = (chunk: string): void => {
      output += chunk;
      if (settled || !output.includes('waiting for OCSP client connections')) return;
      settled = true;
      clearTimeout(timer);
      child.unref();
      resolve({
        async stop() {
          killGroup(child.pid, 'SIGTERM');
          await exited;
          unregister();
        },
      });
    };
    child.stdout.setEncoding('utf8').on('data', onOutput);
    child.stderr.setEncoding('utf8').on('data', onOutput);
    child.stdin.on('error', () => {});
    child.on('error', (err) => fail(err.message));
    child.on('exit', (code) => fail(`exited with ${code ?? 'a signal'}`));
  });
}

/** Starts the responder and the HTTP server, and issues the leaves. Stop it when done. */
export async function startRevocationPki(): Promise<RevocationPki> {
  const pki = await makeTestPki();
  const openssl = requireProgram('openssl');
  const dir = mkdtempSync(join(tmpdir(), 'wiretight-revocation-'));
  const unregister = atExit(() => rmSync(dir, { recursive: true, force: true }));
  const p = (name: string) => join(dir, name);
  const run = (...args: string[]) => execOk(openssl, args, { cwd: dir });
  const seen: string[] = [];
  const http = await startHttp({ '/int.crl': p('int.crl'), '/int.der': p('int.der') }, seen);
  await run('x509', '-in', pki.intermediate.cert, '-outform', 'DER', '-out', p('int.der'));

  let responder: { stop(): Promise<void> } | undefined;
  let ocspPort = 0;
  for (let attempt = 1; responder === undefined; attempt++) {
    ocspPort = await freePort();
    mkdirSync(p('issued'), { recursive: true });
    await Promise.all([
      writeFile(p('ca.cnf'), caConfig(dir, pki.dir, ocspPort, http.port)),
      writeFile(p('index.txt'), ''),
      writeFile(p('serial'), '2000\n'),
      writeFile(p('crlnumber'), '01\n'),
    ]);
    for (const name of ['responder', 'good', 'revoked']) {
      await run(
        'genpkey',
        '-algorithm',
        'EC',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-out',
        p(`${name}.key`),
      );
      const cn = name === 'responder' ? 'wiretight test OCSP responder' : 'localhost';
      await run(
        'req',
        '-new',
        '-key',
        p(`${name}.key`),
        '-subj',
        `/CN=${cn}`,
        '-out',
        p(`${name}.csr`),
      );
      await run(
        'ca',
        '-batch',
        '-config',
        p('ca.cnf'),
        '-in',
        p(`${name}.csr`),
        '-out',
        p(`${name}.pem`),
        '-notext',
        '-extensions',
        name === 'responder' ? 'ocsp_signer' : 'leaf',
      );
    }
    await run(
      'ca',
      '-config',
      p('ca.cnf'),
      '-revoke',
      p('revoked.pem'),
      '-crl_reason',
      'keyCompromise',
    );
    await run('ca', '-config', p('ca.cnf'), '-gencrl', '-out', p('int.crl.pem'));
    await run('crl', '-in', p('int.crl.pem'), '-outform', 'DER', '-out', p('int.crl'));
    try {
      responder = await startResponder(
        openssl,
        [
          'ocsp',
          '-index',
          p('index.txt'),
          '-port',
          String(ocspPort),
          '-rsigner',
          p('responder.pem'),
          '-rkey',
          p('responder.key'),
          '-CA',
          pki.intermediate.cert,
          '-ndays',
          '1',
          '-ignore_err',
        ],
        dir,
      );
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }

  const leaf = async (name: string): Promise<Leaf> => {
    const chain = p(`${name}.chain.pem`);
    const [pem, intermediate] = await Promise.all([
      readFile(p(`${name}.pem`), 'utf8'),
      readFile(pki.intermediate.cert, 'utf8'),
    ]);
    await writeFile(chain, pem + intermediate);
    return {
      cert: p(`${name}.pem`),
      key: p(`${name}.key`),
      chain,
      der: new X509Certificate(pem).raw,
    };
  };
  const running = responder;
  let staples = 0;
  return {
    ocspUrl: `http://127.0.0.1:${ocspPort}`,
    crlUrl: `http://127.0.0.1:${http.port}/int.crl`,
    caIssuersUrl: `http://127.0.0.1:${http.port}/int.der`,
    good: await leaf('good'),
    revoked: await leaf('revoked'),
    async staple(l: Leaf): Promise<string> {
      const name = `staple-${++staples}`;
      await run(
        'ocsp',
        '-issuer',
        pki.intermediate.cert,
        '-cert',
        l.cert,
        '-no_nonce',
        '-reqout',
        p(`${name}.req`),
      );
      await run(
        'ocsp',
        '-index',
        p('index.txt'),
        '-rsigner',
        p('responder.pem'),
        '-rkey',
        p('responder.key'),
        '-CA',
        pki.intermediate.cert,
        '-reqin',
        p(`${name}.req`),
        '-respout',
        p(`${name}.der`),
        '-ndays',
        '1',
      );
      return p(`${name}.der`);
    },
    httpRequests: () => [...seen],
    async stop() {
      await running.stop();
      await new Promise<void>((resolve) => http.server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
      unregister();
    },
  };
}
