import assert from 'node:assert/strict';
import test from 'node:test';
import type { HstsFacts, HttpFacts } from '../http-facts.ts';
import { judge } from '../judge.ts';
import type { ReportFacts } from '../report.ts';
import { type ReportSketch, leafFacts, sketchReport } from '../testdata/reports.ts';
import { evaluatePolicy } from './evaluate.ts';
import { parsePolicy } from './load.ts';

const LOADED = new Date('2026-06-01T00:00:00Z');
const TLS13 = [0x1301, 0x1302, 0x1303];
const GOOD12 = [0xc02f, 0xc030, 0xcca8];

const policy = (...lines: string[]) =>
  parsePolicy(['version: 1', ...lines].join('\n'), 'p.yaml', { now: LOADED });

const report = (sketch: ReportSketch, more: Partial<ReportFacts> = {}) =>
  judge({ ...sketchReport(sketch), ...more });

const MODERN: ReportSketch = {
  suites: { 'TLSv1.2': GOOD12, 'TLSv1.3': TLS13 },
  groups12: ['x25519'],
};

function policyIds(p: ReturnType<typeof policy>, r: ReturnType<typeof report>): string[] {
  return evaluatePolicy(p, r, LOADED)
    .findings.map((f): string => f.id)
    .filter((id) => id.startsWith('policy.'));
}

test('a server that meets the policy gets no policy findings and loses none of its own', () => {
  const p = policy(
    'minVersion: TLSv1.2',
    'allowedSuites: [ECDHE+AESGCM, ECDHE+CHACHA20, TLSv1.3]',
    'minKeySizes: { rsa: 2048, ec: 256, dh: 2048 }',
    'maxCertificateLifetimeDays: 366',
  );
  const r = report(MODERN);
  const result = evaluatePolicy(p, r, LOADED);
  assert.deepEqual(result.findings, r.findings);
  assert.deepEqual(result.suppressed, []);
  assert.deepEqual(result.warnings, []);
});

test('policy.min-version names every version below the minimum', () => {
  const r = report({ suites: { 'TLSv1.0': [0xc013], 'TLSv1.1': [0xc013], ...MODERN.suites } });
  const [f] = evaluatePolicy(policy('minVersion: TLSv1.2'), r, LOADED).findings.filter(
    (x) => x.id === 'policy.min-version',
  );
  assert.equal(
    f?.evidence,
    'The server accepts TLSv1.0, TLSv1.1; the policy’s minVersion is TLSv1.2.',
  );
  assert.deepEqual(f?.details, { versions: ['TLSv1.0', 'TLSv1.1'], minVersion: 'TLSv1.2' });
  assert.deepEqual(policyIds(policy('minVersion: TLSv1.3'), report(MODERN)), [
    'policy.min-version',
  ]);
});

test('policy.suite-not-allowed names each suite outside the cipher string, per version', () => {
  const r = report({ suites: { 'TLSv1.2': [0xc02f, 0x002f, 0x009c], 'TLSv1.3': TLS13 } });
  const p = policy('allowedSuites: "ECDHE+AESGCM:TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384"');
  const [f] = evaluatePolicy(p, r, LOADED).findings.filter(
    (x) => x.id === 'policy.suite-not-allowed',
  );
  assert.equal(
    f?.evidence,
    'The server accepts 3 suites that allowedSuites "ECDHE+AESGCM:TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384" does not select: ' +
      'TLSv1.2: TLS_RSA_WITH_AES_128_CBC_SHA (0x002f), TLS_RSA_WITH_AES_128_GCM_SHA256 (0x009c); ' +
      'TLSv1.3: TLS_CHACHA20_POLY1305_SHA256 (0x1303).',
  );
  assert.deepEqual(f?.details?.['suites'], ['0x002f', '0x009c', '0x1303']);
  assert.equal(f?.severity, 'medium');
});

test('policy.key-too-small: certificate keys by type, and the smallest DH prime', () => {
  const p = policy('minKeySizes: { rsa: 3072, ec: 384, dh: 2048 }');
  const rsa = evaluatePolicy(p, report({ ...MODERN, dhePrimeBits: [1024, 2048] }), LOADED);
  assert.deepEqual(
    rsa.findings.filter((f) => f.id === 'policy.key-too-small').map((f) => f.evidence),
    [
      'The leaf certificate (CN=localhost) has a 2048-bit RSA key; the policy’s minKeySizes.rsa is 3072.',
      'DHE key exchange uses a 1024-bit prime; the policy’s minKeySizes.dh is 2048.',
    ],
  );
  const ec = report({ ...MODERN, leafKey: { type: 'ec', bits: 256 } });
  assert.deepEqual(policyIds(p, ec), ['policy.key-too-small']);
  assert.deepEqual(policyIds(policy('minKeySizes: { rsa: 4096 }'), ec), []);
  const ed = report({ ...MODERN, leafKey: { type: 'ed25519', bits: 256 } });
  assert.deepEqual(policyIds(p, ed), []);
  // Intermediates are judged too, and named by position.
  const chain = report(MODERN, {
    certificateChain: [
      leafFacts({ type: 'ec', bits: 384 }),
      { ...leafFacts({ type: 'rsa', bits: 1024 }), subject: 'CN=Old CA', isCa: true },
    ],
  });
  assert.deepEqual(
    evaluatePolicy(p, chain, LOADED)
      .findings.filter((f) => f.id === 'policy.key-too-small')
      .map((f) => f.evidence),
    [
      'Certificate 1 of the chain (CN=Old CA) has a 1024-bit RSA key; the policy’s minKeySizes.rsa is 3072.',
    ],
  );
});

test('policy.lifetime-too-long judges the leaf’s validity period', () => {
  // The sketch's leaf is valid from 2026-01-01 to 2027-01-01: 365 days.
  assert.deepEqual(policyIds(policy('maxCertificateLifetimeDays: 365'), report(MODERN)), []);
  const [f] = evaluatePolicy(
    policy('maxCertificateLifetimeDays: 90'),
    report(MODERN),
    LOADED,
  ).findings.filter((x) => x.id === 'policy.lifetime-too-long');
  assert.equal(
    f?.evidence,
    'The leaf certificate (CN=localhost) is valid for 365 days (2026-01-01T00:00:00.000Z to 2027-01-01T00:00:00.000Z); the policy’s maxCertificateLifetimeDays is 90.',
  );
});

const http = (hsts: HstsFacts | null, speaksHttp = true): HttpFacts => ({
  speaksHttp,
  https: { result: 'response', status: 200, contentEncoding: [], hsts },
  plainHttp: {
    port: 80,
    result: 'redirects-to-https',
    status: 301,
    location: 'https://localhost/',
  },
});
const HSTS_DAY: HstsFacts = { values: ['max-age=86400'], valid: true, maxAge: 86400 };

test('policy.hsts-required: missing, invalid or too short HSTS on endpoints that speak HTTP', () => {
  const strict = policy('requireHsts: { minMaxAge: 31536000 }');
  const any = policy('requireHsts: true');
  const evidence = (p: typeof strict, h: HttpFacts) =>
    evaluatePolicy(p, report(MODERN, { http: h }), LOADED)
      .findings.filter((f) => f.id === 'policy.hsts-required')
      .map((f) => f.evidence);
  assert.deepEqual(evidence(strict, http(HSTS_DAY)), [
    'GET / over TLS answered with max-age=86400; the policy’s requireHsts asks for HSTS with max-age of at least 31536000.',
  ]);
  assert.deepEqual(evidence(any, http(HSTS_DAY)), []);
  assert.deepEqual(evidence(any, http(null)), [
    'GET / over TLS answered with no Strict-Transport-Security header; the policy’s requireHsts asks for a Strict-Transport-Security header.',
  ]);
  assert.deepEqual(evidence(any, http({ values: ['maxage=5'], valid: false, problem: 'x' })), [
    'GET / over TLS answered with a Strict-Transport-Security header browsers ignore ("maxage=5"); the policy’s requireHsts asks for a Strict-Transport-Security header.',
  ]);
  // Not HTTP, or HTTP not checked: nothing to judge.
  assert.deepEqual(evidence(any, http(null, false)), []);
  assert.deepEqual(policyIds(any, report(MODERN)), []);
});

test('policy.client-certificate-required when the server does not ask for one', () => {
  const p = policy('requireClientCertificates: true');
  assert.deepEqual(policyIds(p, report(MODERN)), ['policy.client-certificate-required']);
  assert.deepEqual(policyIds(p, report({ ...MODERN, clientCertificateRequested: true })), []);
  assert.deepEqual(policyIds(policy('requireClientCertificates: false'), report(MODERN)), []);
  // A port that is not TLS has transport.plaintext; the policy's TLS rules do not pile on.
  assert.deepEqual(policyIds(p, report(MODERN, { tls: false })), []);
});

test('suppressions remove built-in and policy findings for matching targets until they expire', () => {
  const p = policy(
    'minVersion: TLSv1.2',
    'suppressions:',
    '  - id: protocol.tls10',
    '    targets: ["localhost:443"]',
    '    reason: a payment terminal needs TLS 1.0 until its replacement',
    '    expires: 2026-06-30',
    '  - id: policy.min-version',
    '    targets: ["127.0.0.*"]',
    '    reason: same terminal',
    '    expires: 2026-06-15',
    '  - id: suite.cbc',
    '    targets: ["other.example:443"]',
    '    reason: not this host',
    '    expires: 2026-12-31',
  );
  const r = report({ suites: { 'TLSv1.0': [0xc013], ...MODERN.suites } });
  assert.ok(r.findings.some((f) => f.id === 'protocol.tls10'));

  const live = evaluatePolicy(p, r, new Date('2026-06-10T00:00:00Z'));
  assert.deepEqual(
    live.suppressed.map((s) => [s.finding.id, s.reason, s.expires]),
    [
      ['protocol.tls10', 'a payment terminal needs TLS 1.0 until its replacement', '2026-06-30'],
      ['policy.min-version', 'same terminal', '2026-06-15'],
    ],
  );
  const kept = live.findings.map((f): string => f.id);
  assert.ok(!kept.includes('protocol.tls10') && !kept.includes('policy.min-version'));
  assert.ok(kept.includes('suite.cbc'), 'a suppression for another host does not apply');
  assert.deepEqual(live.warnings, []);

  // The last day still holds; the next it has expired, and says so.
  const lastDay = evaluatePolicy(p, r, new Date('2026-06-15T23:59:59Z'));
  assert.equal(lastDay.suppressed.length, 2);
  const after = evaluatePolicy(p, r, new Date('2026-06-16T00:00:00Z'));
  assert.deepEqual(
    after.suppressed.map((s) => s.finding.id),
    ['protocol.tls10'],
  );
  assert.ok(after.findings.some((f) => f.id === 'policy.min-version'));
  assert.deepEqual(after.warnings, [
    {
      kind: 'suppression-expired',
      id: 'policy.min-version',
      expires: '2026-06-15',
      message:
        'The suppression of policy.min-version for 127.0.0.* expired on 2026-06-15 (same terminal); its findings are reported again.',
    },
  ]);
  // Findings stay worst first.
  const severities = after.findings.map((f) => f.severity);
  const order = ['critical', 'high', 'medium', 'low', 'info'];
  assert.deepEqual(
    [...severities].sort((a, b) => order.indexOf(a) - order.indexOf(b)),
    severities,
  );
});
