// A throwaway PKI for the integration tests, made with the system openssl CLI (3.0.x on
// Debian 12) at test time, once per process, in a temp dir removed on exit.
//
// How each file is made (see the commands below for the exact flags):
// - root CA: `openssl req -x509` with an RSA-2048 key, CA:TRUE, keyCertSign/cRLSign.
// - intermediate CA: RSA-2048 CSR, signed by the root with `openssl x509 -req`
//   (CA:TRUE, pathlen:0).
// - leaves, signed by the intermediate with `openssl x509 -req`, SAN DNS:localhost and
//   IP:127.0.0.1, EKU serverAuth: rsa (RSA-2048), ecdsa (P-256), weakRsa (RSA-1024);
//   wrongName has only DNS:wrong.example (hostname mismatch).
// - selfSigned: `openssl req -x509`, same names. selfSigned, expired and wrongName reuse
//   the rsa leaf's key (RSA key generation is what makes this slow; ~1 s in all).
// - expired: OpenSSL 3.0 has no `x509 -not_before/-not_after` (3.4+), so it is issued
//   with `openssl ca -startdate 20200101000000Z -enddate 20200201000000Z`; notYetValid
//   the same way, valid 2099-2100 (the two `openssl ca` runs share one database, so they
//   run one after the other).
// - sha1: `openssl x509 -req -sha1` (a SHA-1 signature; servers need @SECLEVEL=0 to load
//   it); shortLived: 90 days, the lifetime of a well-run public leaf. Both reuse rsa.key.
// - outOfOrder: the rsa leaf with a chain file of leaf, root, intermediate.
// - clientCa: a separate self-signed root; client: P-256 key, EKU clientAuth, signed by it.
// - dh1024: `openssl dhparam -dsaparam 1024`, rewritten from its X9.42 form (p, g, q) to
//   PKCS#3 (p, g): a safe-prime `dhparam 1024` takes seconds at random, the DSA-style
//   generation tens of milliseconds, but `s_server -dhparam` in OpenSSL 3.0 cannot load
//   X9.42 parameters ("unexpected parameters type") and silently falls back to its
//   built-in 2048-bit group.
// - dh2048: `openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe2048`, the
//   RFC 7919 group, instant.
// - each leaf's chain file is leaf + intermediate (self-signed and client: the leaf alone,
//   as the client CA is itself the root the server trusts).
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeAtExit } from './cleanup.ts';
import { execOk } from './exec.ts';
import { requireProgram } from './tools.ts';

export interface CertAndKey {
  cert: string;
  key: string;
  /** DER of the certificate. */
  der: Buffer;
}

export interface Leaf extends CertAndKey {
  /** Leaf + intermediate, PEM: what a server should send. */
  chain: string;
}

export interface TestPki {
  dir: string;
  root: CertAndKey;
  intermediate: CertAndKey;
  rsa: Leaf;
  ecdsa: Leaf;
  weakRsa: Leaf;
  selfSigned: Leaf;
  expired: Leaf;
  notYetValid: Leaf;
  wrongName: Leaf;
  sha1: Leaf;
  shortLived: Leaf;
  outOfOrder: Leaf;
  clientCa: CertAndKey;
  client: Leaf;
  dh1024: string;
  dh2048: string;
}

const SERVER_NAMES = 'subjectAltName=DNS:localhost,IP:127.0.0.1';

// One extensions file; each certificate picks its section.
const EXTENSIONS = `
[ca_int]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[server_rsa]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
${SERVER_NAMES}

[server_ec]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
${SERVER_NAMES}

[server_wrong]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
authorityKeyIdentifier = keyid
subjectAltName = DNS:wrong.example

[client]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
`;

// `openssl ca` needs a config with a database; only the expired leaf uses it.
const CA_CONFIG = `
[ca]
default_ca = int_ca
[int_ca]
database = ca-db/index.txt
new_certs_dir = ca-db
serial = ca-db/serial
certificate = intermediate.pem
private_key = intermediate.key
default_md = sha256
policy = policy_any
unique_subject = no
[policy_any]
commonName = supplied
`;

const cache = new Map<string, Promise<TestPki>>();

/** The test PKI, made once per process (per dir). Without dir: a temp dir removed on exit. */
export function makeTestPki(dir?: string): Promise<TestPki> {
  const target = dir ?? makeTempDir();
  let pki = cache.get(target);
  if (pki === undefined) {
    pki = generate(target);
    cache.set(target, pki);
  }
  return pki;
}

let tempDir: string | undefined;
function makeTempDir(): string {
  if (tempDir === undefined) {
    const made = mkdtempSync(join(tmpdir(), 'wiretight-pki-'));
    tempDir = made;
    removeAtExit(made);
  }
  return tempDir;
}

type KeyType = 'rsa2048' | 'rsa1024' | 'p256';
const KEY_OPTS: Record<KeyType, string> = {
  rsa2048: '-algorithm RSA -pkeyopt rsa_keygen_bits:2048',
  rsa1024: '-algorithm RSA -pkeyopt rsa_keygen_bits:1024',
  p256: '-algorithm EC -pkeyopt ec_paramgen_curve:P-256',
};

async function generate(dir: string): Promise<TestPki> {
  mkdirSync(join(dir, 'ca-db'), { recursive: true });
  const openssl = requireProgram('openssl');
  // Commands run in dir with relative file names, so a flag list reads as one line.
  const run = (cmd: string, ...extra: string[]) =>
    execOk(openssl, [...cmd.split(' '), ...extra], { cwd: dir });
  const p = (name: string) => join(dir, name);
  await Promise.all([
    writeFile(p('ext.cnf'), EXTENSIONS),
    writeFile(p('ca.cnf'), CA_CONFIG),
    writeFile(p('ca-db/index.txt'), ''),
    writeFile(p('ca-db/serial'), '1000\n'),
  ]);

  const key = (name: string, type: KeyType) => run(`genpkey ${KEY_OPTS[type]} -out ${name}.key`);
  const csr = (name: string, cn: string) =>
    run(`req -new -key ${name}.key -out ${name}.csr -subj`, `/CN=${cn}`);
  const selfSign = (name: string, cn: string, exts: string[]) =>
    run(
      `req -x509 -new -key ${name}.key -out ${name}.pem -days 3650 -sha256 -subj`,
      `/CN=${cn}`,
      ...exts.flatMap((e) => ['-addext', e]),
    );
  const sign = (name: string, issuer: string, section: string) =>
    run(
      `x509 -req -in ${name}.csr -CA ${issuer}.pem -CAkey ${issuer}.key -days 825 -sha256 -extfile ext.cnf -extensions ${section} -out ${name}.pem`,
    );
  const caExts = ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'];
  const serverExts = [
    SERVER_NAMES,
    'extendedKeyUsage=serverAuth',
    'basicConstraints=critical,CA:FALSE',
  ];

  // Keys first, in parallel: RSA key generation is the slow part, so the leaves that only
  // differ in their certificate (expired, wrong name, self-signed) share the RSA leaf's key.
  await Promise.all([
    key('root', 'rsa2048'),
    key('intermediate', 'rsa2048'),
    key('rsa', 'rsa2048'),
    key('weak-rsa', 'rsa1024'),
    key('ecdsa', 'p256'),
    key('client-ca', 'p256'),
    key('client', 'p256'),
    run('dhparam -dsaparam -out dh1024.x942.pem 1024'),
    run('genpkey -genparam -algorithm DH -pkeyopt group:ffdhe2048 -out dh2048.pem'),
  ]);
  await writeFile(p('dh1024.pem'), x942ToPkcs3(await readFile(p('dh1024.x942.pem'), 'utf8')));
  await Promise.all(
    ['expired', 'not-yet-valid', 'wrong-name', 'self-signed', 'sha1', 'short-lived'].map((n) =>
      copyFile(p('rsa.key'), p(`${n}.key`)),
    ),
  );
  await Promise.all([
    selfSign('root', 'wiretight test root CA', caExts),
    selfSign('client-ca', 'wiretight test client CA', caExts),
    selfSign('self-signed', 'localhost', serverExts),
    csr('intermediate', 'wiretight test intermediate CA'),
    csr('rsa', 'localhost'),
    csr('ecdsa', 'localhost'),
    csr('weak-rsa', 'localhost'),
    csr('expired', 'localhost'),
    csr('not-yet-valid', 'localhost'),
    csr('sha1', 'localhost'),
    csr('short-lived', 'localhost'),
    csr('wrong-name', 'wrong.example'),
    csr('client', 'wiretight test client'),
  ]);
  await sign('intermediate', 'root', 'ca_int');
  await Promise.all([
    sign('rsa', 'intermediate', 'server_rsa'),
    sign('ecdsa', 'intermediate', 'server_ec'),
    sign('weak-rsa', 'intermediate', 'server_rsa'),
    sign('wrong-name', 'intermediate', 'server_wrong'),
    sign('client', 'client-ca', 'client'),
    run(
      `x509 -req -in sha1.csr -CA intermediate.pem -CAkey intermediate.key -days 90 -sha1 -extfile ext.cnf -extensions server_rsa -out sha1.pem`,
    ),
    run(
      `x509 -req -in short-lived.csr -CA intermediate.pem -CAkey intermediate.key -days 90 -sha256 -extfile ext.cnf -extensions server_rsa -out short-lived.pem`,
    ),
    (async () => {
      await run(
        'ca -batch -config ca.cnf -in expired.csr -out expired.pem -notext -startdate 20200101000000Z -enddate 20200201000000Z -extfile ext.cnf -extensions server_rsa',
      );
      await run(
        'ca -batch -config ca.cnf -in not-yet-valid.csr -out not-yet-valid.pem -notext -startdate 20990101000000Z -enddate 21000101000000Z -extfile ext.cnf -extensions server_rsa',
      );
    })(),
  ]);

  const intermediatePem = await readFile(p('intermediate.pem'), 'utf8');
  const certAndKey = async (name: string): Promise<CertAndKey> => {
    const pem = await readFile(p(`${name}.pem`), 'utf8');
    return { cert: p(`${name}.pem`), key: p(`${name}.key`), der: new X509Certificate(pem).raw };
  };
  const leaf = async (name: string, chainedTo: string | undefined): Promise<Leaf> => {
    const ck = await certAndKey(name);
    const pem = await readFile(ck.cert, 'utf8');
    const chain = p(`${name}.chain.pem`);
    await writeFile(chain, chainedTo === undefined ? pem : pem + chainedTo);
    return { ...ck, chain };
  };
  // The rsa leaf again, its chain file listing the root before the intermediate.
  const outOfOrder = async (): Promise<Leaf> => {
    const ck = await certAndKey('rsa');
    const chain = p('rsa.out-of-order.chain.pem');
    const [leafPem, rootPem] = await Promise.all([
      readFile(ck.cert, 'utf8'),
      readFile(p('root.pem'), 'utf8'),
    ]);
    await writeFile(chain, leafPem + rootPem + intermediatePem);
    return { ...ck, chain };
  };
  return {
    dir,
    root: await certAndKey('root'),
    intermediate: await certAndKey('intermediate'),
    rsa: await leaf('rsa', intermediatePem),
    ecdsa: await leaf('ecdsa', intermediatePem),
    weakRsa: await leaf('weak-rsa', intermediatePem),
    selfSigned: await leaf('self-signed', undefined),
    expired: await leaf('expired', intermediatePem),
    notYetValid: await leaf('not-yet-valid', intermediatePem),
    wrongName: await leaf('wrong-name', intermediatePem),
    sha1: await leaf('sha1', intermediatePem),
    shortLived: await leaf('short-lived', intermediatePem),
    outOfOrder: await outOfOrder(),
    clientCa: await certAndKey('client-ca'),
    client: await leaf('client', undefined),
    dh1024: p('dh1024.pem'),
    dh2048: p('dh2048.pem'),
  };
}

/**
 * X9.42 DomainParameters SEQUENCE { p, g, q, … } → PKCS#3 DHParameter SEQUENCE { p, g }:
 * the first two INTEGERs copied byte for byte under a new SEQUENCE header.
 */
function x942ToPkcs3(pem: string): string {
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  // one DER TLV at offset: [header length, total length]
  const tlv = (at: number): [number, number] => {
    const first = der[at + 1] ?? 0;
    if (first < 0x80) return [2, 2 + first];
    const n = first & 0x7f;
    let len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (der[at + 2 + i] ?? 0);
    return [2 + n, 2 + n + len];
  };
  const [seqHeader] = tlv(0);
  const [, pLen] = tlv(seqHeader);
  const [, gLen] = tlv(seqHeader + pLen);
  const body = der.subarray(seqHeader, seqHeader + pLen + gLen);
  const len = body.length;
  const header =
    len < 0x80
      ? Buffer.from([0x30, len])
      : len < 0x100
        ? Buffer.from([0x30, 0x81, len])
        : Buffer.from([0x30, 0x82, len >> 8, len & 0xff]);
  const b64 = Buffer.concat([header, body]).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN DH PARAMETERS-----\n${b64.trimEnd()}\n-----END DH PARAMETERS-----\n`;
}
