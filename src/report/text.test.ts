import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judge } from '../scan/judge.ts';
import type { ReportFacts } from '../scan/report.ts';
import { renderText } from './text.ts';

const now = Date.parse('2026-11-23T00:00:00Z');

const facts: ReportFacts = {
  schema: 'wiretight.scan/v1',
  tool: { name: 'wiretight', version: '0.1.0' },
  target: { host: 'db.internal', port: 5433, ip: '10.0.0.5', sni: 'db.internal' },
  startedAt: '2026-11-23T00:00:00.000Z',
  tls: true,
  scope: 'full',
  protocols: {
    SSLv2: false,
    SSLv3: false,
    'TLSv1.0': true,
    'TLSv1.1': false,
    'TLSv1.2': true,
    'TLSv1.3': false,
  },
  cipherSuites: {
    'TLSv1.2': [
      {
        id: '0xc02f',
        name: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
        opensslName: 'ECDHE-RSA-AES128-GCM-SHA256',
        kx: 'ECDHE',
        auth: 'RSA',
        enc: 'AESGCM',
        bits: 128,
        aead: true,
        forwardSecrecy: true,
        export: false,
        keyExchange: { type: 'ECDHE', group: 'x25519', bits: 128 },
      },
      {
        id: '0x000a',
        name: 'TLS_RSA_WITH_3DES_EDE_CBC_SHA',
        opensslName: 'DES-CBC3-SHA',
        kx: 'RSA',
        auth: 'RSA',
        enc: '3DES',
        bits: 168,
        aead: false,
        forwardSecrecy: false,
        export: false,
      },
    ],
  },
  serverPreference: { 'TLSv1.2': true },
  groups: ['x25519'],
  groupsByProtocol: { 'TLSv1.2': ['x25519'] },
  dhePrimeBits: [1024],
  serverHelloExtensions: { 'TLSv1.2': ['renegotiation_info', 'extended_master_secret'] },
  certificateChain: [
    {
      subject: 'CN=db.internal',
      issuer: 'CN=Internal CA',
      serialNumber: '01',
      notBefore: '2026-11-01T00:00:00.000Z',
      notAfter: '2026-12-03T00:00:00.000Z',
      subjectAltNames: ['DNS:db.internal'],
      publicKey: { type: 'rsa', bits: 2048 },
      signatureAlgorithm: 'sha256WithRSAEncryption',
      isCa: false,
      selfIssued: false,
      sha256: 'ab'.repeat(32),
      pem: '',
    },
  ],
  alpn: [],
  clientCertificateRequested: true,
  handshakes: 12,
  durationMs: 34,
};
const report = judge(facts);

test('plain text has no escape codes and says what matters', () => {
  const text = renderText(report, { color: false, now });
  assert.doesNotMatch(text, /\x1b\[/);
  assert.match(text, /db\.internal:5433 \(10\.0\.0\.5, SNI db\.internal\)/);
  assert.match(text, /TLSv1\.0 +yes \(insecure\)/);
  assert.match(text, /TLSv1\.2 +yes +server chooses/);
  assert.match(text, /0xc02f +TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 +ECDHE x25519/);
  assert.match(text, /DHE +1024 bits/);
  assert.match(text, /10 days left/);
  assert.match(text, /Client certificate +requested/);
  assert.match(text, /Extensions TLSv1\.2 +renegotiation_info, extended_master_secret/);
  assert.match(text, /12 connections in 34 ms/);
});

test('colour marks insecure protocols and weak suites', () => {
  const text = renderText(report, { color: true, now });
  assert.match(text, /\x1b\[31myes \(insecure\)/);
  assert.match(text, /\x1b\[31m0x000a/);
});

test('the grade and the findings with their fixes come first, worst first', () => {
  const text = renderText(report, { color: false, now });
  const lines = text.split('\n');
  // TLS 1.0 caps at B; 3DES (SWEET32) at C.
  assert.match(lines[1] ?? '', /^ {2}Grade +C +\(score \d+\)$/);
  assert.match(text, /C cap: 64-bit block ciphers are accepted \(SWEET32\)/);
  const findings = text.slice(text.indexOf('Findings ('), text.indexOf('Protocols'));
  const severities = [...findings.matchAll(/^ {2}(CRITICAL|HIGH|MEDIUM|LOW|INFO) /gm)].map(
    (m) => m[1],
  );
  const order = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'];
  assert.deepEqual(
    severities,
    [...severities].sort((a, b) => order.indexOf(a ?? '') - order.indexOf(b ?? '')),
  );
  assert.match(
    findings,
    /MEDIUM +TLS 1\.0 is enabled \[protocol\.tls10\]\n +The server completed a TLSv1\.0 hello/,
  );
  assert.match(findings, /fix: Disable TLS 1\.0/);
  assert.ok(text.indexOf('Findings (') < text.indexOf('Protocols'));
});

test('a failed scan renders its error and code', () => {
  const failed = judge({
    ...facts,
    tls: false,
    error: {
      code: 'WT_ERR_SCAN_NOT_TLS',
      message: 'db.internal:5433 answered in a protocol other than TLS',
    },
    plaintext: {
      protocol: 'http',
      description: 'HTTP: HTTP/1.1 400 Bad Request',
      firstBytesHex: '48545450',
      firstBytesText: 'HTTP',
    },
  });
  const text = renderText(failed, { color: false, now });
  assert.match(text, /\[WT_ERR_SCAN_NOT_TLS\]/);
  assert.match(text, /detected: HTTP: HTTP\/1\.1 400 Bad Request/);
  assert.match(text, /answered: "HTTP"/);
  assert.match(text, /HIGH +The port answers in cleartext, not TLS \[transport\.plaintext\]/);
});
