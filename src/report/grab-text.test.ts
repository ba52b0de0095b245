import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CertificateVerdicts } from '../pki/index.ts';
import { finding } from '../scan/findings/index.ts';
import type { GrabReport } from '../scan/grab/report.ts';
import { MAX_FAILED_LISTED } from '../scan/fleet/failed-targets.ts';
import { GrabTally } from '../scan/grab/tally.ts';
import { leafFacts } from '../scan/testdata/reports.ts';
import { renderGrabSummary, renderGrabText } from './grab-text.ts';

const DAY = 86_400_000;

/** Only what the tally and the renderer read of the verdicts. */
function verdicts(trusted: boolean, matches: boolean): CertificateVerdicts {
  return { trust: { trusted }, hostname: { matches } } as unknown as CertificateVerdicts;
}

function grabbed(version: 'TLSv1.3' | 'TLSv1.0', days: number, trusted = true): GrabReport {
  const leaf = {
    ...leafFacts(),
    notAfter: new Date(Date.now() + days * DAY + 3600_000).toISOString(),
  };
  return {
    schema: 'wiretight.grab/v1',
    tool: { name: 'wiretight', version: '0.0.0' },
    target: { host: 'api.internal', port: 443, ip: '10.0.0.5', sni: 'api.internal' },
    startedAt: new Date().toISOString(),
    tls: true,
    negotiated: {
      version,
      suite: {
        id: '0x1301',
        name: version === 'TLSv1.3' ? 'TLS_AES_128_GCM_SHA256' : 'TLS_RSA_WITH_RC4_128_SHA',
        opensslName: null,
        kx: version === 'TLSv1.3' ? 'any' : 'RSA',
        auth: 'any',
        enc: version === 'TLSv1.3' ? 'AESGCM' : 'RC4',
        bits: 128,
        aead: version === 'TLSv1.3',
        forwardSecrecy: version === 'TLSv1.3',
        export: false,
      },
      ...(version === 'TLSv1.3' ? { group: 'x25519' } : {}),
    },
    certificateChain: [leaf],
    certificates: verdicts(trusted, true),
    expiresInDays: days,
    clientCertificateRequested: false,
    findings:
      version === 'TLSv1.0' ? [finding('protocol.tls10', { evidence: 'negotiated TLS 1.0' })] : [],
    handshakes: 1,
    durationMs: 12,
  };
}

function failed(port: number): GrabReport {
  return {
    schema: 'wiretight.grab/v1',
    tool: { name: 'wiretight', version: '0.0.0' },
    target: { host: '10.0.0.9', port, ip: '10.0.0.9', sni: null },
    startedAt: new Date().toISOString(),
    tls: false,
    error: { code: 'WT_ERR_SCAN_UNREACHABLE', message: 'connect ECONNREFUSED' },
    certificateChain: [],
    clientCertificateRequested: false,
    findings: [],
    handshakes: 1,
    durationMs: 1,
  };
}

test('a grabbed endpoint: where, version, suite, group, leaf, expiry and trust on one screen', () => {
  const text = renderGrabText(grabbed('TLSv1.3', 90), { color: false });
  const [head, cert] = text.split('\n');
  assert.equal(head, 'api.internal:443 (10.0.0.5)  TLSv1.3  TLS_AES_128_GCM_SHA256  x25519');
  assert.match(cert ?? '', /^ {2}cert {2}.+ {2}expires \d{4}-\d\d-\d\d \(90 days\) {2}trusted$/);
  assert.doesNotMatch(text, /\x1b\[/);
});

test('findings follow, one line each; colour only when asked for', () => {
  const text = renderGrabText(grabbed('TLSv1.0', -3, false), { color: true });
  assert.match(text, /\x1b\[/);
  const plain = renderGrabText(grabbed('TLSv1.0', -3, false), { color: false });
  assert.match(plain, /expired \d{4}-\d\d-\d\d {2}untrusted/);
  assert.match(plain, /\[protocol\.tls10\]/);
});

test('a target with no TLS is one line with the reason', () => {
  assert.equal(
    renderGrabText(failed(443), { color: false }),
    '10.0.0.9:443  no TLS: connect ECONNREFUSED\n',
  );
});

test('the tally counts versions and certificates about to fail, and caps the failures it lists', () => {
  const tally = new GrabTally(30);
  tally.add(grabbed('TLSv1.3', 90));
  tally.add(grabbed('TLSv1.3', 10));
  tally.add(grabbed('TLSv1.0', -1, false));
  for (let i = 0; i < MAX_FAILED_LISTED + 5; i++) tally.add(failed(1000 + i));
  const s = tally.summary();
  assert.equal(s.targets, 3 + MAX_FAILED_LISTED + 5);
  assert.equal(s.tls, 3);
  assert.deepEqual(s.versions, { 'TLSv1.3': 2, 'TLSv1.0': 1 });
  assert.equal(s.expired, 1);
  assert.equal(s.expiringSoon, 1);
  assert.equal(s.untrusted, 1);
  assert.equal(s.failed.length, MAX_FAILED_LISTED);
  assert.equal(s.failedCount, MAX_FAILED_LISTED + 5);
  const text = renderGrabSummary(s, { color: false });
  assert.match(text, /versions {6}TLSv1\.3 2 {2}TLSv1\.0 1/);
  assert.match(text, /expired 1 {2}expiring soon 1 {2}untrusted 1 {2}wrong name 0/);
  assert.match(text, new RegExp(`not checked \\(${MAX_FAILED_LISTED + 5}\\)`));
  assert.match(text, new RegExp(`… and ${MAX_FAILED_LISTED + 5 - 20} more`));
});
