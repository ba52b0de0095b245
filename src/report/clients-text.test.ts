import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClientSimulationFacts } from '../scan/clients/result.ts';
import { clientSimulationLines } from './clients-text.ts';
import { painter } from './style.ts';

const facts: ClientSimulationFacts = {
  clients: [
    {
      id: 'chromium-debian12',
      name: 'Chromium 156 (Debian 12)',
      family: 'Chrome',
      connected: true,
      version: 'TLSv1.3',
      suite: 'TLS_AES_128_GCM_SHA256',
      suiteId: '0x1301',
      group: 'X25519MLKEM768',
      alpn: 'h2',
    },
    {
      id: 'chrome-101-win-10',
      name: 'Chrome 101 (Win 10)',
      family: 'Chrome',
      connected: true,
      version: 'TLSv1.3',
      suite: 'TLS_AES_128_GCM_SHA256',
      suiteId: '0x1301',
      group: 'secp384r1',
      helloRetry: true,
    },
    {
      id: 'android-6.0',
      name: 'Android 6.0',
      family: 'Android',
      connected: true,
      version: 'TLSv1.2',
      suite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
      suiteId: '0xc02f',
      group: 'secp256r1',
      kexBits: 256,
    },
    {
      id: 'ie-8-xp',
      name: 'IE 8 XP',
      family: 'Internet Explorer',
      connected: true,
      version: 'TLSv1.0',
      suite: 'TLS_RSA_WITH_3DES_EDE_CBC_SHA',
      suiteId: '0x000a',
      kexBits: 2048,
    },
    {
      id: 'java-8u161',
      name: 'Java 8u161',
      family: 'Java',
      connected: false,
      version: 'TLSv1.2',
      suite: 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256',
      suiteId: '0x009e',
      kexBits: 4096,
      failure: 'DH 4096 bits, above the 2048 this client accepts',
    },
    {
      id: 'ie-6-xp',
      name: 'IE 6 XP',
      family: 'Internet Explorer',
      connected: false,
      failure: 'handshake_failure alert',
    },
    {
      id: 'nodejs-24',
      name: 'Node.js 24.21.0 (OpenSSL 3.5.8)',
      family: 'Node.js',
      connected: false,
      skipped: 'this runtime cannot make a X25519MLKEM768 key share',
    },
  ],
};

test('a table of who connects and with what; why the others do not', () => {
  const lines = clientSimulationLines(facts, painter(false));
  assert.deepEqual(lines, [
    '  4 of 7 clients connect',
    '  Client                           Result   Version  Suite                                  Key exchange',
    '  Chromium 156 (Debian 12)         yes      TLSv1.3  TLS_AES_128_GCM_SHA256                 X25519MLKEM768',
    '  Chrome 101 (Win 10)              yes      TLSv1.3  TLS_AES_128_GCM_SHA256                 secp384r1 (after HelloRetryRequest)',
    '  Android 6.0                      yes      TLSv1.2  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256  secp256r1, 256 bits',
    '  IE 8 XP                          yes      TLSv1.0  TLS_RSA_WITH_3DES_EDE_CBC_SHA          RSA 2048 bits',
    '  Java 8u161                       no       TLSv1.2  TLS_DHE_RSA_WITH_AES_128_GCM_SHA256    DHE 4096 bits',
    '                                   DH 4096 bits, above the 2048 this client accepts',
    '  IE 6 XP                          no       handshake_failure alert',
    '  Node.js 24.21.0 (OpenSSL 3.5.8)  skipped  this runtime cannot make a X25519MLKEM768 key share',
  ]);
});

test('colour: results, legacy versions and weak suites of connecting clients stand out', () => {
  const coloured = clientSimulationLines(facts, painter(true));
  const red = '\x1b[31m';
  const green = '\x1b[32m';
  const yellow = '\x1b[33m';
  const line = (name: string) => coloured.find((l) => l.includes(name)) ?? '';
  assert.ok(line('Chromium 156').includes(`${green}yes`));
  assert.ok(!line('Chromium 156').includes(red));
  assert.ok(line('IE 8 XP').includes(`${yellow}TLSv1.0`));
  assert.ok(line('IE 8 XP').includes(`${red}TLS_RSA_WITH_3DES_EDE_CBC_SHA`));
  // A client that fails is red as a whole; its suite is not judged.
  assert.ok(line('Java 8u161').includes(`${red}no`));
  assert.ok(!line('Java 8u161').includes(`${yellow}`));
  assert.ok(line('DH 4096 bits, above').includes(red));
  assert.ok(line('IE 6 XP').includes(`${red}handshake_failure alert`));
  assert.ok(line('Node.js 24').includes('\x1b[2mskipped'));
  // Alignment does not count escape codes.
  const plain = clientSimulationLines(facts, painter(false));
  assert.equal(coloured.map((l) => l.replace(/\x1b\[[0-9;]*m/g, '')).join('\n'), plain.join('\n'));
});

test('nothing when the scan simulated no clients', () => {
  assert.deepEqual(clientSimulationLines(undefined, painter(true)), []);
  assert.deepEqual(clientSimulationLines({ clients: [] }, painter(true)), []);
});
