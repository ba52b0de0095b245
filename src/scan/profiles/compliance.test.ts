import assert from 'node:assert/strict';
import test from 'node:test';
import { cipherSuiteByHex } from '../../wire/registry/cipher-suites.ts';
import type { ProtocolName } from '../../wire/registry/versions.ts';
import type { Finding } from '../findings/index.ts';
import { checkProfile, type ProfileInput, type SuiteFact } from './compliance.ts';
import { SNIPPET_SERVERS, aspectSnippets } from './snippets.ts';

function suites(...ids: string[]): SuiteFact[] {
  return ids.map((id) => {
    const s = cipherSuiteByHex(id);
    assert.ok(s, id);
    return { id, name: s.name };
  });
}

const TLS13 = suites('0x1301', '0x1302', '0x1303');
const ECDHE_AEAD = suites('0xc02b', '0xc02f', '0xc02c', '0xc030', '0xcca9', '0xcca8');

const NO_PROTOCOLS: Record<ProtocolName, boolean> = {
  SSLv2: false,
  SSLv3: false,
  'TLSv1.0': false,
  'TLSv1.1': false,
  'TLSv1.2': false,
  'TLSv1.3': false,
};

/**
 * nginx 1.22 on Debian 12 (OpenSSL 3.0) configured with the Mozilla intermediate snippet:
 * OpenSSL 3.0 has no X25519MLKEM768, so the groups are the other three; RSA-2048 leaf from
 * Let's Encrypt (90 days), HSTS two years, stapling on.
 */
const intermediateNginx: ProfileInput = {
  protocols: { ...NO_PROTOCOLS, 'TLSv1.2': true, 'TLSv1.3': true },
  suites: { 'TLSv1.2': ECDHE_AEAD, 'TLSv1.3': TLS13 },
  serverPreference: { 'TLSv1.2': false, 'TLSv1.3': false },
  groups: ['x25519', 'secp256r1', 'secp384r1'],
  dhePrimeBits: [],
  certificate: {
    keyType: 'rsa',
    keyBits: 2048,
    signatureAlgorithm: 'sha256WithRSAEncryption',
    lifetimeDays: 90,
  },
  hstsMaxAge: 63072000,
  ocspStapled: true,
};

/**
 * An appliance left on the Mozilla old list: TLS 1.0 to 1.3, CBC suites, static RSA and
 * 3DES, in the server's order.
 */
const oldAppliance: ProfileInput = {
  protocols: {
    ...NO_PROTOCOLS,
    'TLSv1.0': true,
    'TLSv1.1': true,
    'TLSv1.2': true,
    'TLSv1.3': true,
  },
  suites: {
    'TLSv1.0': suites('0xc013', '0xc014', '0x002f', '0x0035', '0x000a'),
    'TLSv1.1': suites('0xc013', '0xc014', '0x002f', '0x0035', '0x000a'),
    'TLSv1.2': [
      ...ECDHE_AEAD,
      ...suites('0xc027', '0xc013', '0x009c', '0x003c', '0x002f', '0x0035', '0x000a'),
    ],
    'TLSv1.3': TLS13,
  },
  serverPreference: { 'TLSv1.0': true, 'TLSv1.1': true, 'TLSv1.2': true, 'TLSv1.3': true },
  groups: ['X25519MLKEM768', 'x25519', 'secp256r1'],
  dhePrimeBits: [],
  certificate: {
    keyType: 'rsa',
    keyBits: 2048,
    signatureAlgorithm: 'sha256WithRSAEncryption',
    lifetimeDays: 365,
  },
  hstsMaxAge: 63072000,
  ocspStapled: true,
};

/** An old Java/Tomcat-style server: RSA-1024 leaf, 1024-bit DHE, SHA-1 signature. */
const weakKeys: ProfileInput = {
  protocols: { ...NO_PROTOCOLS, 'TLSv1.2': true },
  suites: { 'TLSv1.2': suites('0xc02f', '0x009e', '0x009f') },
  serverPreference: { 'TLSv1.2': true },
  groups: ['secp256r1'],
  dhePrimeBits: [1024],
  certificate: {
    keyType: 'rsa',
    keyBits: 1024,
    signatureAlgorithm: 'sha1WithRSAEncryption',
    lifetimeDays: 730,
  },
  hstsMaxAge: null,
  ocspStapled: null,
};

const ids = (findings: readonly Finding[]): string[] => findings.map((f) => f.id);
const byId = (findings: readonly Finding[], id: string): Finding => {
  const f = findings.find((x) => x.id === id);
  assert.ok(f, `expected ${id} among ${ids(findings).join(', ')}`);
  return f;
};

test('a Mozilla-intermediate nginx complies with intermediate', () => {
  assert.deepEqual(checkProfile('intermediate', intermediateNginx), []);
});

test('the same nginx departs from modern: TLS 1.2, its suites, an RSA key', () => {
  const findings = checkProfile('modern', intermediateNginx);
  assert.deepEqual(ids(findings), [
    'profile.protocol',
    'profile.cipher-suite',
    'profile.certificate',
  ]);
  const protocol = byId(findings, 'profile.protocol');
  assert.equal(protocol.severity, 'medium');
  assert.deepEqual(protocol.details?.['enabled'], ['TLSv1.2']);
  assert.deepEqual(protocol.details?.['missing'], []);
  assert.match(
    protocol.evidence,
    /TLSv1\.2 enabled: the Mozilla modern profile \(guidelines 6\.0\)/,
  );
  const suitesFinding = byId(findings, 'profile.cipher-suite');
  assert.deepEqual(
    suitesFinding.details?.['suites'],
    ECDHE_AEAD.map((s) => s.id),
  );
  assert.match(suitesFinding.evidence, /TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 \(TLSv1\.2\)/);
  assert.match(
    byId(findings, 'profile.certificate').evidence,
    /RSA key \(the profile takes ECDSA\)/,
  );
});

test('the old appliance complies with old', () => {
  assert.deepEqual(checkProfile('old', oldAppliance), []);
});

test('the old appliance departs from intermediate in versions, suites and preference', () => {
  const findings = checkProfile('intermediate', oldAppliance);
  assert.deepEqual(ids(findings), [
    'profile.protocol',
    'profile.cipher-suite',
    'profile.server-preference',
  ]);
  assert.deepEqual(byId(findings, 'profile.protocol').details?.['enabled'], ['TLSv1.0', 'TLSv1.1']);
  const outside = byId(findings, 'profile.cipher-suite');
  assert.deepEqual(outside.details?.['suites'], [
    '0xc013',
    '0xc014',
    '0x002f',
    '0x0035',
    '0x000a',
    '0xc027',
    '0x009c',
    '0x003c',
  ]);
  // Each suite once, with every version that accepted it.
  assert.match(outside.evidence, /TLS_RSA_WITH_3DES_EDE_CBC_SHA \(TLSv1\.0, TLSv1\.1, TLSv1\.2\)/);
  assert.match(outside.evidence, /and 2 more\.$/);
  const preference = byId(findings, 'profile.server-preference');
  assert.deepEqual(preference.details?.['versions'], ['TLSv1.2', 'TLSv1.3']);
  assert.equal(preference.details?.['expected'], 'client');
});

test('old still flags what old forbids: SSLv3, RC4, and a client-ordered server', () => {
  const worse: ProfileInput = {
    ...oldAppliance,
    protocols: { ...oldAppliance.protocols, SSLv3: true },
    suites: { ...oldAppliance.suites, SSLv3: suites('0x0005', '0x000a') },
    serverPreference: { ...oldAppliance.serverPreference, 'TLSv1.2': false },
  };
  const findings = checkProfile('old', worse);
  assert.deepEqual(ids(findings), [
    'profile.protocol',
    'profile.cipher-suite',
    'profile.server-preference',
  ]);
  assert.deepEqual(byId(findings, 'profile.protocol').details?.['enabled'], ['SSLv3']);
  assert.deepEqual(byId(findings, 'profile.cipher-suite').details?.['names'], [
    'TLS_RSA_WITH_RC4_128_SHA',
  ]);
  assert.match(
    byId(findings, 'profile.server-preference').evidence,
    /follows the client's suite order in TLSv1\.2; the Mozilla old profile .* has the server choose/,
  );
});

test('RSA-1024 and 1024-bit DH depart from intermediate and old, not from what is unchecked', () => {
  for (const profile of ['intermediate', 'old'] as const) {
    const findings = checkProfile(profile, weakKeys);
    assert.ok(ids(findings).includes('profile.dh-size'), profile);
    const dh = byId(findings, 'profile.dh-size');
    assert.equal(dh.severity, 'medium');
    assert.equal(dh.details?.['smallestBits'], 1024);
    assert.equal(dh.details?.['requiredBits'], 2048);
    const cert = byId(findings, 'profile.certificate');
    assert.match(cert.evidence, /1024-bit RSA key \(at least 2048\)/);
    assert.match(cert.evidence, /signed with sha1WithRSAEncryption/);
    assert.match(cert.evidence, /valid 730 days \(at most 366\)/);
    assert.ok(!ids(findings).includes('profile.hsts'), 'HSTS was not checked');
    assert.ok(!ids(findings).includes('profile.ocsp-stapling'), 'stapling was not checked');
  }
  // TLS 1.2 only is "missing TLS 1.3": a compatibility gap, so low.
  assert.equal(byId(checkProfile('intermediate', weakKeys), 'profile.protocol').severity, 'low');
  // Modern has no DH at all: its DHE suites are the finding, not their size.
  const modern = checkProfile('modern', weakKeys);
  assert.ok(!ids(modern).includes('profile.dh-size'));
  assert.ok(ids(modern).includes('profile.cipher-suite'));
});

test('a DH prime under 1024 bits raises the finding to high', () => {
  const findings = checkProfile('intermediate', { ...weakKeys, dhePrimeBits: [2048, 512] });
  assert.equal(byId(findings, 'profile.dh-size').severity, 'high');
  assert.deepEqual(byId(findings, 'profile.dh-size').details?.['seenBits'], ['512', '2048']);
});

test('groups outside the profile are named; hybrids and aliases inside it are not', () => {
  const input = {
    ...intermediateNginx,
    groups: ['X25519MLKEM768', 'x25519', 'secp256r1', 'secp521r1', 'ffdhe2048', '0x9999'],
  };
  const f = byId(checkProfile('intermediate', input), 'profile.group');
  assert.deepEqual(f.details?.['groups'], ['secp521r1', 'ffdhe2048', '0x9999']);
  assert.equal(f.severity, 'low');
  assert.deepEqual(
    checkProfile('intermediate', {
      ...intermediateNginx,
      groups: ['X25519', 'prime256v1', 'P-384'],
    }),
    [],
  );
});

test('certificate rules: ECDSA curves, key types, signatures, lifetime', () => {
  const ecdsa = (curve: string, lifetimeDays = 90) => ({
    ...intermediateNginx,
    certificate: {
      keyType: 'ec',
      keyBits: 256,
      curve,
      signatureAlgorithm: 'ecdsa-with-SHA256',
      lifetimeDays,
    },
  });
  assert.deepEqual(checkProfile('intermediate', ecdsa('prime256v1')), []);
  assert.deepEqual(checkProfile('intermediate', ecdsa('P-384')), []);
  assert.match(
    byId(checkProfile('intermediate', ecdsa('secp521r1')), 'profile.certificate').evidence,
    /ECDSA key on secp521r1/,
  );
  assert.match(
    byId(checkProfile('modern', ecdsa('prime256v1', 398)), 'profile.certificate').evidence,
    /valid 398 days \(at most 90\)/,
  );
  const ed25519 = {
    ...intermediateNginx,
    certificate: {
      keyType: 'ed25519',
      keyBits: 256,
      signatureAlgorithm: 'ED25519',
      lifetimeDays: 30,
    },
  };
  const f = byId(checkProfile('intermediate', ed25519), 'profile.certificate');
  assert.deepEqual(f.details?.['problems'], [
    'ED25519 key (the profile takes ECDSA or RSA)',
    'signed with ED25519 (the profile takes sha256WithRSAEncryption, ecdsa-with-SHA256, ecdsa-with-SHA384, ecdsa-with-SHA512)',
  ]);
  // Signature OIDs are understood as well as names.
  const byOid = {
    ...intermediateNginx,
    certificate: { ...intermediateNginx.certificate!, signatureAlgorithm: '1.2.840.113549.1.1.11' },
  };
  assert.deepEqual(checkProfile('intermediate', byOid), []);
  // ECDSA is not old's: old takes RSA only.
  assert.match(
    byId(
      checkProfile('old', { ...oldAppliance, certificate: ecdsa('prime256v1').certificate }),
      'profile.certificate',
    ).evidence,
    /ECDSA key \(the profile takes RSA\)/,
  );
});

test('HSTS: absent and short are findings, unchecked and long enough are not', () => {
  const hsts = (hstsMaxAge: ProfileInput['hstsMaxAge']) =>
    checkProfile('intermediate', { ...intermediateNginx, hstsMaxAge }).filter(
      (f) => f.id === 'profile.hsts',
    );
  assert.equal(hsts(null).length, 0);
  assert.equal(hsts(63072000).length, 0);
  assert.equal(hsts(94608000).length, 0);
  const [absent] = hsts('absent');
  assert.match(absent?.evidence ?? '', /no Strict-Transport-Security header/);
  assert.equal(absent?.details?.['present'], false);
  const [short] = hsts(31536000);
  assert.match(short?.evidence ?? '', /max-age is 31536000 s/);
  assert.equal(short?.details?.['maxAge'], 31536000);
});

test('OCSP stapling: off is a finding, unchecked is not', () => {
  const run = (ocspStapled: boolean | null) =>
    ids(checkProfile('modern', { ...intermediateNginx, ocspStapled }));
  assert.ok(run(false).includes('profile.ocsp-stapling'));
  assert.ok(!run(null).includes('profile.ocsp-stapling'));
  assert.ok(!run(true).includes('profile.ocsp-stapling'));
});

test('every finding carries the snippets of its aspect for all six servers', () => {
  const findings = checkProfile('intermediate', {
    ...weakKeys,
    groups: ['secp521r1'],
    hstsMaxAge: 'absent',
    ocspStapled: false,
  });
  const aspectOf: Record<string, Parameters<typeof aspectSnippets>[1]> = {
    'profile.protocol': 'tls',
    'profile.cipher-suite': 'tls',
    'profile.server-preference': 'tls',
    'profile.group': 'groups',
    'profile.dh-size': 'dh',
    'profile.certificate': 'certificate',
    'profile.hsts': 'hsts',
    'profile.ocsp-stapling': 'ocsp-stapling',
  };
  assert.deepEqual(ids(findings).sort(), Object.keys(aspectOf).sort());
  for (const f of findings) {
    assert.deepEqual(Object.keys(f.snippets ?? {}), [...SNIPPET_SERVERS]);
    const aspect = aspectOf[f.id];
    assert.ok(aspect !== undefined);
    assert.deepEqual(f.snippets, aspectSnippets('intermediate', aspect));
    assert.doesNotMatch(f.fix, /\n/, 'the fix is one paragraph');
    assert.equal(f.details?.['profile'], 'intermediate');
    assert.equal(f.details?.['guidelines'], '6.0');
  }
  const tls = byId(findings, 'profile.protocol').snippets ?? {};
  assert.match(tls['nginx'] ?? '', /^ssl_protocols TLSv1\.2 TLSv1\.3;$/m);
  assert.match(tls['nginx'] ?? '', /^ssl_prefer_server_ciphers off;$/m);
  assert.match(tls['apache'] ?? '', /^SSLProtocol -all \+TLSv1\.2 \+TLSv1\.3$/m);
  assert.match(tls['postgresql'] ?? '', /^ssl_min_protocol_version = 'TLSv1\.2'$/m);
  // Findings are report data: they survive JSON unchanged.
  assert.deepEqual(JSON.parse(JSON.stringify(findings)), findings);
});

test('snippets follow the OpenSSL the caller names', () => {
  const input = { ...intermediateNginx, groups: ['secp521r1'] };
  const on30 = byId(checkProfile('intermediate', input, { openssl: '3.0.13' }), 'profile.group');
  assert.match(on30.snippets?.['nginx'] ?? '', /^ssl_ecdh_curve X25519:prime256v1:secp384r1;$/m);
  const on35 = byId(checkProfile('intermediate', input), 'profile.group');
  assert.match(
    on35.snippets?.['nginx'] ?? '',
    /^ssl_ecdh_curve X25519MLKEM768:X25519:prime256v1:secp384r1;$/m,
  );
});

test('hostile input: huge, garbled and non-finite facts give bounded findings, no throw', () => {
  const junk: SuiteFact[] = Array.from({ length: 20000 }, (_, i) => ({
    id: `0x${(i + 0x1000).toString(16).padStart(4, '0')}`,
    name: `\u0000${'A'.repeat(5000)}\u001b[31m`,
  }));
  const hostile: ProfileInput = {
    protocols: { ...NO_PROTOCOLS, 'TLSv1.2': true },
    suites: { 'TLSv1.2': [...junk, { id: 'not hex at all'.repeat(100), name: '' }] },
    serverPreference: {},
    groups: Array.from({ length: 5000 }, (_, i) => `g${i}\n`),
    dhePrimeBits: [Number.NaN, -5, Number.POSITIVE_INFINITY, 1.5],
    certificate: {
      keyType: 'x'.repeat(10000),
      keyBits: Number.NaN,
      curve: '\u0007',
      signatureAlgorithm: '',
      lifetimeDays: Number.POSITIVE_INFINITY,
    },
    hstsMaxAge: -1,
    ocspStapled: false,
  };
  const findings = checkProfile('intermediate', hostile);
  for (const f of findings) {
    assert.ok(f.evidence.length < 2000, `${f.id} evidence is ${f.evidence.length} chars`);
    assert.doesNotMatch(f.evidence, /[\u0000-\u001f]/);
    for (const value of Object.values(f.details ?? {})) {
      if (Array.isArray(value)) assert.ok(value.length <= 512, `${f.id} details list`);
    }
  }
  // Non-finite and negative DH sizes are not facts: no DH finding from them.
  assert.ok(!ids(findings).includes('profile.dh-size'));
  assert.ok(ids(findings).includes('profile.cipher-suite'));
  assert.ok(ids(findings).includes('profile.hsts'));
});

test('an unknown profile is a RangeError', () => {
  assert.throws(() => checkProfile('paranoid' as 'modern', intermediateNginx), RangeError);
});
