import assert from 'node:assert/strict';
import test from 'node:test';
import { sketchReport } from '../testdata/reports.ts';
import { evaluateRules } from './index.ts';

const TLS13 = [0x1301, 0x1302, 0x1303];
const GOOD12 = [0xc02f, 0xc030, 0xcca8];

const ids = (sketch: Parameters<typeof sketchReport>[0]) =>
  evaluateRules(sketchReport(sketch)).map((f): string => f.id);

test('a modern server has no findings', () => {
  assert.deepEqual(
    ids({ suites: { 'TLSv1.2': GOOD12, 'TLSv1.3': TLS13 }, groups12: ['x25519'] }),
    [],
  );
});

test('each obsolete protocol is a finding; a missing TLS 1.3 too', () => {
  const found = ids({
    suites: {
      SSLv2: [0x0700c0],
      SSLv3: [0x002f],
      'TLSv1.0': [0x002f],
      'TLSv1.1': [0x002f],
      'TLSv1.2': GOOD12,
    },
  });
  for (const id of [
    'protocol.sslv2',
    'protocol.sslv3',
    'protocol.tls10',
    'protocol.tls11',
    'protocol.no-tls13',
  ]) {
    assert.ok(found.includes(id), id);
  }
});

test('suite traits: NULL, anonymous, export, RC4, DES, 3DES, CBC, no forward secrecy', () => {
  const cases: [number, string[]][] = [
    [0x0002, ['suite.null', 'suite.no-forward-secrecy']],
    [0x00a6, ['suite.anonymous']],
    [0x0003, ['suite.export', 'suite.rc4', 'suite.no-forward-secrecy', 'vuln.freak']],
    [0x0014, ['suite.export', 'suite.des', 'suite.cbc', 'vuln.logjam']],
    [0x0005, ['suite.rc4', 'suite.no-forward-secrecy']],
    [0x0009, ['suite.des', 'suite.cbc', 'suite.no-forward-secrecy']],
    [0x000a, ['suite.3des', 'suite.cbc', 'suite.no-forward-secrecy']],
    [0xc013, ['suite.cbc']],
    [0x009c, ['suite.no-forward-secrecy']],
  ];
  for (const [id, expected] of cases) {
    const found = ids({
      suites: { 'TLSv1.2': [id], 'TLSv1.3': TLS13 },
      groups12: ['x25519'],
    }).filter((f) => f !== 'vuln.lucky13');
    assert.deepEqual(found.sort(), [...expected].sort(), `suite 0x${id.toString(16)}`);
  }
});

test('a suite finding lists the suites and versions in its evidence and details', () => {
  const [rc4] = evaluateRules(
    sketchReport({
      suites: { 'TLSv1.0': [0x0005], 'TLSv1.2': [0x0005, 0xc02f], 'TLSv1.3': TLS13 },
    }),
  ).filter((f) => f.id === 'suite.rc4');
  assert.ok(rc4);
  assert.equal(
    rc4.evidence,
    '1 suite with RC4 accepted: TLS_RSA_WITH_RC4_128_SHA (TLSv1.0, TLSv1.2).',
  );
  assert.deepEqual(rc4.details?.['suites'], ['0x0005']);
});

test('weak DH carries its size, and is high under 1024 bits', () => {
  const find = (bits: number) =>
    evaluateRules(sketchReport({ suites: { 'TLSv1.2': [0x009e] }, dhePrimeBits: [bits] })).find(
      (f) => f.id === 'kex.weak-dh',
    );
  assert.equal(find(2048), undefined);
  assert.equal(find(1024)?.severity, 'medium');
  assert.equal(find(1024)?.details?.['primeBits'], 1024);
  assert.equal(find(512)?.severity, 'high');
});

test('curves below 112-bit security are weak; P-256 and X25519 are not', () => {
  assert.ok(
    ids({ suites: { 'TLSv1.2': [0xc02f] }, groups12: ['secp192r1', 'x25519'] }).includes(
      'kex.weak-ecdh',
    ),
  );
  assert.ok(
    !ids({ suites: { 'TLSv1.2': [0xc02f] }, groups12: ['secp256r1', 'x25519'] }).includes(
      'kex.weak-ecdh',
    ),
  );
});

test('client order matters only while weak suites are accepted', () => {
  const weak = { 'TLSv1.2': [0xc02f, 0x000a] };
  assert.ok(
    ids({ suites: weak, serverPreference: { 'TLSv1.2': false } }).includes(
      'preference.client-order',
    ),
  );
  assert.ok(
    !ids({ suites: weak, serverPreference: { 'TLSv1.2': true } }).includes(
      'preference.client-order',
    ),
  );
  assert.ok(
    !ids({ suites: { 'TLSv1.2': GOOD12 }, serverPreference: { 'TLSv1.2': false } }).includes(
      'preference.client-order',
    ),
  );
});

test('POODLE needs SSLv3 with CBC; BEAST TLS 1.0 or SSLv3 with CBC; both potential ones stay low', () => {
  const sslv3 = evaluateRules(sketchReport({ suites: { SSLv3: [0x002f], 'TLSv1.2': GOOD12 } }));
  assert.ok(sslv3.some((f) => f.id === 'vuln.poodle'));
  const beast = sslv3.find((f) => f.id === 'vuln.beast');
  assert.equal(beast?.confidence, 'potential');
  assert.equal(beast?.severity, 'low');
  const rc4Only = ids({ suites: { SSLv3: [0x0005], 'TLSv1.2': GOOD12 } });
  assert.ok(!rc4Only.includes('vuln.poodle'));
  assert.ok(!rc4Only.includes('vuln.beast'));
});

test('DROWN from SSLv2; Logjam from 1024-bit DH without export suites', () => {
  assert.ok(ids({ suites: { SSLv2: [0x0700c0], 'TLSv1.2': GOOD12 } }).includes('vuln.drown'));
  const logjam = evaluateRules(
    sketchReport({ suites: { 'TLSv1.2': [0x009e] }, dhePrimeBits: [1024] }),
  ).find((f) => f.id === 'vuln.logjam');
  assert.equal(logjam?.evidence, 'DHE uses a 1024-bit prime.');
  assert.ok(
    !ids({ suites: { 'TLSv1.2': [0x009e] }, dhePrimeBits: [2048] }).includes('vuln.logjam'),
  );
});

test('plaintext ports and client certificate requests', () => {
  const report = {
    ...sketchReport({ suites: {} }),
    tls: false,
    plaintext: {
      protocol: 'http' as const,
      description: 'HTTP: HTTP/1.1 400 Bad Request',
      firstBytesHex: '',
      firstBytesText: '',
    },
  };
  const [plain] = evaluateRules(report);
  assert.equal(plain?.id, 'transport.plaintext');
  assert.match(plain?.evidence ?? '', /HTTP\/1\.1 400 Bad Request/);
  assert.ok(
    ids({ suites: { 'TLSv1.3': TLS13 }, clientCertificateRequested: true }).includes(
      'tls.client-cert-required',
    ),
  );
});

test('a STARTTLS refusal and PostgreSQL with SSL off say so, with the fix for that server', () => {
  const cleartext = (protocol: 'smtp' | 'postgresql', description: string) => ({
    ...sketchReport({ suites: {} }),
    tls: false,
    plaintext: { protocol, description, firstBytesHex: '', firstBytesText: '' },
  });
  const [smtp] = evaluateRules({
    ...cleartext('smtp', 'SMTP without STARTTLS: 250-mx.example'),
    starttls: 'smtp',
  });
  assert.equal(smtp?.id, 'transport.plaintext');
  assert.match(smtp?.evidence ?? '', /^The smtp server does not start TLS when asked/);
  assert.match(smtp?.fix ?? '', /smtpd_tls_security_level/);
  assert.deepEqual(smtp?.details, { protocol: 'smtp', starttls: 'smtp' });
  const [pg] = evaluateRules(cleartext('postgresql', "PostgreSQL with SSL off (answered 'N')"));
  assert.match(pg?.evidence ?? '', /^The server is PostgreSQL and refuses SSL/);
  assert.match(pg?.fix ?? '', /hostssl/);
});
