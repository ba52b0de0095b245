// A real TLS 1.3 handshake against node:tls in-process (OpenSSL 3.5): a ClientHello from
// the wire codec over a raw socket, then the server's encrypted flight decrypted and parsed
// by this folder, checked against what the server was configured with.
import assert from 'node:assert/strict';
import { randomBytes, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { createServer } from 'node:tls';
import type { Server, TlsOptions } from 'node:tls';
import { buildClientHello, clientHelloRecords, encodeClientHello } from '../client-hello.ts';
import { type Extension, findExtension } from '../extensions/extension.ts';
import { type HandshakeMessage, HandshakeReassembler } from '../handshake.ts';
import { CONTENT_TYPE, RecordDeframer } from '../record.ts';
import { EXTENSION_TYPES } from '../registry/extension-types.ts';
import { parseServerHello, serverHelloFacts } from '../server-hello.ts';
import {
  HandshakeDecryptor,
  KEY_SHARE_GROUPS,
  Tls13ServerFlight,
  TLS13_SUITES,
  deriveHandshakeSecrets,
  generateKeyShare,
  supportedKeyShareGroups,
  verifyServerFinished,
} from './index.ts';
import type { ClientKeyShare, Tls13ServerFlightResult } from './index.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8');
const CA = fixture('ca.pem');
const LEAF_EC = fixture('leaf-ec.pem');
const LEAF_EC_KEY = fixture('leaf-ec.key');
const RSA = fixture('rsa.pem');
const RSA_KEY = fixture('rsa.key');
const der = (pem: string): Uint8Array => new Uint8Array(new X509Certificate(pem).raw);

const ALL_GROUPS_OPENSSL =
  'X25519:P-256:P-384:P-521:X448:X25519MLKEM768:SecP256r1MLKEM768:SecP384r1MLKEM1024';

interface ClientOptions {
  readonly suites?: readonly number[];
  /** supported_groups; the first is the one the initial key share is made for. */
  readonly groups: readonly number[];
  readonly alpn?: readonly string[];
}

interface Outcome {
  readonly suite: number;
  readonly group: number;
  readonly helloRetried: boolean;
  readonly flight: Tls13ServerFlightResult;
  readonly finishedValid: boolean;
}

/** One raw connection: hello(s) in the clear, then the server's flight until Finished. */
function handshake(port: number, o: ClientOptions): Promise<Outcome> {
  const suites = o.suites ?? [0x1301, 0x1302, 0x1303];
  const random = randomBytes(32);
  const sessionId = randomBytes(32);
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(5000, () => socket.destroy(new Error('timed out')));
    socket.on('error', reject);
    const deframer = new RecordDeframer();
    const clear = new HandshakeReassembler();
    const flight = new Tls13ServerFlight();
    const transcript: Uint8Array[] = [];
    /** Sends a ClientHello with a share for `group` and returns the share. */
    const hello = (group: number, cookie?: Extension): ClientKeyShare => {
      const share = generateKeyShare(group);
      const ch = buildClientHello({
        version: 0x0303,
        random,
        sessionId,
        cipherSuites: suites,
        serverName: 'localhost',
        supportedGroups: o.groups,
        signatureAlgorithms: [0x0403, 0x0804, 0x0401],
        supportedVersions: [0x0304],
        keyShares: [{ group, keyExchange: share.publicKey }],
        ...(o.alpn === undefined ? {} : { alpn: o.alpn }),
        // RFC 8446 §4.2.2: the second ClientHello echoes the HelloRetryRequest's cookie.
        ...(cookie === undefined ? {} : { extraExtensions: [cookie] }),
      });
      transcript.push(encodeClientHello(ch));
      socket.write(clientHelloRecords(ch));
      return share;
    };
    let share = hello(o.groups[0]!);
    let helloRetried = false;
    let keys: { suite: number; group: number; decryptor: HandshakeDecryptor; shts: Uint8Array };

    const onServerHello = (message: HandshakeMessage): void => {
      const sh = parseServerHello(message.body);
      const facts = serverHelloFacts(sh);
      transcript.push(message.raw);
      if (facts.isHelloRetryRequest) {
        assert.equal(helloRetried, false, 'a second HelloRetryRequest');
        helloRetried = true;
        share = hello(facts.keyShareGroup!, findExtension(sh.extensions!, EXTENSION_TYPES.cookie));
        return;
      }
      assert.equal(facts.version, 0x0304);
      assert.equal(facts.keyShareGroup, share.group);
      const secret = share.sharedSecret(facts.serverKeyShare!);
      const s = deriveHandshakeSecrets(facts.cipherSuite, secret, transcript);
      keys = {
        suite: facts.cipherSuite,
        group: facts.keyShareGroup!,
        decryptor: new HandshakeDecryptor(facts.cipherSuite, s.serverHandshakeTrafficSecret),
        shts: s.serverHandshakeTrafficSecret,
      };
    };

    socket.on('data', (chunk: Buffer) => {
      try {
        deframer.push(chunk);
        for (let record = deframer.next(); record !== undefined; record = deframer.next()) {
          if (record.type === CONTENT_TYPE.change_cipher_spec) continue;
          if (record.type === CONTENT_TYPE.alert) {
            throw new Error(`server alert ${record.fragment.join(',')}`);
          }
          if (record.type === CONTENT_TYPE.handshake) {
            for (const m of clear.push(record.fragment)) onServerHello(m);
            continue;
          }
          const opened = keys!.decryptor.open({
            type: record.type,
            version: record.version,
            fragment: record.fragment,
          });
          if (opened.contentType !== CONTENT_TYPE.handshake) {
            throw new Error(`inner content type ${opened.contentType}`);
          }
          flight.push(opened.content);
          if (flight.done) {
            socket.destroy();
            const r = flight.result();
            const verifyData = r.finished!.verifyData;
            resolve({
              suite: keys!.suite,
              group: keys!.group,
              helloRetried,
              flight: r,
              finishedValid: verifyServerFinished(
                keys!.suite,
                keys!.shts,
                [...transcript, ...r.messages.slice(0, -1)],
                verifyData,
              ),
            });
            return;
          }
        }
      } catch (error) {
        socket.destroy();
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    socket.on('close', () => reject(new Error('closed before the server Finished')));
  });
}

async function withServer<T>(options: TlsOptions, run: (port: number) => Promise<T>): Promise<T> {
  const server: Server = createServer({ minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3', ...options });
  server.on('tlsClientError', () => {}); // we hang up after the server's Finished
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await run((server.address() as AddressInfo).port);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const ecServer: TlsOptions = {
  key: LEAF_EC_KEY,
  cert: LEAF_EC + CA,
  ecdhCurve: ALL_GROUPS_OPENSSL,
};

const ALL_SUITES = [0x1301, 0x1302, 0x1303, 0x1304, 0x1305] as const;

/** node:tls `ciphers` for one suite; OpenSSL allows the 64-bit-tag CCM_8 only at level 0. */
const opensslCiphers = (id: (typeof ALL_SUITES)[number]): string =>
  id === 0x1305
    ? `${TLS13_SUITES[id].name}:ECDHE-ECDSA-AES128-GCM-SHA256:@SECLEVEL=0`
    : TLS13_SUITES[id].name;

const hex = (b: Uint8Array | undefined): string => Buffer.from(b ?? []).toString('hex');

describe('against node:tls (OpenSSL): every suite × every group', () => {
  const supported = supportedKeyShareGroups();
  for (const id of ALL_SUITES) {
    for (const [groupName, group] of Object.entries(KEY_SHARE_GROUPS)) {
      const skip = !supported.includes(group) && `${groupName} is not supported by this Node`;
      test(`${TLS13_SUITES[id].name} with ${groupName}`, { skip }, async () => {
        const server: TlsOptions = {
          ...ecServer,
          ciphers: opensslCiphers(id),
          requestCert: true,
          ca: CA,
          ALPNProtocols: ['h2'],
        };
        const out = await withServer(server, (port) =>
          handshake(port, { groups: [group], suites: ALL_SUITES, alpn: ['h2', 'http/1.1'] }),
        );
        assert.equal(out.suite, id);
        assert.equal(out.group, group);
        assert.equal(out.helloRetried, false);
        assert.deepEqual(
          out.flight.certificate?.entries.map((e) => hex(e.der)),
          [hex(der(LEAF_EC)), hex(der(CA))],
        );
        assert.ok(out.flight.certificateRequest, 'a CertificateRequest');
        assert.equal(out.flight.encryptedExtensions?.alpn, 'h2');
        assert.equal(out.flight.certificateVerify?.scheme, 0x0403);
        assert.equal(out.finishedValid, true);
      });
    }
  }
});

describe('against node:tls (OpenSSL): what the server asks and signs', () => {
  test('a plain server: no CertificateRequest, no ALPN', async () => {
    const out = await withServer(ecServer, (port) =>
      handshake(port, { groups: [KEY_SHARE_GROUPS.x25519], alpn: ['h2'] }),
    );
    assert.equal(out.flight.certificateRequest, undefined);
    assert.equal(out.flight.encryptedExtensions?.alpn, undefined);
    assert.deepEqual(
      out.flight.messages.map((m) => m[0]),
      [8, 11, 15, 20],
    );
    assert.equal(out.finishedValid, true);
  });

  test('an RSA certificate is signed with rsa_pss_rsae_sha256', async () => {
    const out = await withServer({ key: RSA_KEY, cert: RSA }, (port) =>
      handshake(port, { groups: [KEY_SHARE_GROUPS.x25519] }),
    );
    assert.deepEqual(
      out.flight.certificate?.entries.map((e) => e.der),
      [der(RSA)],
    );
    assert.equal(out.flight.certificateVerify?.scheme, 0x0804);
    assert.equal(out.finishedValid, true);
  });

  test('requestCert: a CertificateRequest with signature algorithms and CA names', async () => {
    const out = await withServer({ ...ecServer, requestCert: true, ca: CA }, (port) =>
      handshake(port, { groups: [KEY_SHARE_GROUPS.x25519] }),
    );
    const cr = out.flight.certificateRequest;
    assert.ok(cr, 'a CertificateRequest');
    assert.equal(cr.context.length, 0);
    assert.ok(cr.signatureAlgorithms?.includes(0x0403));
    assert.equal(cr.certificateAuthorities?.length, 1);
    // The DER DistinguishedName is the CA certificate's subject, byte for byte.
    const caDer = Buffer.from(der(CA));
    assert.ok(caDer.includes(Buffer.from(cr.certificateAuthorities![0]!)));
    assert.match(Buffer.from(cr.certificateAuthorities![0]!).toString('latin1'), /test CA/);
    assert.equal(out.finishedValid, true);
  });

  test('ALPN: the protocol the server selected', async () => {
    const out = await withServer({ ...ecServer, ALPNProtocols: ['h2', 'http/1.1'] }, (port) =>
      handshake(port, { groups: [KEY_SHARE_GROUPS.x25519], alpn: ['h2', 'http/1.1'] }),
    );
    assert.equal(out.flight.encryptedExtensions?.alpn, 'h2');
    assert.ok(out.flight.encryptedExtensions?.extensions.some((e) => e.type === 16));
    assert.equal(out.finishedValid, true);
  });

  test('HelloRetryRequest: the transcript starts with message_hash', async () => {
    const out = await withServer({ ...ecServer, ecdhCurve: 'P-256' }, (port) =>
      handshake(port, { groups: [KEY_SHARE_GROUPS.x25519, KEY_SHARE_GROUPS.secp256r1] }),
    );
    assert.equal(out.helloRetried, true);
    assert.equal(out.group, KEY_SHARE_GROUPS.secp256r1);
    assert.equal(out.finishedValid, true);
    assert.deepEqual(out.flight.certificate?.entries[0]?.der, der(LEAF_EC));
  });

  test('HelloRetryRequest with TLS_AES_256_GCM_SHA384 (message_hash uses SHA-384)', async () => {
    const out = await withServer(
      { ...ecServer, ecdhCurve: 'P-384', ciphers: 'TLS_AES_256_GCM_SHA384' },
      (port) => handshake(port, { groups: [KEY_SHARE_GROUPS.x25519, KEY_SHARE_GROUPS.secp384r1] }),
    );
    assert.equal(out.helloRetried, true);
    assert.equal(out.suite, 0x1302);
    assert.equal(out.finishedValid, true);
  });
});

test('the classical groups are supported on every Node', () => {
  for (const g of [0x001d, 0x001e, 0x0017, 0x0018, 0x0019]) {
    assert.ok(supportedKeyShareGroups().includes(g));
  }
});
