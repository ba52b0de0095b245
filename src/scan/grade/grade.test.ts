import assert from 'node:assert/strict';
import test from 'node:test';
import { finding } from '../findings/index.ts';
import { evaluateRules } from '../rules/index.ts';
import { sketchReport } from '../testdata/reports.ts';
import { gradeReport } from './grade.ts';

const MOZILLA_INTERMEDIATE_12 = [0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0x009e, 0x009f];
const TLS13 = [0x1301, 0x1302, 0x1303];
const complete = { incompleteChecks: [] };

function graded(sketch: Parameters<typeof sketchReport>[0], hstsMaxAge?: number | null) {
  const report = sketchReport(sketch);
  const findings = evaluateRules(report);
  return gradeReport(report, findings, {
    ...complete,
    ...(hstsMaxAge === undefined ? {} : { hstsMaxAge }),
  });
}

test('a Mozilla-intermediate server gets an A, and an A+ with a long HSTS', () => {
  const sketch = {
    suites: { 'TLSv1.2': MOZILLA_INTERMEDIATE_12, 'TLSv1.3': TLS13 },
    groups12: ['x25519', 'secp256r1', 'secp384r1'],
    groups13: ['x25519', 'secp256r1', 'secp384r1'],
    dhePrimeBits: [2048],
  };
  const plain = graded(sketch);
  assert.equal(plain.letter, 'A');
  assert.deepEqual(plain.caps, []);
  assert.deepEqual(plain.criteria?.protocol, { score: 100, best: 'TLSv1.3', worst: 'TLSv1.2' });
  // RSA 2048 and a 2048-bit DH group: 90; AES-128 and 256: (80 + 100) / 2.
  assert.equal(plain.criteria?.keyExchange.score, 90);
  assert.equal(plain.criteria?.cipher.score, 90);
  assert.equal(plain.score, 93);
  assert.equal(graded(sketch, 63072000).letter, 'A+');
  assert.equal(graded(sketch, 86400).letter, 'A', 'a short HSTS does not earn A+');
});

test('a TLS 1.3-only server with HSTS earns A+ (no FALLBACK_SCSV needed with one version)', () => {
  const g = graded({ suites: { 'TLSv1.3': TLS13 }, leafKey: { type: 'ec', bits: 256 } }, 63072000);
  assert.equal(g.letter, 'A+');
});

test('TLS 1.0 caps at B, SSLv3 at C, SSLv2 at F, each cap with its finding', () => {
  const tls10 = graded({
    suites: { 'TLSv1.0': [0xc013], 'TLSv1.2': [0xc02f] },
    groups12: ['x25519'],
  });
  assert.equal(tls10.letter, 'B');
  assert.ok(tls10.caps.some((c) => c.findingId === 'protocol.tls10' && c.letter === 'B'));
  const sslv3 = graded({ suites: { SSLv3: [0x002f], 'TLSv1.2': [0xc02f] }, groups12: ['x25519'] });
  assert.equal(sslv3.letter, 'C');
  const sslv2 = graded({
    suites: { SSLv2: [0x0700c0], 'TLSv1.2': [0xc02f] },
    groups12: ['x25519'],
  });
  assert.equal(sslv2.letter, 'F');
  // The score alone would be a B: protocol (100 + 0) / 2 = 50, key exchange 90, cipher 80.
  assert.equal(sslv2.score, 74);
});

test('weak DH: under 1024 bits is F, under 2048 is B', () => {
  const dh512 = graded({ suites: { 'TLSv1.2': [0x009e] }, dhePrimeBits: [512] });
  assert.equal(dh512.letter, 'F');
  const dh1024 = graded({ suites: { 'TLSv1.2': [0x009e] }, dhePrimeBits: [1024] });
  assert.equal(dh1024.letter, 'B');
  assert.equal(dh1024.criteria?.keyExchange.weakestBits, 1024);
});

test('trust problems give T and keep the grade the configuration would get', () => {
  const report = sketchReport({
    suites: { 'TLSv1.2': [0xc02f], 'TLSv1.3': TLS13 },
    groups12: ['x25519'],
  });
  const findings = [
    ...evaluateRules(report),
    finding('cert.self-signed', { evidence: 'self-signed' }),
    finding('cert.hostname-mismatch', { evidence: 'wrong name' }),
  ];
  const g = gradeReport(report, findings, complete);
  assert.equal(g.letter, 'T');
  assert.equal(g.letterIgnoringTrust, 'A');
  const mismatchOnly = gradeReport(
    report,
    [finding('cert.hostname-mismatch', { evidence: 'wrong name' })],
    complete,
  );
  assert.equal(mismatchOnly.letter, 'M');
});

test('insecure renegotiation is a warning alone and an F with client renegotiation', () => {
  const report = sketchReport({
    suites: { 'TLSv1.2': [0xc02f], 'TLSv1.3': TLS13 },
    groups12: ['x25519'],
  });
  const insecure = finding('vuln.insecure-renegotiation', { evidence: 'no RI' });
  assert.equal(gradeReport(report, [insecure], complete).letter, 'A-');
  const client = finding('vuln.client-renegotiation', { evidence: 'accepted' });
  assert.equal(gradeReport(report, [insecure, client], complete).letter, 'F');
});

test('the grade is withheld when a needed check did not complete, or without TLS', () => {
  const report = sketchReport({ suites: { 'TLSv1.2': [0xc02f] } });
  const g = gradeReport(report, [], { incompleteChecks: ['certificate verification'] });
  assert.equal(g.letter, null);
  assert.match(g.withheld ?? '', /certificate verification/);
  const plaintext = { ...report, tls: false };
  assert.equal(gradeReport(plaintext, [], complete).letter, null);
});

test('anonymous suites zero the key exchange score', () => {
  const g = graded({ suites: { 'TLSv1.2': [0xc02f, 0x00a6] }, groups12: ['x25519'] });
  assert.equal(g.criteria?.keyExchange.score, 0);
  assert.equal(g.letter, 'F');
});

test('docs/grade.md names every finding that caps the grade', async () => {
  const { readFileSync } = await import('node:fs');
  const { CAP_RULES } = await import('./caps.ts');
  const doc = readFileSync(new URL('../../../docs/grade.md', import.meta.url), 'utf8');
  const table = doc.slice(doc.indexOf('## Caps'), doc.indexOf('**A+**'));
  const documented = new Set([...table.matchAll(/`([a-z]+\.[a-z0-9-]+)`/g)].map((m) => m[1]));
  assert.deepEqual([...documented].sort(), Object.keys(CAP_RULES).sort());
});

test('an inconclusive Heartbleed, CCS or ROBOT probe withholds the grade; others do not', async () => {
  const { judge } = await import('../judge.ts');
  const base = sketchReport({
    suites: { 'TLSv1.2': [0xc02f], 'TLSv1.3': TLS13 },
    groups12: ['x25519'],
  });
  const verdict = (v: 'not-vulnerable' | 'inconclusive') => ({ verdict: v, reason: `r-${v}` });
  const vulnerabilities = {
    heartbleed: verdict('not-vulnerable'),
    ccsInjection: verdict('not-vulnerable'),
    robot: { ...verdict('inconclusive'), connections: 10 },
    compression: verdict('not-vulnerable'),
    fallbackScsv: verdict('inconclusive'),
    renegotiation: verdict('not-vulnerable'),
  };
  const withheld = judge({ ...base, vulnerabilities });
  assert.equal(withheld.grade.letter, null);
  assert.match(withheld.grade.withheld ?? '', /ROBOT \(r-inconclusive\)/);
  assert.doesNotMatch(withheld.grade.withheld ?? '', /FALLBACK/);
  const graded = judge({
    ...base,
    vulnerabilities: {
      ...vulnerabilities,
      robot: { ...verdict('not-vulnerable'), connections: 5 },
    },
  });
  assert.equal(graded.grade.letter, 'A');
});
